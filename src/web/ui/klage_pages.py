"""Register a klage from a case's page, with the same service as the API (``tasks.klager.registration``):
what it is about (an afgørelse and its letter, a refused krisecenter stay) — or a complaint about how the help
is carried out, which the municipality handles itself (``tasks.klager.execution``)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine.calendar import local_date, start_of_day
from tasks.klager.execution import register_execution_complaint
from tasks.klager.model import KlageSubject
from tasks.klager.registration import KlageAbout, klage_choices, register_klage
from tasks.service.errors import Invalid
from web.auth import services
from web.ui.case_pages import ID
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_klage", __name__)

UDFOERELSE = "udfoerelse"
LABELS = {
    "subject": "Hvad klages der over",
    "letter_id": "Afgørelse",
    "received_on": "Klagen modtaget",
    "decision_received_on": "Borgeren modtog afgørelsen",
    "complaint": "Hvad borgeren klager over",
}


@bp.route(f"/sager/{ID}/klage", methods=["GET", "POST"])
@roles_required("sagsbehandler")
def klage(case_id: int):
    choices = klage_choices(services().uow(), page_actor(), case_id)
    today = local_date(now())
    values = {"received_on": today.isoformat(), "subject": "afgoerelse" if choices.letters else ""}
    if choices.letters:
        values["letter_id"] = str(choices.letters[-1][0])
        values["decision_received_on"] = choices.letters[-1][2].isoformat()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = {key: request.form.get(key, "").strip() for key in LABELS}
        try:
            return _register(case_id, values)
        except Invalid as exc:
            errors = {_FIELD.get(k, k): v for k, v in exc.errors.items()} or {"_form": [exc.message]}
    html = render_template("klage.html", choices=choices, values=values, errors=errors, labels=LABELS)
    return html, (422 if errors else 200)


_FIELD = {"received_at": "received_on", "case_id": "subject"}


def _register(case_id: int, values: dict[str, str]):
    subject = values["subject"]
    received_on = _day(values["received_on"], "received_on")
    if subject == UDFOERELSE:
        register_execution_complaint(services().uow(), page_actor(), case_id, received_on, values["complaint"], now())
        flash("Klagen over udførelsen er registreret på sagen. Den behandles af kommunen.", "success")
        return redirect(url_for("ui_cases.case", case_id=case_id))
    if subject not in {s.value for s in KlageSubject}:
        raise Invalid("Vælg hvad der klages over", {"subject": ["Vælg hvad der klages over"]})
    letter_id = int(values["letter_id"]) if values["letter_id"].isdigit() else None
    decided = _day(values["decision_received_on"], "decision_received_on")
    received_at = now() if received_on == local_date(now()) else start_of_day(received_on)
    about = KlageAbout(KlageSubject(subject), letter_id if subject == "afgoerelse" else None, values["complaint"])
    result = register_klage(services().uow(), page_actor(), case_id, received_at, decided, now(), about)
    late = "" if result.in_time else " Klagen er kommet efter klagefristen og skal vurderes."
    flash(f"Klagen er registreret som {result.case.reference}.{late}", "success")
    return redirect(url_for("ui_cases.case", case_id=result.case.id))


def _day(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid("Ugyldig dato", {field: ["Skriv en dato (ÅÅÅÅ-MM-DD)"]}) from None
