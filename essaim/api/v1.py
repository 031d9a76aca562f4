"""The public API, version 1 (django-ninja: typed endpoints and an OpenAPI 3 document).

Each module's endpoints live in their own router module here (``essaim/api/<module>.py``)
and are mounted below. Every endpoint starts from ``Model.objects.public()``.
"""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

api = NinjaAPI(
    title="Essaim API",
    version="1",
    description=str(
        _(
            "API publique en lecture d'Essaim : uniquement les contenus publiés. "
            "Données sous licence ODbL sauf mention contraire."
        )
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

from essaim.api.map import router as map_router  # noqa: E402 (mounted after the api exists)

api.add_router("/map/", map_router)

from essaim.api.initiatives import router as initiatives_router  # noqa: E402 (after api)

api.add_router("/initiatives", initiatives_router)

from essaim.api.events import router as events_router  # noqa: E402 (after api)

api.add_router("/events", events_router)

from essaim.api.directory import (  # noqa: E402 (after api)
    offers_needs_router,
    organisations_router,
    people_router,
)

api.add_router("/organisations", organisations_router)
api.add_router("/people", people_router)
api.add_router("/offers-needs", offers_needs_router)
