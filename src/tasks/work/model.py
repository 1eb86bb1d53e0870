"""Human tasks: each READY user task of an instance, mirrored for the inbox (a projection).

A row's status changes only through its methods, which keep the invariants: ``active`` is true
exactly while the task is open or claimed, a claimed task has an assignee, a closed task has the
time it closed.  ``sort_due`` is ``due_at`` or far in the future, so "soonest frist first, none
last" is one index range scan on every database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, enum_column
from engine.runtime import ReadyTask
from tasks.accounts.model import User
from tasks.cases.model import Case
from tasks.service.errors import Conflict

NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)


class TaskStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self in (TaskStatus.OPEN, TaskStatus.CLAIMED)

    @property
    def label_da(self) -> str:
        return {"open": "åben", "claimed": "taget", "completed": "udført", "cancelled": "annulleret"}[self.value]


ACTIVE_STATUSES = (TaskStatus.OPEN, TaskStatus.CLAIMED)


class HumanTask(Base):
    __tablename__ = "human_tasks"
    __table_args__ = (
        Index("ix_human_tasks_inbox", "role", "team", "active", "sort_due", "id"),
        Index("ix_human_tasks_assignee", "assignee_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    spiff_task_id: Mapped[str] = mapped_column(String(36), unique=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    team: Mapped[str | None] = mapped_column(String(100))
    form: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_due: Mapped[datetime]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_at: Mapped[datetime | None]
    frist_rule: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(lazy="joined", innerjoin=True)
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id], lazy="joined")

    @classmethod
    def mirror(cls, case: Case, instance_id: int, ready: ReadyTask, role: str, now: datetime) -> HumanTask:
        """The row for a user task the engine reports READY."""
        return cls(
            case_id=case.id,
            case=case,
            instance_id=instance_id,
            spiff_task_id=str(ready.spiff_id),
            bpmn_id=ready.bpmn_id,
            name=ready.name,
            role=role,
            team=case.team,
            form=ready.form,
            status=TaskStatus.OPEN,
            active=True,
            due_at=ready.due_at,
            sort_due=ready.due_at or NO_DUE,
            frist_rule=ready.frist if ready.due_at else None,
            created_at=now,
        )

    def ensure_active(self) -> None:
        if not self.status.active:
            raise Conflict(f"Opgaven er allerede {self.status.label_da}")

    def claim(self, user_id: int) -> bool:
        """Take the task; False when the user already has it."""
        self.ensure_active()
        if self.assignee_id == user_id:
            return False
        if self.assignee_id is not None:
            raise Conflict(f"Opgaven er allerede taget af {self.assignee.username if self.assignee else 'en anden'}")
        self._assign_to(user_id)
        return True

    def unclaim(self) -> None:
        self.ensure_active()
        if self.assignee_id is None:
            raise Conflict("Opgaven er ikke taget")
        self.assignee_id = None
        self._set_status(TaskStatus.OPEN)

    def assign(self, user_id: int) -> None:
        self.ensure_active()
        self._assign_to(user_id)

    def reschedule(self, due_at: datetime) -> None:
        """A new working due time agreed for the task (the legal frist row keeps its own)."""
        self.ensure_active()
        self.due_at = due_at
        self.sort_due = due_at

    def move_to_team(self, team: str | None) -> None:
        self.team = team

    def complete(self, by_user_id: int | None, at: datetime) -> None:
        """Done by a person (``by_user_id``) or by the process itself (None)."""
        self._set_status(TaskStatus.COMPLETED)
        self.completed_at = at
        self.completed_by_id = by_user_id

    def cancel(self, at: datetime) -> None:
        self._set_status(TaskStatus.CANCELLED)
        self.completed_at = at

    def _assign_to(self, user_id: int) -> None:
        self.assignee_id = user_id
        self._set_status(TaskStatus.CLAIMED)

    def _set_status(self, status: TaskStatus) -> None:
        self.status = status
        self.active = status.active


class TaskSubmission(Base):
    """What a human task was completed with: the form data, durably (the engine state is compacted).

    Written when the task is completed (``TaskSubmitted``), never changed afterwards."""

    __tablename__ = "task_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_tasks.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    form: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime]
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
