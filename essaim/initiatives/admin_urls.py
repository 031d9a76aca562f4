"""Back-office routes of the initiatives module (mounted under /admin/initiatives/)."""

from django.urls import path

from essaim.initiatives import admin_views
from essaim.initiatives.views import imports as import_views

app_name = "initiatives_admin"
urlpatterns = [
    path("doublons/", admin_views.duplicates, name="duplicates"),
    path("doublons/fusionner/", admin_views.merge, name="merge"),
    path("imports/", import_views.start, name="import"),
    path("imports/<int:run_id>/", import_views.run_detail, name="import-run"),
]
