"""A task's page: its form rendered from the JSON Schema, claim, put back, complete."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.work.claims import claim, unclaim
from tasks.work.completion import complete_task
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


def _render(task_id: int, values: dict | None = None, errors: dict | None = None, message: str | None = None) -> str:
    page = task_page(services().uow(), page_actor(), task_id)
    fields = form_fields(page.task.form) if page.task.form else ()
    return render_template(
        "task.html",
        page=page,
        fields=fields,
        labels=field_labels(fields),
        values=values or {},
        errors=errors or {},
        error_message=message,
    )
