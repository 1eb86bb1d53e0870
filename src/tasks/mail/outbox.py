"""The outbox: enqueue mail inside a command's transaction; send it later with retry and backoff.

Enqueue is idempotent per ``dedupe_key``.  Sending claims one row (``SKIP LOCKED`` on PostgreSQL,
the write lock on SQLite) and commits the claim, talks to the SMTP server outside any transaction,
then records the result, so two senders never pick the same mail, a slow mail server never holds a
database lock, and an SMTP outage only delays mail: a failed attempt is retried with exponential
backoff and nothing is marked sent that was not accepted by the server.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.mail.model import OutboxMail
from tasks.service.services import Services

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 20
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
SEND_LEASE = timedelta(minutes=5)  # longer than any SMTP timeout: a live sender always records first


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
    """Claim one due mail and commit, send it with no transaction open, then record the result.

    No network call happens while a database lock is held: a slow SMTP server never stalls the
    writers.  A sender that dies between the claim and the record leaves the mail 'sending' until
    its lease runs out; then it is due again (at-least-once: the receiver dedupes by Message-ID).
    """
    claimed = _claim(services, now)
    if claimed is None:
        return None
    mail_id, recipient, subject, body, key = claimed
    try:
        mailer.send(recipient, subject, body, key)
    except Exception as exc:  # noqa: BLE001 — any SMTP failure means "try later"
        _record_failure(services, mail_id, f"{type(exc).__name__}: {exc}"[:500], now)
        return False
    _record_sent(services, mail_id, now)
    return True


def _claim(services: Services, now: datetime) -> tuple[int, str, str, str, str] | None:
    with services.uow() as uow:
        due = (OutboxMail.status == "pending") & (OutboxMail.next_attempt_at <= now)
        lease_over = (OutboxMail.status == "sending") & (OutboxMail.lease_until <= now)
        mail = uow.session.scalar(
            select(OutboxMail)
            .where(due | lease_over)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if mail is None:
            return None
        mail.status = "sending"
        mail.lease_until = now + SEND_LEASE
        mail.attempts += 1
        claimed = (mail.id, mail.recipient, mail.subject, mail.body, mail.dedupe_key)
        uow.commit()
    return claimed


def _record_sent(services: Services, mail_id: int, now: datetime) -> None:
    with services.uow() as uow:
        mail = uow.session.get_one(OutboxMail, mail_id)
        mail.status = "sent"
        mail.sent_at = now
        mail.lease_until = None
        mail.last_error = None
        uow.commit()


def _record_failure(services: Services, mail_id: int, error: str, now: datetime) -> None:
    with services.uow() as uow:
        mail = uow.session.get_one(OutboxMail, mail_id)
        mail.last_error = error
        mail.lease_until = None
        mail.next_attempt_at = now + backoff(mail.attempts)
        mail.status = "failed" if mail.attempts >= MAX_ATTEMPTS else "pending"
        log.warning("Mail %s kunne ikke sendes (forsøg %s): %s", mail.id, mail.attempts, error)
        uow.commit()
