"""How a task is shown: a plain value, safe to use after the session closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tasks.frister.rules import in_time, is_near
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask, TaskStatus


@dataclass(frozen=True)
class TaskView:
    id: int
    case_id: int
    case_reference: str
    name: str
    bpmn_id: str
    role: str
    team: str | None
    status: str
    assignee: str | None
    due_at: datetime | None
    created_at: datetime
    completed_at: datetime | None
    version: int
    form: dict[str, Any] | None = None
    frist_rule: str | None = None
    frist_state: str | None = None
    case_title: str = ""
    data: dict[str, Any] | None = None  # what a completed task was completed with

    @classmethod
    def of(
        cls,
        row: HumanTask,
        version: int,
        form: dict[str, Any] | None = None,
        *,
        now: datetime,
        warn_working_days: int = 3,
    ) -> TaskView:
        return _view(
            row,
            case_reference=row.case.reference,
            case_title=row.case.title,
            assignee=row.assignee.username if row.assignee is not None else None,
            version=version,
            form=form,
            now=now,
            warn_working_days=warn_working_days,
        )


class InboxRow(Protocol):
    """The columns an inbox page reads for a task (``tasks.work.inbox``: plain rows, not ORM objects)."""

    id: int
    case_id: int
    reference: str
    title: str
    name: str
    bpmn_id: str
    role: str
    team: str | None
    status: TaskStatus
    active: bool
    assignee: str | None
    due_at: datetime | None
    created_at: datetime
    completed_at: datetime | None
    frist_rule: str | None
    lock_version: int


def inbox_view(row: InboxRow, now: datetime, warn_working_days: int) -> TaskView:
    return _view(
        row,
        case_reference=row.reference,
        case_title=row.title,
        assignee=row.assignee,
        version=row.lock_version,
        form=None,
        now=now,
        warn_working_days=warn_working_days,
    )


def _view(
    row: HumanTask | InboxRow,
    *,
    case_reference: str,
    case_title: str,
    assignee: str | None,
    version: int,
    form: dict[str, Any] | None,
    now: datetime,
    warn_working_days: int,
) -> TaskView:
    """The one place a TaskView is made: from a task row, or from an inbox page's plain row."""
    return TaskView(
        frist_rule=row.frist_rule,
        frist_state=task_frist_state(row, now, warn_working_days),
        id=row.id,
        case_id=row.case_id,
        case_reference=case_reference,
        name=row.name,
        bpmn_id=row.bpmn_id,
        role=row.role,
        team=row.team,
        status=str(row.status),
        assignee=assignee,
        due_at=row.due_at,
        created_at=row.created_at,
        completed_at=row.completed_at,
        version=version,
        form=form,
        case_title=case_title,
    )


def task_view(uow: UnitOfWork, row: HumanTask, version: int, form: dict[str, Any] | None = None) -> TaskView:
    """A TaskView with its frist state as of the unit of work's clock and the role's warning rule."""
    warn = uow.standard.escalation_for(row.role, row.bpmn_id).warn_working_days
    return TaskView.of(row, version, form, now=uow.clock.now(), warn_working_days=warn)


def task_frist_state(row: HumanTask | InboxRow, now: datetime, warn_working_days: int) -> str | None:
    """'open', 'near' or 'overdue' for a task still to do; 'met' or 'late' once done; None without frist."""
    if row.due_at is None:
        return None
    if not row.active:
        done_at = row.completed_at or now
        return "met" if row.status == "cancelled" or in_time(done_at, row.due_at) else "late"
    if now > row.due_at:
        return "overdue"
    return "near" if is_near(row.due_at, now, warn_working_days) else "open"
