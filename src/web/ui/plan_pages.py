"""The case page's § 141 handleplan and bestillinger to leverandører: each form posts to one service function; bad
input re-renders the case page with the error at the field and nothing stored."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from tasks.bestillinger.ordering import NewBestilling, create_bestilling, record_status
from tasks.handleplaner.plans import save_handleplan
from tasks.service.errors import Invalid
from web.auth import services
from web.ui.case_pages import ID, render_case
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_plans", __name__)

MAX_GOAL_ROWS = 30
BID = "<int(max=2147483647):bestilling_id>"


@bp.post(f"/sager/{ID}/handleplan")
@roles_required("sagsbehandler")
def handleplan(case_id: int):
    form = request.form
    values = {f"handleplan.{k}": v for k, v in form.items() if k != "csrf_token"}
    goals, rows = _goals(form)
    try:
        answered = _optional_day(form.get("besvaret_on", ""), "besvaret_on")
        plan = save_handleplan(services().uow(), page_actor(), case_id, form.get("status", ""), goals, now(), answered)
    except Invalid as exc:
        return render_case(case_id, {f"handleplan.{_row(k, rows)}": v for k, v in exc.errors.items()}, values, 422)
    flash(f"Handleplanen er gemt ({plan.status_da.lower()}).", "success")
    return redirect(url_for("ui_cases.case", case_id=case_id, _anchor="handleplan-h"))


@bp.post(f"/sager/{ID}/bestillinger")
@roles_required("sagsbehandler")
def order(case_id: int):
    form = request.form
    values = {f"bestilling.{k}": v for k, v in form.items() if k != "csrf_token"}
    try:
        new = NewBestilling(
            indsats=form.get("indsats", ""),
            formaal=form.get("formaal", ""),
            maal=form.get("maal", ""),
            leverandoer=form.get("leverandoer", "").strip() or None,
            start=_optional_day(form.get("start", ""), "start"),
        )
        made = create_bestilling(services().uow(), page_actor(), case_id, new, now())
    except Invalid as exc:
        return render_case(case_id, {f"bestilling.{k}": v for k, v in exc.errors.items()}, values, 422)
    flash(f"Bestillingen hos {made.leverandoer} er oprettet.", "success")
    return redirect(url_for("ui_cases.case", case_id=case_id, _anchor="bestillinger-h"))


@bp.post(f"/sager/{ID}/bestillinger/{BID}/status")
@roles_required("sagsbehandler")
def status(case_id: int, bestilling_id: int):
    form = request.form
    prefix = f"status{bestilling_id}"
    values = {f"{prefix}.received_on": form.get("received_on", ""), f"{prefix}.tekst": form.get("tekst", "")}
    try:
        received = _optional_day(form.get("received_on", ""), "received_on")
        if received is None:
            raise Invalid("Datoen mangler", {"received_on": ["Skriv datoen, statussen blev modtaget"]})
        record_status(services().uow(), page_actor(), case_id, bestilling_id, received, form.get("tekst", ""), now())
    except Invalid as exc:
        return render_case(case_id, {f"{prefix}.{k}": v for k, v in exc.errors.items()}, values, 422)
    flash("Leverandørens status er registreret.", "success")
    return redirect(url_for("ui_cases.case", case_id=case_id, _anchor="bestillinger-h"))


def _goals(form: Any) -> tuple[list[dict[str, str]], list[int]]:
    """The goal rows of the form and the form row of each; a row left wholly empty is no goal."""
    goals, rows = [], []
    for i in range(MAX_GOAL_ROWS + 1):
        purpose, goal = form.get(f"maal-{i}-indsatsformaal"), form.get(f"maal-{i}-maal")
        if purpose is None and goal is None:
            break
        if (purpose or "").strip() or (goal or "").strip():
            goals.append({"indsatsformaal": purpose or "", "maal": goal or ""})
            rows.append(i)
    return goals, rows


def _row(key: str, rows: list[int]) -> str:
    """The service names a goal by its place among the goals (``maal.1.maal``); the page by its form row."""
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "maal" and parts[1].isdigit() and int(parts[1]) < len(rows):
        parts[1] = str(rows[int(parts[1])])
    return ".".join(parts)


def _optional_day(raw: str, field: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise Invalid("Ugyldig dato", {field: ["Skriv en dato (ÅÅÅÅ-MM-DD)"]}) from None
