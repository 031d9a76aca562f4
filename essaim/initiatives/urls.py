from django.urls import path

from essaim.initiatives.views import data, map, pages, subscriptions

app_name = "initiatives"
urlpatterns = [
    path("initiatives/", pages.initiative_list, name="list"),
    path("initiatives/proposer/", pages.propose, name="propose"),
    path("initiatives/proposer/merci/", pages.proposed, name="proposed"),
    path("initiatives/a-valider/", pages.votes, name="votes"),
    path("initiatives/alertes/", subscriptions.subscribe, name="alert-subscribe"),
    path("initiatives/alertes/moderation/", subscriptions.moderation_alerts,
         name="alert-moderation"),
    path("initiatives/alertes/confirmer/<str:token>/", subscriptions.confirm,
         name="alert-confirm"),
    path("initiatives/alertes/desabonner/<str:token>/", subscriptions.unsubscribe,
         name="alert-unsubscribe"),
    path("initiatives/<slug:slug>/", pages.detail, name="detail"),
    path("initiatives/<slug:slug>/contact/", pages.contact, name="contact"),
    path("initiatives/<slug:slug>/modifier/", pages.edit, name="edit"),
    path("initiatives/<slug:slug>/confirmer/", pages.confirm, name="confirm"),
    path("initiatives/<slug:slug>/voter/", pages.vote, name="vote"),
    *[path(f"donnees/initiatives.{fmt}", data.download, {"fmt": fmt}, name=f"download-{fmt}")
      for fmt in data.FORMATS],
    path("carte/", map.map_page, name="map"),
    path("carte/embed/", map.embed, name="embed"),
    path("carte/departements.geojson", map.departement_contours, name="map-departements"),
    path("carte/epci.geojson", map.epci_contours, name="map-epci"),
]  # fmt: skip
