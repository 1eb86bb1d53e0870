"""Failed logins slow down guessing, per username and per client address, without locking anyone out.

After ``free`` failures within ``WINDOW`` (an hour, so that the longest wait fits in it many times)
every further try waits: one minute after the last failure, doubling with each further failure,
at most ``LONGEST_WAIT``.  A try during the wait is
refused without checking the password (and is not counted), so the rightful owner can always log
in once the wait is over.  The per-address rule catches one password sprayed over many usernames.
Counted in the database, so every web worker sees the same numbers.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tasks.accounts.model import LoginAttempt
from tasks.service.errors import Unauthenticated

WINDOW = timedelta(hours=1)
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(minutes=15)
FREE_FAILURES_PER_USERNAME = 5
FREE_FAILURES_PER_CLIENT = 20


class TooManyAttempts(Unauthenticated):
    """Too many failed logins for this username or from this address; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        minutes = math.ceil(retry_after / 60)
        wait = "1 minut" if minutes <= 1 else f"{minutes} minutter"
        super().__init__(f"For mange mislykkede forsøg på at logge ind. Vent {wait}, og prøv igen.")
        self.retry_after = retry_after


def wait_after(failures: int, free: int) -> timedelta:
    """How long to wait after the last of ``failures`` failures (zero while under ``free``)."""
    if failures < free:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - free, 16), LONGEST_WAIT)


def check(session: Session, username: str, client: str | None, now: datetime) -> None:
    """Raise ``TooManyAttempts`` while the username or the client address has to wait."""
    keys: list[tuple[Any, str, int]] = [(LoginAttempt.username, username[:100], FREE_FAILURES_PER_USERNAME)]
    if client:
        keys.append((LoginAttempt.client, client[:64], FREE_FAILURES_PER_CLIENT))
    for column, value, free in keys:
        count, last = session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(column == value, LoginAttempt.at > now - WINDOW)
        ).one()
        wait = wait_after(count, free)
        if wait and last + wait > now:
            raise TooManyAttempts(math.ceil((last + wait - now).total_seconds()))


def record_failure(session: Session, username: str, client: str | None, now: datetime) -> None:
    session.add(LoginAttempt(username=username[:100], client=client[:64] if client else None, at=now))


def recent_failures(session: Session, now: datetime) -> int:
    """Failed logins within the window (the last hour), for the metrics."""
    return session.scalar(select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at > now - WINDOW)) or 0
