from django.urls import path

from essaim.initiatives.views import pages

app_name = "initiatives"
urlpatterns = [
    path("initiatives/<slug:slug>/", pages.detail, name="detail"),
]
