"""Log in and out of the browser UI."""

from __future__ import annotations

from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for

from tasks.service.errors import Unauthenticated
from web.auth import services
from web.ui.session import IDLE_LIMIT, log_in, log_out, login_required, safe_next

bp = Blueprint("ui_auth", __name__)

HOME_BY_ROLE = (
    ("sagsbehandler", "ui_inbox.inbox"),
    ("faglig_konsulent", "ui_approvals.approvals"),
    ("krisecenter", "ui_inbox.inbox"),
    ("leder", "ui_leder.overview"),
    ("procesejer", "ui_processes.processes"),
    ("administrator", "ui_leder.overview"),
)


@bp.get("/")
def home():
    if g.actor is None:
        return redirect(url_for("ui_auth.login"))
    endpoint = next((e for role, e in HOME_BY_ROLE if g.actor.holds(role)), "ui_inbox.inbox")
    return redirect(url_for(endpoint))


@bp.route("/log-ind", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        try:
            log_in(request.form.get("username", "").strip(), request.form.get("password", ""))
        except Unauthenticated as exc:
            error = exc.message
        else:
            return redirect(safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("login.html", error=error, username=request.form.get("username", "")), status


@bp.post("/log-ud")
def logout():
    log_out()
    flash("Du er logget ud.", "info")
    return redirect(url_for("ui_auth.login"))


@bp.get("/session/forny")
@login_required
def keepalive():
    """A request that keeps the session alive (the idle-logout warning's button); answers the new deadline."""
    now = services().clock.now()
    return jsonify({"idle_deadline": (now + IDLE_LIMIT).isoformat(), "server_now": now.isoformat()})
