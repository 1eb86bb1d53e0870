"""Change a task's working due time, with a reason.

The agreed time orders the inbox and is what the task shows; the legal frist (the ``deadlines`` row the rule
made) keeps its own due time, is still judged against it and still escalates: both are shown.
"""

from __future__ import annotations

from datetime import datetime

from tasks.access.policy import visible_task
from tasks.events import TaskRescheduled
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.claims import SUPERVISORS
from tasks.work.views import TaskView, task_view

MAX_REASON = 1000


def reschedule_task(
    uow: UnitOfWork, actor: Actor, task_id: int, due_at: datetime, reason: str, now: datetime
) -> TaskView:
    """A holder of the task's role (not a colleague's claimed task) or a leder moves its due time; journalled."""
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Skriv hvorfor fristen ændres"]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [f"Højst {MAX_REASON} tegn"]
    if due_at <= now:
        errors["due_at"] = ["Den nye frist skal ligge efter nu"]
    if errors:
        raise Invalid("Fristen kunne ikke ændres", errors)
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        task.ensure_active()
        supervisor = bool(actor.roles & SUPERVISORS)
        if not (actor.holds(task.role) or supervisor):
            raise Forbidden("Du kan ikke ændre frister for opgaver i denne rolle")
        if task.assignee_id not in (None, actor.id) and not supervisor:
            raise Forbidden("Opgaven er taget af en kollega; kun en leder kan ændre dens frist")
        old = task.due_at
        task.reschedule(due_at)
        uow.publish(TaskRescheduled(task.case, now, task, actor.username, old, due_at, reason))
        uow.dispatch()
        view = task_view(uow, task, uow.instances.get(task.instance_id).lock_version)
        uow.commit()
    return view
