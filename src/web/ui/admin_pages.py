"""Administration: users (roles, team, active), teams (name, mailbox, active) and the access log with filters."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from engine.calendar import start_of_day
from tasks.access.log import read_access_log
from tasks.access.roles import ROLE_LABELS_DA, ROLES
from tasks.accounts.teams import all_teams, create_team, update_team
from tasks.accounts.users import create_user_as, get_user, list_users, update_user
from tasks.service.errors import Conflict, Invalid
from web.auth import services
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_admin", __name__)

ADMIN = "administrator"
USER_ID = "<int(max=2147483647):user_id>"
TEAM_ID = "<int(max=2147483647):team_id>"


@bp.route("/admin/brugere", methods=["GET", "POST"])
@roles_required(ADMIN)
def users() -> ResponseReturnValue:
    errors: dict[str, list[str]] = {}
    values = dict(request.form) if request.method == "POST" else {}
    if request.method == "POST":
        fields = {
            "username": request.form.get("username", "").strip(),
            "password": request.form.get("password", ""),
            "roles": request.form.getlist("roles"),
            "team": request.form.get("team") or None,
            "full_name": request.form.get("full_name", "").strip(),
            "email": request.form.get("email", "").strip() or None,
        }
        try:
            created = create_user_as(services().uow(), page_actor(), fields, now())
        except (Invalid, Conflict) as exc:
            errors = exc.errors or {"_form": [exc.message]}
        else:
            flash(f"Brugeren {created.username} er oprettet.", "success")
            return redirect(url_for("ui_admin.users"))
    html = render_template(
        "admin_users.html",
        users=list_users(services().uow(), page_actor()),
        teams=all_teams(services().uow(), page_actor()),
        roles=[(r, ROLE_LABELS_DA[r]) for r in ROLES],
        errors=errors,
        values=values,
        chosen_roles=request.form.getlist("roles"),
    )
    return html, (422 if errors else 200)


@bp.route(f"/admin/brugere/{USER_ID}", methods=["GET", "POST"])
@roles_required(ADMIN)
def user(user_id: int) -> ResponseReturnValue:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        team = request.form.get("team") or None
        try:
            update_user(
                services().uow(),
                page_actor(),
                user_id,
                roles=request.form.getlist("roles"),
                team=team,
                clear_team=team is None,
                full_name=request.form.get("full_name", ""),
                email=request.form.get("email", ""),
                active=request.form.get("active") == "true",
            )
        except Invalid as exc:
            errors = exc.errors or {"_form": [exc.message]}
        else:
            flash("Brugeren er gemt.", "success")
            return redirect(url_for("ui_admin.users"))
    html = render_template(
        "admin_user.html",
        user=get_user(services().uow(), page_actor(), user_id),
        teams=all_teams(services().uow(), page_actor()),
        roles=[(r, ROLE_LABELS_DA[r]) for r in ROLES],
        errors=errors,
    )
    return html, (422 if errors else 200)


@bp.route("/admin/teams", methods=["GET", "POST"])
@roles_required(ADMIN)
def teams() -> ResponseReturnValue:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            created = create_team(
                services().uow(), page_actor(), request.form.get("name", ""), request.form.get("mailbox_email"), now()
            )
        except (Invalid, Conflict) as exc:
            errors = exc.errors or {"_form": [exc.message]}
        else:
            flash(f"{created.name} er oprettet.", "success")
            return redirect(url_for("ui_admin.teams"))
    html = render_template(
        "admin_teams.html", teams=all_teams(services().uow(), page_actor()), errors=errors, values=request.form
    )
    return html, (422 if errors else 200)


@bp.post(f"/admin/teams/{TEAM_ID}")
@roles_required(ADMIN)
def team(team_id: int) -> ResponseReturnValue:
    mailbox = request.form.get("mailbox_email", "").strip()
    try:
        update_team(
            services().uow(),
            page_actor(),
            team_id,
            name=request.form.get("name", ""),
            mailbox_email=mailbox or None,
            clear_mailbox=not mailbox,
            active=request.form.get("active") == "true",
        )
    except (Invalid, Conflict) as exc:
        errors = {f"team-{team_id}.{k}": v for k, v in exc.errors.items()} or {"_form": [exc.message]}
        html = render_template(
            "admin_teams.html", teams=all_teams(services().uow(), page_actor()), errors=errors, values={}
        )
        return html, 422
    flash("Teamet er gemt.", "success")
    return redirect(url_for("ui_admin.teams"))


@bp.get("/adgangslog")
@roles_required(ADMIN)
def access_log() -> ResponseReturnValue:
    args = request.args
    errors: dict[str, list[str]] = {}
    since = _day(args.get("fra", ""), "fra", errors)
    until = _day(args.get("til", ""), "til", errors)
    entries = []
    if not errors:
        try:
            entries = read_access_log(
                services().uow(),
                page_actor(),
                limit=500,
                username=args.get("bruger", "").strip() or None,
                case_reference=args.get("sag", "").strip() or None,
                since=start_of_day(since) if since else None,
                until=start_of_day(until, days_after=1) if until else None,
            )
        except Invalid as exc:
            errors = {"til" if k == "until" else k: v for k, v in exc.errors.items()}
    html = render_template("access_log.html", entries=entries, errors=errors, args=args)
    return html, (422 if errors else 200)


def _day(raw: str, name: str, errors: dict[str, list[str]]) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = ["Skriv en dato (ÅÅÅÅ-MM-DD)"]
        return None
