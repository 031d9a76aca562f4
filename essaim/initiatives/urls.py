from django.urls import path

from essaim.initiatives.views import map, pages

app_name = "initiatives"
urlpatterns = [
    path("initiatives/<slug:slug>/", pages.detail, name="detail"),
]
urlpatterns += [
    path("carte/", map.map_page, name="map"),
    path("carte/embed/", map.embed, name="embed"),
    path("carte/departements.geojson", map.departement_contours, name="map-departements"),
]
