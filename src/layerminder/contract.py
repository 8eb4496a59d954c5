"""The API contract in one place: /openapi.json says exactly what every /api/ route answers.

Endpoints declare the errors their own code raises (`responses(NotFound, ...)`); what every
route shares is derived here from the route itself, so a route added anywhere comes out right:

- 422 `{"error", "detail"}` (never FastAPI's `detail: [...]`) wherever a route takes input;
- the errors of its dependencies (`@raises(NotAuthenticated)` on `get_current_user`, ...);
- 404 wherever the path names something (a path parameter) that may not exist;
- every 4xx/5xx body as `application/json` ErrorBody, even on routes whose 200 is an image;
- optional authentication (`OptionalUser`) as optional in `security`.

It also answers unknown paths and methods under /api/ with JSON 404 / 405 (with the full `Allow`)
rather than the studio's HTML page.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from layerminder.errors import (
    ErrorBody,
    LayerminderError,
    MethodNotAllowed,
    NotFound,
    ValidationError,
    declared_errors,
    optional_auth,
)

API_PREFIX = "/api/"
ERROR_SCHEMA_REF = "#/components/schemas/ErrorBody"
# Every method a client may send; the catch-all takes them all so it can say 404 or 405.
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def install_contract(app: FastAPI) -> None:
    """Call after every router is included (and before the studio is mounted at /)."""
    app.add_api_route(
        "/api/{path:path}", _no_such_route, methods=ALL_METHODS, include_in_schema=False
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


def _api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """Every API route as it is served (prefixes of included routers applied)."""
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.endpoint is not _no_such_route:
            yield context


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods some route of this path accepts (for `Allow`), the catch-all excluded."""
    methods: set[str] = set()
    for context in _api_routes(app):
        regex = getattr(context, "path_regex", None)
        if regex is not None and regex.match(path) and context.methods:
            methods |= set(context.methods)
    return sorted(methods)


async def _no_such_route(request: Request) -> None:
    allowed = allowed_methods(request.app, request.url.path)
    if allowed:
        raise MethodNotAllowed(f"{request.method} is not allowed here", allow=allowed)
    raise NotFound(f"no API route {request.url.path}")


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


def _route_errors(context: RouteContext) -> tuple[list[type[LayerminderError]], bool]:
    """The errors this route can answer beyond its own `responses`, and whether its
    authentication is optional."""
    errors: list[type[LayerminderError]] = []
    optional = False
    takes_input = False
    root: Dependant = context.dependant
    for dependant in _dependants(root):
        call: Callable[..., Any] | None = dependant.call
        if call is not None:
            errors.extend(declared_errors(call))
            optional = optional or optional_auth(call)
        takes_input = takes_input or bool(
            dependant.path_params
            or dependant.query_params
            or dependant.header_params
            or dependant.cookie_params
            or dependant.body_params
        )
    if takes_input:
        errors.append(ValidationError)
    if any(d.path_params for d in _dependants(root)):
        errors.append(NotFound)
    return errors, optional


def _error_response(names: list[str], description: str | None) -> dict[str, Any]:
    said = [part.strip() for part in (description or "").split("|") if part.strip()]
    codes = said + [name for name in names if name not in said]
    return {
        "description": " | ".join(codes),
        "content": {"application/json": {"schema": {"$ref": ERROR_SCHEMA_REF}}},
    }


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    components = spec.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorBody"] = ErrorBody.model_json_schema()
    for context in _api_routes(app):
        path = context.path_format or ""
        if not (context.include_in_schema and path.startswith(API_PREFIX)):
            continue
        extra, optional = _route_errors(context)
        for method in context.methods or ():
            _document(spec["paths"][path][method.lower()], extra, optional)
    # FastAPI's own validation shapes are never sent: every 422 is an ErrorBody.
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    app.openapi_schema = spec
    return spec


def _document(
    operation: dict[str, Any], extra: list[type[LayerminderError]], optional: bool
) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    by_status: dict[str, list[str]] = {}
    for error in extra:
        by_status.setdefault(str(error.status_code), []).append(error.__name__)
    for status in set(responses) | set(by_status):
        if status[:1] not in ("4", "5"):
            continue
        current = responses.get(status, {})
        description = current.get("description")
        if description in ("Validation Error", "Unprocessable Content"):
            description = None
        responses[status] = _error_response(by_status.get(status, []), description)
    operation["responses"] = dict(sorted(responses.items()))
    if optional and operation.get("security"):
        # No credentials is fine too (a signed URL, a public room); bad ones are a 401.
        operation["security"] = [{}, *copy.deepcopy(operation["security"])]
