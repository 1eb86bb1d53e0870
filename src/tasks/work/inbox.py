"""Inbox queries: the tasks of the actor's roles, filtered, sorted by frist.  One indexed query."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from engine.models import ProcessInstance
from tasks.access.log import log_read
from tasks.access.policy import restrict_tasks_to_actor, visible_task
from tasks.accounts.model import User
from tasks.cases.model import Case
from tasks.service.actors import Actor
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.model import ACTIVE_STATUSES, HumanTask, TaskStatus
from tasks.work.submissions import submitted_data
from tasks.work.views import TaskView, inbox_view, task_view

_ASSIGNEE = aliased(User)
# What a page shows of each task, read as plain rows: loading fifty ORM objects (identity map, instrumented
# attributes, the case and the assignee as objects) cost more than running the query.
_INBOX = (
    select(
        HumanTask.id,
        HumanTask.case_id,
        Case.reference,
        Case.title,
        HumanTask.name,
        HumanTask.bpmn_id,
        HumanTask.role,
        HumanTask.team,
        HumanTask.status,
        HumanTask.active,
        _ASSIGNEE.username.label("assignee"),
        HumanTask.due_at,
        HumanTask.created_at,
        HumanTask.completed_at,
        HumanTask.frist_rule,
        ProcessInstance.lock_version,
    )
    .select_from(HumanTask)
    .join(Case, Case.id == HumanTask.case_id)
    .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
    .outerjoin(_ASSIGNEE, _ASSIGNEE.id == HumanTask.assignee_id)
)
STATUSES = tuple(s.value for s in TaskStatus)
OPEN_STATUSES = tuple(s.value for s in ACTIVE_STATUSES)


@dataclass(frozen=True)
class InboxFilter:
    role: str | None = None
    assignee: str | None = None  # a username, or "me"
    status: tuple[str, ...] = OPEN_STATUSES
    due_before: datetime | None = None
    due_after: datetime | None = None
    case_id: int | None = None
    my_cases: bool = False  # only tasks of the cases I am sagsansvarlig for ("Mine sager")
    limit: int = 50
    offset: int = 0


def list_tasks(uow: UnitOfWork, actor: Actor, wanted: InboxFilter) -> list[TaskView]:
    """Tasks the actor may work on, soonest frist first (tasks without frist last)."""
    if bad := [s for s in wanted.status if s not in STATUSES]:
        raise Invalid("Ukendt status", {"status": [f"Ukendt status: {s}" for s in bad]})
    with uow.read_only():
        rows = uow.session.execute(_statement(actor, wanted)).all()
        now, warn = uow.clock.now(), _WarningDays(uow)
        return [inbox_view(row, now, warn(row.role, row.bpmn_id)) for row in rows]


@lru_cache(maxsize=1024)
def _statement(actor: Actor, wanted: InboxFilter) -> Select[Any]:
    """The inbox query for one actor and filter, built once: a statement keeps the cache key SQLAlchemy finds its
    compiled form by, and building and keying it anew cost 0.19 ms, a tenth of an inbox on SQLite."""
    query = restrict_tasks_to_actor(_INBOX, actor)
    if set(wanted.status) == set(OPEN_STATUSES):
        query = query.where(HumanTask.active.is_(True))
    else:
        query = query.where(HumanTask.status.in_(wanted.status))
    if wanted.role:
        query = query.where(HumanTask.role == wanted.role)
    if wanted.assignee == "me":
        query = query.where(HumanTask.assignee_id == actor.id)
    elif wanted.assignee:
        query = query.where(_ASSIGNEE.username == wanted.assignee)
    if wanted.due_before:
        query = query.where(HumanTask.sort_due <= wanted.due_before)
    if wanted.due_after:
        query = query.where(HumanTask.sort_due >= wanted.due_after, HumanTask.due_at.is_not(None))
    if wanted.case_id is not None:
        query = query.where(HumanTask.case_id == wanted.case_id)
    if wanted.my_cases:
        query = query.where(Case.sagsansvarlig_id == actor.id)
    return query.order_by(HumanTask.sort_due, HumanTask.id).limit(wanted.limit).offset(wanted.offset)


class _WarningDays:
    """The warning rule of each (role, task) on the page, looked up once."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._standard = uow.standard
        self._known: dict[tuple[str, str], int] = {}

    def __call__(self, role: str, bpmn_id: str) -> int:
        if (role, bpmn_id) not in self._known:
            self._known[role, bpmn_id] = self._standard.escalation_for(role, bpmn_id).warn_working_days
        return self._known[role, bpmn_id]


def get_task(uow: UnitOfWork, actor: Actor, task_id: int, purpose: str = "api:opgave") -> TaskView:
    """One task with its form (the JSON Schema the completion data must satisfy); access-logged."""
    with uow:
        task = visible_task(uow, actor, task_id)
        instance = uow.instances.get(task.instance_id)
        form = uow.instances.form(instance, task.form)
        view = task_view(uow, task, instance.lock_version, form)
        if task.status == TaskStatus.COMPLETED:
            view = replace(view, data=submitted_data(uow, task.id))
        log_read(uow.session, actor, task.case, purpose, uow.clock.now())
        uow.commit()
    return view
