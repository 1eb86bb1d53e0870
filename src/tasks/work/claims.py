"""Claim, put back and assign human tasks.

A task claimed by a colleague stays theirs: only a leder may take it from them or give it to
someone else, and a task is only ever given to a user who holds its role and may see its case.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tasks.access.policy import can_see_case, visible_task
from tasks.accounts.model import User
from tasks.events import TaskAssigned, TaskClaimed, TaskUnclaimed
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask
from tasks.work.views import TaskView, task_view

SUPERVISORS = frozenset({"leder"})


def claim(uow: UnitOfWork, actor: Actor, task_id: int, now: datetime) -> TaskView:
    """Take an open task of one of your roles.  Claiming your own task again changes nothing."""
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        task.ensure_active()
        if not actor.holds(task.role):
            raise Forbidden(f"Opgaven tilhører rollen '{task.role}', som du ikke har")
        if task.claim(actor.id):
            uow.publish(TaskClaimed(task.case, now, task, actor.username))
        return _commit_view(uow, task)


def unclaim(uow: UnitOfWork, actor: Actor, task_id: int, now: datetime) -> TaskView:
    """Put a claimed task back in its role's queue (the assignee or a leder)."""
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        task.ensure_active()
        if task.assignee_id not in (None, actor.id) and not actor.roles & SUPERVISORS:
            raise Forbidden("Kun den, der har taget opgaven, eller en leder kan lægge den tilbage")
        task.unclaim()
        uow.publish(TaskUnclaimed(task.case, now, task, actor.username))
        return _commit_view(uow, task)


def assign(uow: UnitOfWork, actor: Actor, task_id: int, username: str, now: datetime) -> TaskView:
    """Give a task to a named user who holds its role and may see its case.

    A colleague in the role may pass on an open task (or their own); a task claimed by someone else
    is theirs until they put it back, unless a leder reassigns it."""
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        task.ensure_active()
        supervisor = bool(actor.roles & SUPERVISORS)
        if not (actor.holds(task.role) or supervisor):
            raise Forbidden(f"Du kan ikke fordele opgaver i rollen '{task.role}'")
        if task.assignee_id not in (None, actor.id) and not supervisor:
            holder = task.assignee.username if task.assignee else "en anden"
            raise Forbidden(f"Opgaven er taget af {holder}; kun en leder kan give den videre")
        target = _assignee(uow, task, username)
        task.assign(target.id)
        uow.publish(TaskAssigned(task.case, now, task, actor.username, username))
        return _commit_view(uow, task)


def _assignee(uow: UnitOfWork, task: HumanTask, username: str) -> User:
    target = uow.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if target is None:
        raise Invalid(f"Ukendt bruger '{username}'", {"username": [f"Ukendt bruger: {username}"]})
    if task.role not in target.role_names:
        raise Invalid(
            f"{username} har ikke rollen '{task.role}'", {"username": [f"{username} har ikke rollen '{task.role}'"]}
        )
    if not can_see_case(Actor.of(target), task.case):
        raise Invalid(
            f"{username} kan ikke se sagen",
            {"username": [f"{username} arbejder ikke i sagens team ({task.case.team})"]},
        )
    return target


def _commit_view(uow: UnitOfWork, task: HumanTask) -> TaskView:
    uow.dispatch()
    uow.session.flush()
    uow.session.refresh(task)
    view = task_view(uow, task, uow.instances.get(task.instance_id).lock_version)
    uow.commit()
    return view
