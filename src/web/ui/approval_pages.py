"""The faglig konsulent's queue: afvigelser and other tasks waiting for approval."""

from __future__ import annotations

from flask import Blueprint, render_template

from tasks.work.inbox import InboxFilter, list_tasks
from web.auth import services
from web.ui.session import page_actor, roles_required

bp = Blueprint("ui_approvals", __name__)

APPROVER = "faglig_konsulent"


@bp.get("/godkendelser")
@roles_required(APPROVER)
def approvals():
    tasks = list_tasks(services().uow(), page_actor(), InboxFilter(role=APPROVER, limit=200))
    return render_template("approvals.html", tasks=tasks)
