"""Publications URLs outside the page tree: feeds and the front-end contribution pages.
Included before Wagtail's catch-all, so they win over any page slug."""

from django.urls import path

from essaim.publications import feeds, views

app_name = "publications"
urlpatterns = [
    path("articles.rss", feeds.ArticlesFeed(), name="rss"),
    path("articles.atom", feeds.ArticlesAtomFeed(), name="atom"),
    path("dossiers/<slug:slug>.rss", feeds.DossierFeed(), name="dossier-rss"),
    path("donnees/articles.csv", views.download_csv, name="download-csv"),
    path("articles/proposer/", views.propose, name="propose"),
    path("articles/mes-propositions/", views.mine, name="mine"),
    path("articles/mes-propositions/<int:page_id>/modifier/", views.edit, name="edit"),
]
