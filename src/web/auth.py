"""Bearer-token authentication for the API: resolve the token once per request into an Actor."""

from __future__ import annotations

from flask import current_app, g, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from tasks.actors import Actor
from tasks.errors import Unauthenticated
from tasks.users import actor_for_token
from web.config import Settings

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
    """A body that is not JSON would otherwise be read as "no fields given" and use the defaults.

    NUL characters are refused everywhere: PostgreSQL cannot store them in text, and no field needs one."""
    if not request.path.startswith("/api/v1"):
        return
    if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
        raise BadRequest("NUL-tegn er ikke tilladt")
    if request.method in ("POST", "PUT", "PATCH") and request.content_length:
        if not request.is_json:
            raise UnsupportedMediaType("Brug Content-Type: application/json")
        body = request.get_data(cache=True)
        if b"\x00" in body or b"\\u0000" in body:
            raise BadRequest("NUL-tegn er ikke tilladt")


def client_address() -> str | None:
    """The caller's address; behind trusted proxies ProxyFix (SAGSFLOW_TRUSTED_PROXIES) has set it from
    X-Forwarded-For, otherwise the header is ignored, so a client cannot choose its own address."""
    return request.remote_addr


def bearer_token() -> str:
    return request.headers.get("Authorization", "").partition(" ")[2].strip()


def current_actor() -> Actor:
    return g.actor


def services():
    return current_app.extensions["sagsflow"]


def settings() -> Settings:
    return current_app.extensions["sagsflow_settings"]
