"""What the API answers when it cannot: one documented shape per kind of refusal, so that
clients (and the schema-driven fuzz test) know every status an operation may return."""

from ninja import Schema


class ParameterError(Schema):
    """400: a parameter could not be understood; ``parameter`` names it."""

    error: str
    parameter: str
    errors: dict[str, str] | None = None


class NotFound(Schema):
    """404: nothing public at that address."""

    detail: str


def query_parameter(name: str, description: str, *, required: bool = False, kind="string"):
    """An OpenAPI query parameter, for views that read ``request.GET`` themselves."""
    return {"in": "query", "name": name, "required": required, "description": description,
            "schema": {"type": kind}}  # fmt: skip


MAP_VIEW_PARAMETERS = [
    query_parameter("bbox", "Emprise de la vue : ouest,sud,est,nord (degrés).", required=True),
    query_parameter("zoom", "Niveau de zoom, de 0 à 20.", kind="integer"),
    query_parameter("theme", "Thème (identifiant d'URL), sous-thèmes compris."),
    query_parameter("territoire", "Territoire (code INSEE ou clé « region-24 »)."),
    query_parameter("q", "Texte cherché dans le nom."),
]
