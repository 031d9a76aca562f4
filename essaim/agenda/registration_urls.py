"""Registration URLs, included from essaim/urls.py at "agenda/" (next to the agenda's own)."""

from django.urls import path

from essaim.agenda.views import registrations

app_name = "agenda_registrations"
urlpatterns = [
    path("<slug:slug>/inscription/", registrations.register, name="register"),
    path("<slug:slug>/inscription/confirmer/<str:token>/", registrations.confirm,
         name="confirm"),
    path("<slug:slug>/inscription/annuler/<str:token>/", registrations.cancel, name="cancel"),
    path("<slug:slug>/inscrits/", registrations.registrants, name="registrants"),
    path("<slug:slug>/inscrits.csv", registrations.registrants_csv, name="registrants-csv"),
]  # fmt: skip
