from django.urls import path

from essaim.observatory import views

app_name = "observatory"
urlpatterns = [
    path("territoires/<str:code>/", views.territory, name="territory"),
    path("territoires/<str:code>/embed/", views.territory_embed, name="territory-embed"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/<slug:slug>/", views.theme, name="theme"),
    path("observatoire/", views.observatory, name="dashboard"),
    path("observatoire/<slug:slug>.csv", views.observatory_csv, name="dashboard-csv"),
    path("observatoire/<slug:slug>/embed/", views.observatory_chart_embed, name="chart-embed"),
    path("donnees/", views.data, name="data"),
    path("donnees/catalogue.jsonld", views.data_catalogue, name="data-catalogue"),
]
