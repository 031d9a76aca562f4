"""The human-readable API page (/api/v1/docs), rendered on the server from the same
OpenAPI document that clients read: no third-party script, one source of truth."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from essaim.api.v1 import api

METHODS = ("get", "post", "put", "patch", "delete")


@require_safe
def api_docs(request):
    schema = api.get_openapi_schema()
    tags: dict[str, list[dict]] = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            entry = {
                "method": method.upper(),
                "path": path,
                "anchor": operation.get("operationId", f"{method}-{path}"),
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "parameters": [_parameter(p) for p in operation.get("parameters", [])],
                "responses": sorted((str(code), answer.get("description", ""))
                                    for code, answer in operation["responses"].items()),
            }  # fmt: skip
            tags.setdefault((operation.get("tags") or ["api"])[0], []).append(entry)
    return render(request, "api/docs.html", {
        "info": schema["info"],
        "groups": sorted(tags.items()),
        "rate_limit": settings.ESSAIM_API_RATE_LIMIT,
        "openapi_url": request.build_absolute_uri("/api/v1/openapi.json"),
        "base_url": request.build_absolute_uri("/api/v1"),
    })  # fmt: skip


def _parameter(parameter: dict) -> dict:
    schema = parameter.get("schema", {})
    kind = schema.get("type") or schema.get("format") or ""
    if not kind and "anyOf" in schema:
        kind = " | ".join(s.get("type", "") for s in schema["anyOf"] if s.get("type") != "null")
    return {
        "name": parameter["name"],
        "where": parameter.get("in", ""),
        "required": parameter.get("required", False),
        "type": kind,
        "description": parameter.get("description", "") or schema.get("description", ""),
    }
