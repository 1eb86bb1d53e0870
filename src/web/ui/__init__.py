"""The browser UI: server-rendered Danish pages on the same service functions as the API.

Sessions are signed cookies carrying a revocable server-side token; every POST carries a CSRF
token (Flask-WTF); pages are plain HTML forms with a little htmx and, for diagrams, bpmn-js.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_wtf.csrf import CSRFProtect

from tasks.notifications.reading import unread_count
from web.auth import services
from web.ui import (
    admin_pages,
    approval_pages,
    auth_pages,
    case_pages,
    casefile_pages,
    catalogue_pages,
    inbox_pages,
    intake_pages,
    klage_pages,
    leder_pages,
    message_pages,
    notification_pages,
    plan_pages,
    post_pages,
    process_pages,
    public_pages,
    search_pages,
    standard_pages,
    statistics_pages,
    task_pages,
    visitation_pages,
)
from web.ui.filters import register_filters
from web.ui.session import IDLE_LIMIT, load_actor

BLUEPRINTS = (
    auth_pages,
    inbox_pages,
    intake_pages,
    task_pages,
    message_pages,
    case_pages,
    approval_pages,
    leder_pages,
    process_pages,
    standard_pages,
    catalogue_pages,
    search_pages,
    casefile_pages,
    plan_pages,
    klage_pages,
    admin_pages,
    notification_pages,
    post_pages,
    statistics_pages,
    visitation_pages,
    public_pages,
)

csrf = CSRFProtect()


def register_ui(app: Flask) -> None:
    app.config.update(
        WTF_CSRF_CHECK_DEFAULT=False,  # the JSON API uses bearer tokens, not cookies: checked per page below
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="sagsflow_session",
    )
    csrf.init_app(app)
    register_filters(app)
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)
    app.before_request(_before_page)
    app.context_processor(_template_helpers)


def _template_helpers() -> dict:
    def has_any(*roles: str) -> bool:
        actor = g.get("actor")
        return actor is not None and bool(actor.roles & set(roles))

    def unread() -> int:
        actor = g.get("actor")
        return unread_count(services().uow(), actor) if actor is not None else 0

    def idle_deadline() -> str:
        return (services().clock.now() + IDLE_LIMIT).isoformat()

    return {
        "has_any": has_any,
        "unread_notifications": unread,
        "idle_deadline": idle_deadline,
        "server_now": lambda: services().clock.now().isoformat(),
    }


UI_BLUEPRINTS = frozenset(module.bp.name for module in BLUEPRINTS)


def _before_page() -> None:
    if request.blueprint not in UI_BLUEPRINTS:
        return
    load_actor()
    if request.method == "POST":
        csrf.protect()
