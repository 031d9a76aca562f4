from django.conf import settings
from django.contrib.sitemaps.views import sitemap
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
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("comptes/", include("allauth.urls")),
    path("", include("essaim.accounts.urls")),
    path("", include("essaim.territories.urls")),
    path("", include("essaim.taxonomy.urls")),
    path("", include("essaim.moderation.urls")),
    path("", include("essaim.initiatives.urls")),
    path("", include("essaim.veille.urls")),
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
