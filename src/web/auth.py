"""Bearer-token authentication for the API: resolve the token once per request into an Actor."""

from __future__ import annotations

from flask import current_app, g, request
from werkzeug.exceptions import UnsupportedMediaType

from tasks.actors import Actor
from tasks.errors import Unauthenticated
from tasks.users import actor_for_token

PUBLIC_ENDPOINTS = {"auth.token", "api-docs.openapi_json"}


def authenticate_request() -> None:
    if not request.path.startswith("/api/v1") or request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Mangler adgangstoken (Authorization: Bearer ...)")
    services = current_app.extensions["sagsflow"]
    g.actor = actor_for_token(services.uow(), token.strip(), services.clock.now())


def require_json_body() -> None:
    """A body that is not JSON would otherwise be read as "no fields given" and use the defaults."""
    if request.path.startswith("/api/v1") and request.method in ("POST", "PUT", "PATCH"):
        if request.content_length and not request.is_json:
            raise UnsupportedMediaType("Brug Content-Type: application/json")


def bearer_token() -> str:
    return request.headers.get("Authorization", "").partition(" ")[2].strip()


def current_actor() -> Actor:
    return g.actor


def services():
    return current_app.extensions["sagsflow"]
