"""Register a henvendelse or a stay from the browser: the form is a JSON Schema like a task's."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine.calendar import local_date, start_of_day
from tasks.accounts.teams import list_teams
from tasks.cases.opening import NewCase, open_case
from tasks.kvalitetsstandard.tables import ydelse_choices
from tasks.service.actors import Actor
from tasks.service.errors import Invalid
from tasks.work.forms import form_errors
from web.auth import services
from web.ui.schema_form import field_labels, flat_values, form_fields, parse_submission
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_intake", __name__)

CPR = {
    "type": "string",
    "title": "CPR-nummer",
    "pattern": r"^\d{6}-?\d{4}$",
    "maxLength": 11,
    "description": "DDMMÅÅ-XXXX; lad feltet stå tomt, hvis borgeren er anonym",
}
RECEIVED = {"type": "string", "format": "date", "title": "Modtaget", "description": "Dagen kommunen fik henvendelsen"}


def henvendelse_schema(ydelser: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "title": "Registrér henvendelse",
        "type": "object",
        "properties": {
            "title": {"type": "string", "title": "Emne", "minLength": 1, "maxLength": 200},
            "ydelse": {"title": "Ydelse", "oneOf": [{"const": value, "title": label} for value, label in ydelser]},
            "received_on": RECEIVED,
            "cpr": CPR,
            "name": {"type": "string", "title": "Borgerens navn", "maxLength": 200},
        },
        "required": ["title", "ydelse", "received_on"],
    }


BOFORMER = (
    {"const": "krisecenter", "title": "Krisecenter (Serviceloven § 109)"},
    {"const": "forsorgshjem", "title": "Forsorgshjem (Serviceloven § 110)"},
)


def stay_schema(actor: Actor, teams: list[str]) -> dict[str, Any]:
    """A krisecenter registers krisecenter stays only; the team is a choice from the teams table."""
    boformer = [b for b in BOFORMER if b["const"] == "krisecenter"] if not actor.holds("sagsbehandler") else BOFORMER
    return {
        "title": "Registrér ophold",
        "type": "object",
        "properties": {
            "process": {"title": "Botilbud", "oneOf": list(boformer)},
            "stay_started_on": {"type": "string", "format": "date", "title": "Opholdet begyndte"},
            "received_on": {**RECEIVED, "description": "Dagen kommunen blev orienteret om opholdet"},
            "team": {
                "title": "Kommunens team",
                "description": "Det team i kommunen, der skal følge op på opholdet",
                "oneOf": [{"const": t, "title": t} for t in teams],
            },
            "cpr": CPR,
            "name": {"type": "string", "title": "Navn", "maxLength": 200},
        },
        "required": ["process", "stay_started_on", "received_on", "team"],
    }


@bp.route("/sager/ny", methods=["GET", "POST"])
@roles_required("sagsbehandler")
def new_case():
    schema = henvendelse_schema(_ydelser())
    return _intake(schema, lambda data: _new_case(data, "sagsbehandling"))


@bp.route("/ophold/nyt", methods=["GET", "POST"])
@roles_required("krisecenter", "sagsbehandler")
def new_stay():
    actor = page_actor()
    schema = stay_schema(actor, [t.name for t in list_teams(services().uow())])
    defaults = {"process": "krisecenter", **({"team": actor.team} if actor.team else {})}
    return _intake(schema, lambda data: _new_case(data, data["process"]), defaults)


def _intake(schema: dict[str, Any], build, defaults: dict[str, Any] | None = None):
    fields = form_fields(schema)
    values: dict[str, Any] = {"received_on": local_date(now()).isoformat(), **(defaults or {})}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = parse_submission(schema, request.form)
        values = flat_values(data)
        errors = form_errors(schema, data)
        if not errors:
            try:
                case = open_case(services().uow(), page_actor(), build(data), now())
            except Invalid as exc:
                errors = {_FIELD_OF.get(k, k): v for k, v in exc.errors.items()} or {"_form": [exc.message]}
            else:
                flash(f"{case.reference} er oprettet.", "success")
                return redirect(url_for("ui_cases.case", case_id=case.id))
    status = 422 if errors else 200
    page = render_template(
        "intake.html", schema=schema, fields=fields, labels=field_labels(fields), values=values, errors=errors
    )
    return page, status


_FIELD_OF = {"received_at": "received_on"}  # the service names the moment, the form asks for the day


def _new_case(data: dict[str, Any], process: str) -> NewCase:
    return NewCase(
        process=process,
        received_at=_received_at(date.fromisoformat(data["received_on"])),
        title=data.get("title", ""),
        ydelse=data.get("ydelse"),
        team=data.get("team"),
        citizen_cpr=data.get("cpr"),
        citizen_name=data.get("name"),
        stay_started_on=date.fromisoformat(data["stay_started_on"]) if data.get("stay_started_on") else None,
    )


def _received_at(day: date) -> datetime:
    """Today means now; an earlier day means the start of that day (the frister count from the day)."""
    current = now()
    return current if day == local_date(current) else start_of_day(day)


def _ydelser() -> list[tuple[str, str]]:
    return ydelse_choices(services().uow())
