"""A message to a case from the browser: the task page offers each message the case waits for."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.work.messages import deliver_message
from web.auth import services
from web.ui.session import login_required, now, page_actor

bp = Blueprint("ui_messages", __name__)


@bp.post("/sager/<int(max=2147483647):case_id>/beskeder")
@login_required
def deliver(case_id: int):
    note = request.form.get("note", "").strip()
    name = request.form.get("name", "")
    try:
        done = deliver_message(services().uow(), page_actor(), case_id, name, {"note": note} if note else {}, now())
        flash(f"Beskeden «{done.name}» er registreret som modtaget.", "success")
    except (Conflict, Forbidden, Invalid) as exc:
        flash(exc.message, "error")
    back = request.form.get("tilbage", "")
    if back.isdigit():
        return redirect(url_for("ui_tasks.task", task_id=int(back)))
    return redirect(url_for("ui_cases.case", case_id=case_id))
