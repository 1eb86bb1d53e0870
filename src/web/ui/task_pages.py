"""A task's page: its form rendered from the JSON Schema, claim, put back, complete."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for

from engine.calendar import end_of_day
from tasks.drafts.saving import save_draft
from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.work.claims import assign, claim, unclaim
from tasks.work.completion import complete_task
from tasks.work.due_dates import reschedule_task
from tasks.work.page import task_page
from web.auth import services
from web.ui.schema_form import field_labels, flat_values, form_fields, parse_submission
from web.ui.session import login_required, now, page_actor

bp = Blueprint("ui_tasks", __name__)

ID = "<int(max=2147483647):task_id>"


@bp.get(f"/opgaver/{ID}")
@login_required
def task(task_id: int):
    return _render(task_id)


@bp.post(f"/opgaver/{ID}/tag")
@login_required
def take(task_id: int):
    try:
        claim(services().uow(), page_actor(), task_id, now())
        flash("Du har taget opgaven.", "success")
    except (Conflict, Forbidden) as exc:
        flash(exc.message, "error")
    return redirect(url_for("ui_tasks.task", task_id=task_id))


@bp.post(f"/opgaver/{ID}/laeg-tilbage")
@login_required
def put_back(task_id: int):
    try:
        unclaim(services().uow(), page_actor(), task_id, now())
        flash("Opgaven er lagt tilbage i køen.", "success")
    except (Conflict, Forbidden) as exc:
        flash(exc.message, "error")
    return redirect(url_for("ui_tasks.task", task_id=task_id))


@bp.post(f"/opgaver/{ID}/udfoer")
@login_required
def complete(task_id: int):
    page = task_page(services().uow(), page_actor(), task_id, purpose="ui:udfoer")
    data = parse_submission(page.task.form or {}, request.form)
    try:
        version = int(request.form.get("version", ""))
    except ValueError:
        version = None
    try:
        done = complete_task(services().uow(), page_actor(), task_id, data, now(), version)
    except Invalid as exc:
        return _render(task_id, values=flat_values(data), errors=exc.errors, message=exc.message), 422
    except (Conflict, Forbidden) as exc:
        flash(exc.message, "error")
        return redirect(url_for("ui_tasks.task", task_id=task_id))
    flash(f"«{done.task.name}» er udført.", "success")
    mine = [t for t in done.next_tasks if page_actor().holds(t.role)]
    if mine:
        return redirect(url_for("ui_tasks.task", task_id=mine[0].id))
    return redirect(url_for("ui_cases.case", case_id=done.task.case_id))


@bp.post(f"/opgaver/{ID}/kladde")
@login_required
def draft(task_id: int):
    """Save the form as it is, unvalidated; it comes back when the task page is opened again."""
    page = task_page(services().uow(), page_actor(), task_id, purpose="ui:kladde")
    data = parse_submission(page.task.form or {}, request.form)
    try:
        save_draft(services().uow(), page_actor(), task_id, data, now())
    except (Conflict, Forbidden, Invalid) as exc:
        flash(exc.message, "error")
    else:
        flash("Kladden er gemt. Du kan fortsætte senere.", "success")
    return redirect(url_for("ui_tasks.task", task_id=task_id))


@bp.post(f"/opgaver/{ID}/tildel")
@login_required
def give(task_id: int):
    username = request.form.get("username", "").strip()
    try:
        if not username:
            raise Invalid("Vælg en kollega", {"assign.username": ["Vælg en kollega"]})
        assign(services().uow(), page_actor(), task_id, username, now())
    except Invalid as exc:
        errors = {k if k.startswith("assign.") else f"assign.{k}": v for k, v in exc.errors.items()}
        return _render(task_id, errors=errors, message=exc.message), 422
    except (Conflict, Forbidden) as exc:
        flash(exc.message, "error")
        return redirect(url_for("ui_tasks.task", task_id=task_id))
    flash(f"Opgaven er givet til {username}.", "success")
    return redirect(url_for("ui_tasks.task", task_id=task_id))


@bp.post(f"/opgaver/{ID}/frist")
@login_required
def reschedule(task_id: int):
    raw, reason = request.form.get("due_on", "").strip(), request.form.get("reason", "")
    try:
        try:
            due_at = end_of_day(date.fromisoformat(raw))
        except ValueError:
            raise Invalid("Ugyldig dato", {"due_at": ["Skriv en dato (ÅÅÅÅ-MM-DD)"]}) from None
        reschedule_task(services().uow(), page_actor(), task_id, due_at, reason, now())
    except Invalid as exc:
        errors = {f"due.{'due_on' if k == 'due_at' else k}": v for k, v in exc.errors.items()}
        values = {"due.due_on": raw, "due.reason": reason}
        return _render(task_id, errors=errors, message=exc.message, extra=values), 422
    except (Conflict, Forbidden) as exc:
        flash(exc.message, "error")
        return redirect(url_for("ui_tasks.task", task_id=task_id))
    flash("Opgavens frist er ændret.", "success")
    return redirect(url_for("ui_tasks.task", task_id=task_id))


def _render(
    task_id: int,
    values: dict | None = None,
    errors: dict | None = None,
    message: str | None = None,
    extra: dict | None = None,
) -> str:
    page = task_page(services().uow(), page_actor(), task_id)
    fields = form_fields(page.task.form) if page.task.form else ()
    form_errors = {k: v for k, v in (errors or {}).items() if not k.startswith(("assign.", "due."))}
    return render_template(
        "task.html",
        page=page,
        fields=fields,
        labels=field_labels(fields),
        values=values if values is not None else flat_values(page.prefill),
        errors=form_errors,
        side_errors={k: v for k, v in (errors or {}).items() if k not in form_errors},
        error_message=message if form_errors else None,
        side_message=message if not form_errors else None,
        extra=extra or {},
    )
