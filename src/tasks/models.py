"""Tables of the human-work layer: users, cases, human tasks (the inbox projection), journal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_sso_subject", "sso_subject", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    # "issuer|sub" of a user provisioned by single sign-on (tasks/sso_accounts.py); None for local users
    sso_subject: Mapped[str | None] = mapped_column(String(300))

    roles: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan")

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)


class ApiToken(Base):
    """A bearer token.  Only its SHA-256 is stored, so a leaked database leaks no usable token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class Case(Base):
    """A sag: one pathway run for one citizen.  Personal data lives here, never in the engine state."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), unique=True)
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40))
    ydelse: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime]
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    citizen_cpr: Mapped[str | None] = mapped_column(String(11))
    citizen_name: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


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


class JournalEntry(Base):
    """Every state change of a case: who, what, when, on which process version.  Append-only."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"))
    task_name: Mapped[str | None] = mapped_column(String(200))
    process_version: Mapped[int]
    message: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    task: Mapped[HumanTask | None] = relationship()


class Letter(Base):
    """A letter to the citizen (afgørelse, genvurdering) or a bundle for Ankestyrelsen, as a PDF.

    The PDF holds personal data: it is only served behind login, to those who may see the case,
    and every download is access-logged.  Immutable once written."""

    __tablename__ = "letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    klagefrist_ends_on: Mapped[date | None]
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class OutboxMail(Base):
    """An e-mail written in the same transaction as the event that caused it, sent later.

    ``dedupe_key`` is unique: the same event can never enqueue the same mail twice (a re-run scan,
    two scheduler processes).  The body carries a case reference, the task, the frist and a link;
    never a CPR number, a citizen's name or health and social details.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


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


class AccessLogEntry(Base):
    """Who read which case's personal data, when, and through what.  Append-only: the application
    has no way to change or delete a row (no endpoint, no service function)."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_case", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(100))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    purpose: Mapped[str] = mapped_column(String(100))


class LoginAttempt(Base):
    """Failed logins per username and client address, for throttling across every web worker."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_user", "username", "at"),
        Index("ix_login_attempts_client", "client", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime]
    client: Mapped[str | None] = mapped_column(String(64))
