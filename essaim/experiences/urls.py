"""Experiences URLs outside the page tree (the sheets' own pages are routable Wagtail pages)."""

from django.urls import path

from essaim.experiences import views

app_name = "experiences"
urlpatterns = [
    path("donnees/experiences.csv", views.download_csv, name="download-csv"),
]
