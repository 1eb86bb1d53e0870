"""Human tasks: READY user tasks mirrored for the inbox."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base
from tasks.accounts.model import User
from tasks.cases.model import Case


class HumanTask(Base):
    """One READY user task of an instance, mirrored for the inbox (architecture.md: a projection)."""

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
    status: Mapped[str] = mapped_column(String(20))
    # Denormalised for the inbox index: active = open or claimed; sort_due = due_at or NO_DUE, so
    # "soonest frist first, none last" is one index range scan on every database.
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


NO_DUE = datetime(9999, 12, 31, tzinfo=UTC)


def set_task_status(task: HumanTask, status: str) -> None:
    task.status = status
    task.active = status in ("open", "claimed")
