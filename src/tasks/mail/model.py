"""The outbox: e-mails written with the event that caused them, sent later."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


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
    # While one sender talks to the SMTP server the row is 'sending' until lease_until; a sender that
    # died mid-send leaves the lease to run out and the mail is tried again.
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
