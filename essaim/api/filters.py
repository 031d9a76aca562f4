"""The ``theme`` and ``territoire`` parameters, read one way by the list endpoints: an
unknown value is a 400 that names the parameter (never a silently empty list)."""

from django.http import JsonResponse

from essaim.taxonomy.models import Theme
from essaim.territories.territory import find_territory

MAX_KEY = 100


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter, self.message = parameter, message

    def response(self) -> JsonResponse:
        return JsonResponse({"error": self.message, "parameter": self.parameter,
                             "errors": {self.parameter: self.message}}, status=400)  # fmt: skip


def theme_of(slug: str) -> Theme | None:
    if not (slug := slug.strip()[:MAX_KEY]):
        return None
    if theme := Theme.objects.filter(slug=slug).first():
        return theme
    raise BadParameter("theme", f"Thème inconnu : {slug}.")


def territory_of(key: str):
    if not (key := key.strip()[:MAX_KEY]):
        return None
    if territory := find_territory(key):
        return territory
    raise BadParameter("territoire", f"Territoire inconnu : {key}.")
