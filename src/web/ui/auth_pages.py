"""Log in and out of the browser UI: by password, or through the municipality's identity provider."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for

from tasks.accounts.login_throttle import TooManyAttempts
from tasks.accounts.sso import sign_in
from tasks.service.errors import DomainError, Forbidden, Unauthenticated
from web.auth import services, settings
from web.oidc import OidcClient, SsoError
from web.ui.session import IDLE_LIMIT, log_in, log_out, login_required, safe_next, start_session

bp = Blueprint("ui_auth", __name__)
log = logging.getLogger(__name__)

HOME_BY_ROLE = (
    ("sagsbehandler", "ui_inbox.inbox"),
    ("faglig_konsulent", "ui_approvals.approvals"),
    ("krisecenter", "ui_inbox.inbox"),
    ("leder", "ui_leder.overview"),
    ("procesejer", "ui_processes.processes"),
    ("administrator", "ui_leder.overview"),
)
SSO_PENDING = "sso_pending"


@bp.get("/")
def home():
    if g.actor is None:
        return redirect(url_for("ui_auth.login"))
    endpoint = next((e for role, e in HOME_BY_ROLE if g.actor.holds(role)), "ui_inbox.inbox")
    return redirect(url_for(endpoint))


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    error, status, headers = None, 200, {}
    if request.method == "POST":
        if not settings().password_login:
            raise Forbidden("Log ind med adgangskode er slået fra; brug kommunens login")
        try:
            log_in(request.form.get("username", "").strip(), request.form.get("password", ""))
        except TooManyAttempts as exc:
            error, status, headers = exc.message, 429, {"Retry-After": str(exc.retry_after)}
        except Unauthenticated as exc:
            error, status = exc.message, 401
        else:
            return redirect(safe_next(request.args.get("next")))
    return _login_page(error, request.form.get("username", "")), status, headers


@bp.get("/log-ind/sso")
def sso_start():
    """Send the browser to the identity provider (authorization code flow with PKCE, state and nonce)."""
    try:
        url, pending = _oidc().begin(url_for("ui_auth.sso_callback", _external=True))
    except SsoError as exc:  # the provider does not answer discovery
        log.warning("Single sign-on kunne ikke starte: %s (%s)", exc, repr(exc.__cause__)[:300])
        return _login_page(str(exc), ""), 503
    session[SSO_PENDING] = pending.as_dict()
    return redirect(url)


@bp.get("/log-ind/sso/callback")
def sso_callback():
    """Back from the identity provider: verify, provision or refresh the user, start the session."""
    pending = session.pop(SSO_PENDING, None)
    try:
        claims = _oidc().finish(pending, request.args)
        signed_in = sign_in(
            services().uow(),
            _oidc().settings.issuer,
            claims,
            current_app.extensions["sagsflow_sso_mapping"],
            services().clock.now(),
        )
    except (SsoError, DomainError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        log.warning("Single sign-on afvist: %s (%s)", message, repr(exc.__cause__)[:300])
        return _login_page(message, ""), 401
    start_session(signed_in.token, services().clock.now())
    return redirect(url_for("ui_auth.home"))


@bp.post("/log-ud")
def logout():
    log_out()
    flash("Du er logget ud.", "info")
    return redirect(url_for("ui_auth.login"))


def _oidc() -> OidcClient:
    client = current_app.extensions.get("sagsflow_oidc")
    if client is None:
        raise Forbidden("Single sign-on er ikke sat op")
    return client


def _login_page(error: str | None, username: str) -> str:
    oidc = settings().oidc
    sso_name = oidc.name if oidc is not None else None
    return render_template(
        "login.html", error=error, username=username, sso_name=sso_name, password_login=settings().password_login
    )


@bp.get("/session/forny")
@login_required
def keepalive():
    """A request that keeps the session alive (the idle-logout warning's button); answers the new deadline."""
    now = services().clock.now()
    return jsonify({"idle_deadline": (now + IDLE_LIMIT).isoformat(), "server_now": now.isoformat()})
