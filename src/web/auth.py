"""Bearer-token authentication for the API: resolve the token once per request into an Actor."""

from __future__ import annotations

from flask import current_app, g, request

from tasks.accounts.tokens import actor_for_token
from tasks.service.actors import Actor
from tasks.service.errors import Unauthenticated
from web.config import Settings

PUBLIC_ENDPOINTS = {"auth.token", "api-docs.openapi_json", "reporting.frister"}


def authenticate_request() -> None:
    if not request.path.startswith("/api/v1") or request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Mangler adgangstoken (Authorization: Bearer ...)")
    services = current_app.extensions["sagsflow"]
    g.actor = actor_for_token(services.uow(), token.strip(), services.clock.now())


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
