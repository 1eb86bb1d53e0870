"""What operations watch: the scheduler's heartbeat, timers due and their lag, the outbox, failed logins.

Each scheduler process writes its heartbeat row after every timer sweep; readiness asks whether
the newest heartbeat of any scheduler is recent, so one stopped scheduler of two is no outage,
and two stopped ones are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.db import Base
from engine.models import ProcessInstance
from tasks.accounts import login_throttle
from tasks.letters.model import Letter, LetterState
from tasks.mail.model import OutboxMail
from tasks.service.uow import UnitOfWork

FORGET_AFTER = timedelta(days=1)


class SchedulerHeartbeat(Base):
    """The last time each scheduler process (``host:pid``) finished a sweep."""

    __tablename__ = "scheduler_heartbeats"

    worker: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)


def record_heartbeat(uow: UnitOfWork, worker: str, now: datetime) -> None:
    """Upsert this process's heartbeat; rows of processes gone for a day are dropped."""
    with uow:
        row = uow.session.get(SchedulerHeartbeat, worker)
        if row is None:
            uow.session.add(SchedulerHeartbeat(worker=worker, at=now))
        else:
            row.at = now
        uow.session.execute(delete(SchedulerHeartbeat).where(SchedulerHeartbeat.at < now - FORGET_AFTER))
        uow.commit()


def last_heartbeat(uow: UnitOfWork) -> datetime | None:
    with uow.read_only():
        return uow.session.scalar(select(func.max(SchedulerHeartbeat.at)))


@dataclass(frozen=True)
class Snapshot:
    timers_due: int
    timer_lag_seconds: float
    outbox_pending: int
    outbox_retrying: int
    outbox_failed: int
    login_failures_recent: int
    heartbeat_age_seconds: float | None
    letters_pending: int = 0
    letters_retrying: int = 0
    letters_failed: int = 0
    letters_held: int = 0
    letter_lag_seconds: float = 0.0


def snapshot(uow: UnitOfWork, now: datetime) -> Snapshot:
    """The gauges of ``/metrics``: a handful of indexed counts."""
    with uow.read_only():
        s = uow.session
        due, oldest = s.execute(
            select(func.count(), func.min(ProcessInstance.next_timer_at)).where(ProcessInstance.next_timer_at <= now)
        ).one()
        pending = s.scalar(select(func.count()).where(OutboxMail.status == "pending")) or 0
        retrying = s.scalar(select(func.count()).where(OutboxMail.status == "pending", OutboxMail.attempts > 0)) or 0
        failed = s.scalar(select(func.count()).where(OutboxMail.status == "failed")) or 0
        failures = login_throttle.recent_failures(s, now)
        beat = s.scalar(select(func.max(SchedulerHeartbeat.at)))
        letters = _letters(s, now)
    return Snapshot(
        timers_due=due,
        timer_lag_seconds=(now - oldest).total_seconds() if oldest else 0.0,
        outbox_pending=pending,
        outbox_retrying=retrying,
        outbox_failed=failed,
        login_failures_recent=failures,
        heartbeat_age_seconds=(now - beat).total_seconds() if beat else None,
        **letters,
    )


def _letters(s: Session, now: datetime) -> dict[str, Any]:
    """Letters waiting for dispatch, those that failed at least once, those given up, those held for manual
    handling (adressebeskyttelse), and the oldest wait."""
    waiting = Letter.state == LetterState.AFVENTER
    pending, oldest = s.execute(select(func.count(), func.min(Letter.created_at)).where(waiting)).one()
    retrying = s.scalar(select(func.count()).where(waiting, Letter.attempts > 0)) or 0
    failed = s.scalar(select(func.count()).where(Letter.state == LetterState.FEJLET)) or 0
    held = s.scalar(select(func.count()).where(Letter.state == LetterState.TILBAGEHOLDT)) or 0
    return {
        "letters_pending": pending,
        "letters_retrying": retrying,
        "letters_failed": failed,
        "letters_held": held,
        "letter_lag_seconds": (now - oldest).total_seconds() if oldest else 0.0,
    }
