from django.urls import path

from essaim.search import views

app_name = "search"
urlpatterns = [
    path("recherche/", views.results, name="results"),
]
