"""Save a task's form unfinished and resume it: one draft per task and user, cleared when the task closes.

A draft is not validated (it is unfinished by definition) but it is only kept for someone who could complete
the task: they hold its role and it is not claimed by a colleague.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select

from tasks.access.policy import visible_task
from tasks.drafts.model import Draft
from tasks.events import TaskCancelled, TaskCompleted
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork

MAX_DRAFT_CHARS = 200_000
_DRAFTS = cast(Table, Draft.__table__)
# Built once: every completion runs it.
_CLEAR = delete(_DRAFTS).where(_DRAFTS.c.task_id.in_(bindparam("task_ids", expanding=True)))


@dataclass(frozen=True)
class DraftView:
    task_id: int
    data: dict[str, Any]
    saved_at: datetime


def save_draft(uow: UnitOfWork, actor: Actor, task_id: int, data: dict[str, Any], now: datetime) -> DraftView:
    if len(repr(data)) > MAX_DRAFT_CHARS:
        raise Invalid("Kladden er for stor", {"_form": [f"Højst {MAX_DRAFT_CHARS} tegn"]})
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        task.ensure_active()
        if not actor.holds(task.role):
            raise Forbidden("Opgaven tilhører en rolle, du ikke har")
        if task.assignee_id not in (None, actor.id):
            raise Forbidden("Opgaven er taget af en kollega")
        draft = find_draft(uow, task.id, actor.id)
        if draft is None:
            draft = Draft(task_id=task.id, user_id=actor.id, data=dict(data), saved_at=now)
            uow.session.add(draft)
        else:
            draft.data = dict(data)
            draft.saved_at = now
        view = DraftView(task.id, dict(data), now)
        uow.commit()
    return view


def load_draft(uow: UnitOfWork, actor: Actor, task_id: int) -> DraftView | None:
    with uow:
        task = visible_task(uow, actor, task_id)
        draft = find_draft(uow, task.id, actor.id)
        return DraftView(task.id, dict(draft.data), draft.saved_at) if draft is not None else None


def find_draft(uow: UnitOfWork, task_id: int, user_id: int) -> Draft | None:
    """Within an open unit of work."""
    return uow.session.scalar(select(Draft).where(Draft.task_id == task_id, Draft.user_id == user_id))


def clear_drafts(event: TaskCompleted | TaskCancelled, uow: UnitOfWork) -> None:
    """A closed task needs no drafts any more (whoever saved them): deleted at commit, with those of every other
    task the command closed, in one statement.  Not for a row the command read under its lock without drafts
    (a draft is saved only under that lock)."""
    task_id = event.task.id
    if task_id is not None and not uow.tasks.has_no_drafts(task_id):
        uow.write_at_commit(_delete_drafts, task_id)


def _delete_drafts(uow: UnitOfWork, task_ids: list[int]) -> None:
    """A Core DELETE: no Draft object of this command needs synchronising."""
    uow.session.connection().execute(_CLEAR, {"task_ids": sorted(set(task_ids))})
