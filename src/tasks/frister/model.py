"""Frister (deadlines) on a case or on one of its tasks, each with the rule that made it.

``state`` is stored as open, met (closed in time), late (closed after its due time) or overdue
(passed while open; set by the escalation scan).  Readers derive "overdue" for open rows at once
(``effective_state``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, enum_column
from tasks.cases.model import Case
from tasks.frister.rules import in_time as met_by
from tasks.work.model import HumanTask


class DeadlineState(StrEnum):
    OPEN = "open"
    MET = "met"
    LATE = "late"
    OVERDUE = "overdue"


class Deadline(Base):
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
    state: Mapped[DeadlineState] = mapped_column(enum_column(DeadlineState, 10), default=DeadlineState.OPEN)
    closes_on: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None]
    warned_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]

    case: Mapped[Case] = relationship(lazy="joined", innerjoin=True)
    task: Mapped[HumanTask | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def close(self, at: datetime, *, in_time: bool | None = None) -> None:
        """Met when closed by its due time (the whole last day, Copenhagen time, for a frist ending at the end of a
        day), or when ``in_time`` says so; else late."""
        self.closed_at = at
        met = met_by(at, self.due_at) if in_time is None else in_time
        self.state = DeadlineState.MET if met else DeadlineState.LATE

    def warn(self, at: datetime) -> None:
        self.warned_at = at

    def escalate(self, at: datetime) -> None:
        self.escalated_at = at
        self.state = DeadlineState.OVERDUE

    def effective_state(self, now: datetime) -> DeadlineState:
        if self.closed_at is not None:
            return self.state
        return DeadlineState.OVERDUE if now > self.due_at else DeadlineState.OPEN


class NoticeKind(StrEnum):
    NEAR = "naermer_sig"
    OVERDUE = "overskredet"


class DeadlineNotice(Base):
    """One person (or team mailbox) told about one frist, once per kind: the ledger that keeps escalation
    exactly-once per deadline and recipient, however many deadlines one digest mail lists."""

    __tablename__ = "deadline_notices"
    __table_args__ = (UniqueConstraint("deadline_id", "recipient", "kind", name="uq_deadline_notice"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind))
    created_at: Mapped[datetime]
    outbox_key: Mapped[str | None] = mapped_column(String(200))
