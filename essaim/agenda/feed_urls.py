"""Agenda feeds at the site root (/agenda.ics, /agenda/<slug>.ics, …): included before the
"agenda/" pages so that "<slug>.ics" is not taken for a page's slug."""

from django.urls import path

from essaim.agenda.views import feeds

app_name = "agenda_feeds"
urlpatterns = [
    path("agenda.ics", feeds.agenda_ics, name="ics"),
    path("agenda.rss", feeds.agenda_rss, name="rss"),
    path("agenda/theme/<slug:slug>.ics", feeds.theme_ics, name="theme_ics"),
    path("agenda/theme/<slug:slug>.rss", feeds.theme_rss, name="theme_rss"),
    path("agenda/organisateur/<slug:slug>.ics", feeds.organiser_ics, name="organiser_ics"),
    path("agenda/<slug:slug>.ics", feeds.event_ics, name="event_ics"),
    path("donnees/evenements.ics", feeds.download_ics, name="download-ics"),
    path("donnees/evenements.csv", feeds.download_csv, name="download-csv"),
]
