from django.urls import path
from django.views.generic import RedirectView

from essaim.api.v1 import api
from essaim.api.views import api_docs

urlpatterns = [
    path("api/", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("api/v1/docs", api_docs, name="api-docs"),
    path("api/v1/", api.urls),
]
