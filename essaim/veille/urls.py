from django.urls import path

from essaim.veille import feeds, views

app_name = "veille"
urlpatterns = [
    path("veille/", views.pick_list, name="picks"),
    path("veille/theme/<slug:slug>/", views.pick_list, name="theme"),
    path("veille/flux/", views.item_list, name="items"),
    path("veille/sources.opml", views.sources_opml, name="sources-opml"),
    path("veille/a-trier/", views.to_sort, name="to-sort"),
    path("veille/a-trier/<int:pk>/retenir/", views.pick, name="pick"),
    path("veille/lettres/", views.digest_list, name="digests"),
    path("veille/lettres/<int:pk>/", views.digest_detail, name="digest"),
    path("veille/abonnement/", views.subscribe, name="subscribe"),
    path("veille/abonnement/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("veille/abonnement/desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("veille.rss", feeds.PicksFeed(), name="rss"),
    path("donnees/veille.csv", views.picks_csv, name="download-csv"),
]
