from django.urls import path

from essaim.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
]
