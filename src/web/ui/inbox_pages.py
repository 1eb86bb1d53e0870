"""The inbox: the tasks of the user's roles, sorted by frist, in a few useful views."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tasks.frister import rules as frister
from tasks.work.inbox import InboxFilter, list_tasks
from web.auth import services
from web.ui.session import login_required, now, page_actor

bp = Blueprint("ui_inbox", __name__)

NEAR_WORKING_DAYS = 5
VIEWS = {
    "alle": "Alle",
    "mine": "Mine opgaver",
    "mine-sager": "Mine sager",
    "ledige": "Ledige i mine roller",
    "snart": "Frist snart",
    "overskredet": "Overskredet",
}


def inbox_filter(view: str) -> InboxFilter:
    current = now()
    if view == "mine":
        return InboxFilter(assignee="me", limit=200)
    if view == "mine-sager":
        return InboxFilter(my_cases=True, limit=200)
    if view == "ledige":
        return InboxFilter(status=("open",), limit=200)
    if view == "snart":
        return InboxFilter(due_after=current, due_before=frister.warning_horizon(current, NEAR_WORKING_DAYS), limit=200)
    if view == "overskredet":
        return InboxFilter(due_before=current, limit=200)
    return InboxFilter(limit=200)


@bp.get("/indbakke")
@login_required
def inbox():
    view = request.args.get("vis", "alle")
    view = view if view in VIEWS else "alle"
    tasks = list_tasks(services().uow(), page_actor(), inbox_filter(view))
    template = "_inbox_table.html" if request.headers.get("HX-Request") else "inbox.html"
    return render_template(template, tasks=tasks, view=view, views=VIEWS)
