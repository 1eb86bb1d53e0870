"""Log in and out of the browser UI."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from tasks.service.errors import Unauthenticated
from web.ui.session import log_in, log_out, safe_next

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
