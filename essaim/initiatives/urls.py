from django.urls import path

from essaim.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("initiatives/<slug:slug>/", views.detail, name="detail"),
]
