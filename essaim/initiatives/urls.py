from django.urls import path

from essaim.initiatives.views import data, pages, subscriptions

app_name = "initiatives"
urlpatterns = [
    path("initiatives/alertes/", subscriptions.subscribe, name="alert-subscribe"),
    path("initiatives/alertes/moderation/", subscriptions.moderation_alerts,
         name="alert-moderation"),
    path("initiatives/alertes/confirmer/<str:token>/", subscriptions.confirm,
         name="alert-confirm"),
    path("initiatives/alertes/desabonner/<str:token>/", subscriptions.unsubscribe,
         name="alert-unsubscribe"),
    *[path(f"donnees/initiatives.{fmt}", data.download, {"fmt": fmt}, name=f"download-{fmt}")
      for fmt in data.FORMATS],
    path("initiatives/<slug:slug>/", pages.detail, name="detail"),
]  # fmt: skip
