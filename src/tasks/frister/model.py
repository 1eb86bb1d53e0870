"""Frister (deadlines) on a case or a task."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base
from tasks.cases.model import Case
from tasks.work.model import HumanTask


class Deadline(Base):
    """A frist on a case or on one of its tasks, with the rule that made it.

    ``state`` is stored as open, met (closed in time), late (closed after due) or overdue (passed
    while open; set by the escalation scan).  Readers derive "overdue" for open rows at once.
    """

    __tablename__ = "deadlines"
    __table_args__ = (
        Index("ix_deadlines_open", "closed_at", "due_at"),
        Index("ix_deadlines_case", "case_id", "closed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(40))
    rule: Mapped[str] = mapped_column(String(300))
    due_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default="open")
    closes_on: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None]
    warned_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(lazy="joined", innerjoin=True)
    task: Mapped[HumanTask | None] = relationship()
