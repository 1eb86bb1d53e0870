"""Claim, unclaim and assign human tasks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from engine.models import ProcessInstance
from tasks.access.policy import visible_task
from tasks.accounts.model import User
from tasks.journal import journal
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask, set_task_status
from tasks.work.views import TaskView, task_view

SUPERVISORS = {"leder"}


def claim(uow: UnitOfWork, actor: Actor, task_id: int, now: datetime) -> TaskView:
    """Take an open task of one of your roles.  Claiming your own task again changes nothing."""
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        ensure_active(task)
        if not actor.holds(task.role):
            raise Forbidden(f"Opgaven tilhører rollen '{task.role}', som du ikke har")
        if task.assignee_id not in (None, actor.id):
            raise Conflict(f"Opgaven er allerede taget af {task.assignee.username}")
        if task.assignee_id is None:
            task.assignee_id = actor.id
            set_task_status(task, "claimed")
            _journal(uow, task, actor, "task_claimed", now, f"{actor.username} tog opgaven")
        return _commit_view(uow, task)


def unclaim(uow: UnitOfWork, actor: Actor, task_id: int, now: datetime) -> TaskView:
    """Put a claimed task back in its role's queue (the assignee or a leder)."""
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        ensure_active(task)
        if task.assignee_id is None:
            raise Conflict("Opgaven er ikke taget")
        if task.assignee_id != actor.id and not actor.roles & SUPERVISORS:
            raise Forbidden("Kun den, der har taget opgaven, eller en leder kan lægge den tilbage")
        task.assignee_id = None
        set_task_status(task, "open")
        _journal(uow, task, actor, "task_unclaimed", now, "Opgaven blev lagt tilbage i køen")
        return _commit_view(uow, task)


def assign(uow: UnitOfWork, actor: Actor, task_id: int, username: str, now: datetime) -> TaskView:
    """Give a task to a named user who holds its role (a colleague in the role, or a leder)."""
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        ensure_active(task)
        if not (actor.holds(task.role) or actor.roles & SUPERVISORS):
            raise Forbidden(f"Du kan ikke fordele opgaver i rollen '{task.role}'")
        target = uow.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        if target is None:
            raise Invalid(f"Ukendt bruger '{username}'", {"username": [f"Ukendt bruger: {username}"]})
        if task.role not in target.role_names:
            raise Invalid(
                f"{username} har ikke rollen '{task.role}'", {"username": [f"{username} har ikke rollen '{task.role}'"]}
            )
        task.assignee_id = target.id
        set_task_status(task, "claimed")
        _journal(uow, task, actor, "task_assigned", now, f"Opgaven blev tildelt {username}")
        return _commit_view(uow, task)


def ensure_active(task: HumanTask) -> None:
    if not task.active:
        status = "udført" if task.status == "completed" else "annulleret"
        raise Conflict(f"Opgaven er allerede {status}")


def _journal(uow: UnitOfWork, task: HumanTask, actor: Actor, action: str, now: datetime, message: str) -> None:
    version = uow.instances.get(task.instance_id).version.version
    journal.record(
        uow.session,
        task.case,
        actor=actor.username,
        action=action,
        at=now,
        process_version=version,
        task=task,
        message=message,
    )


def _commit_view(uow: UnitOfWork, task: HumanTask) -> TaskView:
    uow.session.flush()
    uow.session.refresh(task)
    lock_version = uow.session.get_one(ProcessInstance, task.instance_id).lock_version
    view = task_view(uow, task, lock_version)
    uow.commit()
    return view
