"""The app factory: nothing is built at import time."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, request
from flask_smorest import Api
from werkzeug.middleware.proxy_fix import ProxyFix

from tasks.accounts.sso import ClaimMapping
from tasks.service.services import Services
from web import auth, ops
from web.api import (
    admin,
    case_plans,
    cases,
    catalogue,
    citizens,
    decisions,
    definitions,
    post,
    reporting,
    tasks,
    visitation,
)
from web.api import auth as auth_api
from web.bootstrap import bootstrap
from web.config import Settings
from web.errors import register_error_handlers
from web.logs import install_request_ids
from web.metrics import Metrics
from web.oidc import OidcClient
from web.request_guards import check_api_request
from web.security import install_security_headers
from web.ui import register_ui


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Raises ``ConfigError`` for unsafe settings (the development secret key outside the demo)."""
    settings = settings or Settings.from_env()
    settings.check_secret_key()
    services = services or bootstrap(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        API_TITLE="Sagsflow",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
            "security": [{"bearer": []}],
            "info": {"description": "Sagsflow: sagsbehandling på det specialiserede voksenområde (Serviceloven)"},
        },
    )
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.extensions["sagsflow"] = services
    app.extensions["sagsflow_settings"] = settings
    _wire_sso(app, settings)
    install_request_ids(app)
    metrics = Metrics()
    metrics.install(app)
    app.extensions["sagsflow_metrics"] = metrics
    api = Api(app)
    for module in (
        auth_api,
        cases,
        case_plans,
        citizens,
        tasks,
        definitions,
        decisions,
        catalogue,
        visitation,
        admin,
        post,
        reporting,
    ):
        api.register_blueprint(module.blp)
    api.register_blueprint(post.problems_blp)
    app.register_blueprint(ops.bp)
    app.before_request(_upload_limit)
    app.before_request(check_api_request)
    app.before_request(auth.authenticate_request)
    register_ui(app)
    install_security_headers(app)
    register_error_handlers(app)
    return app


def _wire_sso(app: Flask, settings: Settings) -> None:
    if settings.oidc is None:
        return
    oidc = settings.oidc
    app.extensions["sagsflow_oidc"] = OidcClient(oidc)
    app.extensions["sagsflow_sso_mapping"] = ClaimMapping(
        username_claim=oidc.username_claim,
        role_claim=oidc.role_claim,
        role_map=oidc.role_map,
        team_claim=oidc.team_claim,
    )


UPLOAD_ENDPOINTS = frozenset({"cases.upload_document_", "ui_casefile.upload"})


def _upload_limit() -> None:
    """Uploads may be larger than other bodies: the document limit plus room for the multipart framing."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = current_app.extensions["sagsflow_settings"].max_upload_bytes + 64 * 1024
