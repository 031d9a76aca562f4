from django.urls import path

from essaim.agenda.views import listing, pages

app_name = "agenda"
urlpatterns = [
    path("agenda/", listing.agenda, name="list"),
    path("agenda/embed/", listing.embed, name="embed"),
    path("agenda/proposer/", pages.propose, name="propose"),
    path("agenda/proposer/merci/", pages.proposed, name="proposed"),
    path("agenda/<slug:slug>/", pages.detail, name="detail"),
    path("agenda/<slug:slug>/modifier/", pages.edit, name="edit"),
]
