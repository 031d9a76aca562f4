from django.urls import path

from essaim.accounts import views

app_name = "accounts"
urlpatterns = [
    path("mon-compte/", views.profile, name="profile"),
]
