"""The user's notifications: what concerns them, newest first; opening one marks it read."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from tasks.notifications.reading import list_notifications, mark_read
from web.auth import services
from web.ui.session import login_required, now, page_actor

bp = Blueprint("ui_notifications", __name__)


@bp.get("/notifikationer")
@login_required
def notifications():
    return render_template("notifications.html", notifications=list_notifications(services().uow(), page_actor()))


@bp.post("/notifikationer/laest")
@login_required
def read():
    """Mark one (``id``) or every notification read; go to its case when it has one."""
    raw = request.form.get("id", "")
    notification_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    mark_read(services().uow(), page_actor(), notification_id, now())
    case_id = request.form.get("case_id", "")
    if notification_id is not None and case_id.isdigit() and len(case_id) < 10:
        return redirect(url_for("ui_cases.case", case_id=int(case_id)))
    return redirect(url_for("ui_notifications.notifications"))
