from django.urls import path

from essaim.accounts import views

app_name = "accounts"
urlpatterns = [
    path("mon-compte/", views.profile, name="profile"),
    path("mon-compte/mes-donnees/", views.personal_data_page, name="personal-data-page"),
    path("mon-compte/mes-donnees.json", views.personal_data_download, name="personal-data"),
    path("mon-compte/supprimer/", views.delete_account, name="delete"),
]
