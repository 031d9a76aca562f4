from django.urls import path

from essaim.initiatives import admin_views

app_name = "initiatives_admin"
urlpatterns = [
    path("doublons/", admin_views.duplicates, name="duplicates"),
    path("doublons/fusionner/", admin_views.merge, name="merge"),
]
