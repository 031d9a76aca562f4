from django.urls import path

from essaim.moderation import views

app_name = "moderation"
urlpatterns = [
    path("signaler/<str:type_label>/<str:pk>/", views.report, name="report"),
]
