"""The outbox: enqueue mail inside a command's transaction; send it later with retry and backoff.

Enqueue is idempotent per ``dedupe_key``.  Sending locks one row at a time (``SKIP LOCKED`` on
PostgreSQL, the write lock on SQLite), sends it, and marks it sent in the same transaction, so two
senders never pick the same mail and an SMTP outage only delays mail: a failed attempt is
retried with exponential backoff and nothing is marked sent that was not accepted by the server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.mail.model import OutboxMail
from tasks.service.uow import Services

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


class Mailer(Protocol):
    def send(self, recipient: str, subject: str, body: str, message_key: str) -> None: ...


@dataclass(frozen=True)
class SendResult:
    sent: int
    failed: int


def enqueue(session: Session, *, key: str, recipient: str, subject: str, body: str, now: datetime) -> bool:
    """Add a mail unless one with ``key`` exists; returns whether it was added."""
    if session.scalar(select(OutboxMail.id).where(OutboxMail.dedupe_key == key)) is not None:
        return False
    session.add(
        OutboxMail(
            dedupe_key=key,
            recipient=recipient,
            subject=subject,
            body=body,
            status="pending",
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
    )
    return True


def send_pending(services: Services, mailer: Mailer, now: datetime, limit: int = 100) -> SendResult:
    """Try every mail that is due; one transaction per mail."""
    sent = failed = 0
    for _ in range(limit):
        outcome = _send_one(services, mailer, now)
        if outcome is None:
            break
        sent, failed = (sent + 1, failed) if outcome else (sent, failed + 1)
    return SendResult(sent, failed)


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _send_one(services: Services, mailer: Mailer, now: datetime) -> bool | None:
    with services.uow() as uow:
        mail = uow.session.scalar(
            select(OutboxMail)
            .where(OutboxMail.status == "pending", OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if mail is None:
            return None
        mail.attempts += 1
        try:
            mailer.send(mail.recipient, mail.subject, mail.body, mail.dedupe_key)
        except (OSError, Exception) as exc:  # noqa: BLE001 — any SMTP failure means "try later"
            mail.last_error = f"{type(exc).__name__}: {exc}"[:500]
            mail.next_attempt_at = now + backoff(mail.attempts)
            if mail.attempts >= MAX_ATTEMPTS:
                mail.status = "failed"
            log.warning("Mail %s kunne ikke sendes (forsøg %s): %s", mail.id, mail.attempts, mail.last_error)
            uow.commit()
            return False
        mail.status = "sent"
        mail.sent_at = now
        mail.last_error = None
        uow.commit()
        return True
