"""Browser sessions: a signed cookie holding a server-side token, so logout and revocation work.

The cookie carries the same kind of token the API hands out (8 hours, revocable, stored hashed);
on top, a session ends after ``IDLE_LIMIT`` without a request, measured by the service clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from flask import Response, after_this_request, current_app, flash, g, redirect, request, session, url_for

from tasks.accounts.tokens import actor_for_token, issue_token, revoke_token
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Unauthenticated
from web.auth import client_address, services

IDLE_LIMIT = timedelta(minutes=30)
# A random key per login that a reverse proxy may hash on to send a caseworker's requests to the same web
# process, whose workflow cache then holds their cases (deploy/nginx-sticky.conf).  The session cookie
# cannot serve: it is signed again on every page (its last-seen time), so its value never stays the same.
# The key says nothing about the user.
ROUTE_COOKIE = "sagsflow_route"


def log_in(username: str, password: str) -> None:
    """Check the password (throttled like the API) and start a fresh session."""
    now = services().clock.now()
    token, _expires = issue_token(services().uow(), username, password, now, client_address())
    start_session(token, now)


def start_session(token: str, now: datetime) -> None:
    """A fresh session around a server-side token: by password or by single sign-on alike."""
    session.clear()
    session.permanent = True
    session["token"] = token
    session["seen"] = now.isoformat()
    route = secrets.token_urlsafe(9)

    @after_this_request
    def _set_route_cookie(response: Response) -> Response:
        secure = bool(current_app.config["SESSION_COOKIE_SECURE"])
        response.set_cookie(ROUTE_COOKIE, route, httponly=True, samesite="Lax", secure=secure)
        return response


def log_out() -> None:
    if token := session.get("token"):
        revoke_token(services().uow(), token, services().clock.now())
    session.clear()


def load_actor() -> None:
    """Before every page: resolve the session into ``g.actor`` (None when logged out or expired)."""
    g.actor = None
    token = session.get("token")
    if not token:
        return
    now = services().clock.now()
    if now - datetime.fromisoformat(session.get("seen", now.isoformat())) > IDLE_LIMIT:
        log_out()
        flash("Du er logget ud, fordi du ikke har været aktiv i 30 minutter.", "info")
        return
    try:
        g.actor = actor_for_token(services().uow(), token, now)
    except Unauthenticated:
        session.clear()
        flash("Din session er udløbet. Log ind igen.", "info")
        return
    session["seen"] = now.isoformat()


def page_actor() -> Actor:
    return g.actor


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("actor") is None:
            target = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("ui_auth.login", next=target))
        return view(*args, **kwargs)

    return wrapper


def roles_required(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A page for some roles only; others get 403 (the page exists, it is just not theirs)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not g.actor.roles & set(roles):
                raise Forbidden("Siden er ikke for din rolle")
            return view(*args, **kwargs)

        return login_required(wrapper)

    return decorate


def safe_next(target: str | None) -> str:
    """Only same-site paths after login: never redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("ui_auth.home")


def now() -> datetime:
    return services().clock.now()
