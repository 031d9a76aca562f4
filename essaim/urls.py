from django.conf import settings
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from essaim import views
from essaim.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("sante/", views.health, name="health"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal-notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("plan-du-site/", views.site_map, name="site-map"),
    path("robots.txt", views.robots_txt, name="robots"),
    # An index of one sitemap per section, each paginated (?p=2): the whole site would not
    # fit one file once a module holds a million items.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap"},
        name="sitemap-index",
    ),
    path("sitemap-<section>.xml", sitemaps.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("comptes/", include("allauth.urls")),
    path("", include("essaim.accounts.urls")),
    path("", include("essaim.territories.urls")),
    path("", include("essaim.taxonomy.urls")),
    path("", include("essaim.moderation.urls")),
    path("", include("essaim.initiatives.urls")),
    # Before any "agenda/" include: /agenda/<slug>.ics must not reach the pages' <slug>/.
    path("", include("essaim.agenda.feed_urls")),
    path("", include("essaim.agenda.urls")),
    path("agenda/", include("essaim.agenda.registration_urls")),
    path("", include("essaim.veille.urls")),
    path("", include("essaim.publications.urls")),
    path("", include("essaim.experiences.urls")),
    path("", include("essaim.evaluation.urls")),
    path("", include("essaim.consultations.urls")),
    path("", include("essaim.directory.urls")),
    path("", include("essaim.observatory.urls")),
    path("", include("essaim.search.urls")),
    path("", include("essaim.api.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree serves whatever is left (publications will live there).
urlpatterns.append(path("", include(wagtail_urls)))
