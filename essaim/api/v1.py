"""The public API, version 1 (django-ninja: typed endpoints and an OpenAPI 3 document).

Each module's endpoints live in their own router module here (``essaim/api/<module>.py``)
and are mounted below. Every endpoint starts from ``Model.objects.public()``.
"""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from essaim.api.errors import document_access
from essaim.api.filters import BadParameter


class EssaimApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        # What ``api.access`` answers before any view (401, 429, rate-limit headers) is
        # documented on every operation.
        return document_access(super().get_openapi_schema(**kwargs))


api = EssaimApi(
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
    docs_url=None,  # our own page (api.views.api_docs): no third-party script
)


@api.exception_handler(BadParameter)
def bad_parameter(request, error: BadParameter):
    """An unknown theme, territory, bbox… anywhere in an endpoint: the shared 400 naming
    the parameter."""
    return error.response()


from essaim.api.map import router as map_router  # noqa: E402 (mounted after the api exists)

api.add_router("/map/", map_router)

from essaim.api.initiatives import router as initiatives_router  # noqa: E402 (after api)

api.add_router("/initiatives", initiatives_router)

from essaim.api.events import router as events_router  # noqa: E402 (after api)

api.add_router("/events", events_router)

from essaim.api.publications import router as publications_router  # noqa: E402 (after api)

api.add_router("/", publications_router)

from essaim.api.experiences import router as experiences_router  # noqa: E402 (after api)

api.add_router("/", experiences_router)

from essaim.api.veille import router as veille_router  # noqa: E402 (after api)

api.add_router("/", veille_router)

from essaim.api.territories import router as territories_router  # noqa: E402 (after api)

api.add_router("/", territories_router)

from essaim.api.evaluation import router as evaluation_router  # noqa: E402 (after api)

api.add_router("/evaluation", evaluation_router)

from essaim.api.consultations import router as consultations_router  # noqa: E402 (after api)

api.add_router("/consultations", consultations_router)

from essaim.api.directory import (  # noqa: E402 (after api)
    offers_needs_router,
    organisations_router,
    people_router,
)

api.add_router("/organisations", organisations_router)
api.add_router("/people", people_router)
api.add_router("/offers-needs", offers_needs_router)
