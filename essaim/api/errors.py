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


RATE_LIMIT_HEADERS = {
    name: {"description": description, "schema": {"type": "integer"}}
    for name, description in [
        ("RateLimit-Limit", "Requêtes permises par minute pour ce client."),
        ("RateLimit-Remaining", "Requêtes restantes dans la minute en cours."),
        ("RateLimit-Reset", "Secondes avant la minute suivante."),
    ]
}
REFUSAL = {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}}
ACCESS_RESPONSES = {
    "401": {"description": "Clé d'API inconnue ou révoquée.",
            "content": {"application/json": {"schema": REFUSAL}}},
    "429": {"description": "Limite de requêtes atteinte : réessayer après Retry-After secondes.",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}, **RATE_LIMIT_HEADERS},
            "content": {"application/json": {"schema": REFUSAL}}},
}  # fmt: skip


def document_access(schema: dict) -> dict:
    """Add the API keys (optional) and the 401/429 answers of ``api.access`` to ``schema``."""
    components = schema.setdefault("components", {})
    components.setdefault("securitySchemes", {}).update({
        "cleApi": {"type": "apiKey", "in": "header", "name": "X-Api-Key",
                   "description": "Facultative : une limite de requêtes plus haute."},
        "bearer": {"type": "http", "scheme": "bearer"},
    })  # fmt: skip
    schema["security"] = [{}, {"cleApi": []}, {"bearer": []}]
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, answer in ACCESS_RESPONSES.items():
                responses.setdefault(status, answer)
            ok = responses.get("200") or responses.get(200)
            if ok is not None:
                ok.setdefault("headers", {}).update(RATE_LIMIT_HEADERS)
    return schema
