from django.urls import path

from essaim.territories import views

app_name = "territories"
urlpatterns = [
    path("territoires/aller/", views.go, name="go"),
    path("territoires/autocompletion/", views.autocomplete, name="autocomplete"),
    path("donnees/territoires.csv", views.download_csv, name="download-csv"),
]
