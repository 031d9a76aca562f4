"""Back-office URLs, mounted under /admin/moderation/ by wagtail_hooks.py."""

from django.urls import path

from essaim.moderation import admin_views

app_name = "moderation_admin"
urlpatterns = [
    path("", admin_views.queue, name="queue"),
    path("refuser/", admin_views.bulk_reject, name="bulk_reject"),
    path("bloquer/", admin_views.block, name="block"),
    path("adresses-bloquees/", admin_views.blocked_addresses, name="blocked"),
    path("adresses-bloquees/<int:pk>/debloquer/", admin_views.unblock, name="unblock"),
    path("versions/<int:version_id>/<str:decision>/", admin_views.decide_version, name="version"),
    path("<str:type_label>/<str:pk>/", admin_views.item, name="item"),
    path("<str:type_label>/<str:pk>/historique.csv", admin_views.history_csv, name="history_csv"),
    path("<str:type_label>/<str:pk>/<str:action>/", admin_views.act, name="act"),
]
