from django.urls import path

from essaim.observatory import views

app_name = "observatory"
urlpatterns = [
    path("territoires/<str:code>/", views.territory, name="territory"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/<slug:slug>/", views.theme, name="theme"),
]
