"""The app factory: nothing is built at import time."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_smorest import Api

from engine.clock import Clock, SystemClock
from engine.db import make_engine, make_session_factory
from engine.runtime import Runtime
from tasks.kvalitetsstandard import load_standard
from tasks.uow import Engine, Services
from web import auth
from web.api import admin, cases, decisions, definitions, tasks
from web.api import auth as auth_api
from web.config import Settings
from web.errors import register_error_handlers
from web.ui import register_ui


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    engine = make_engine(settings.database_url)
    return Services(
        session_factory=make_session_factory(engine),
        engine=Engine(runtime=Runtime(settings.engine_limits)),
        clock=clock or SystemClock(),
        standard=load_standard(settings.processes_dir),
    )


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    settings = settings or Settings.from_env()
    services = services or build_services(settings)
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
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
    app.extensions["sagsflow"] = services
    app.extensions["sagsflow_settings"] = settings
    api = Api(app)
    for module in (auth_api, cases, tasks, definitions, decisions, admin):
        api.register_blueprint(module.blp)
    app.before_request(auth.require_json_body)
    app.before_request(auth.authenticate_request)
    register_ui(app)
    register_error_handlers(app)
    return app
