"""Sitemap section: live, public articles and dossiers (and their two indexes)."""

from django.contrib.sitemaps import Sitemap
from wagtail.models import Page

from essaim.publications.models import ArticleIndexPage, ArticlePage, DossierIndexPage, DossierPage


class PublicationsSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        types = [ArticleIndexPage, ArticlePage, DossierIndexPage, DossierPage]
        return Page.objects.live().public().type(*types).order_by("path")

    def location(self, page):
        return page.get_url()

    def lastmod(self, page):
        return page.last_published_at
