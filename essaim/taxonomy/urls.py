from django.urls import path

from essaim.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("themes/couleurs.css", views.colours, name="colours"),
]
