"""The access log: every read of a case's personal data, readable by administrators only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.access.model import AccessLogEntry
from tasks.cases.model import Case
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class AccessView:
    at: datetime
    username: str
    case_id: int
    case_reference: str
    purpose: str


def log_read(session: Session, actor: Actor, case: Case, purpose: str, now: datetime) -> None:
    session.add(AccessLogEntry(at=now, user_id=actor.id, username=actor.username, case_id=case.id, purpose=purpose))


def read_access_log(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int | None = None,
    limit: int = 200,
    *,
    username: str | None = None,
    case_reference: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
) -> list[AccessView]:
    """Newest first, filtered by user, case (id or reference) and period ``[since, until)``."""
    if not actor.holds("administrator"):
        raise Forbidden("Kun administratorer kan læse adgangsloggen")
    if since is not None and until is not None and until <= since:
        raise Invalid("Perioden slutter før den begynder", {"until": ["Skal ligge efter 'fra'"]})
    with uow:
        query = select(AccessLogEntry, Case.reference).join(Case, Case.id == AccessLogEntry.case_id)
        if case_id is not None:
            query = query.where(AccessLogEntry.case_id == case_id)
        if case_reference:
            query = query.where(Case.reference == case_reference.strip().upper())
        if username:
            query = query.where(AccessLogEntry.username == username.strip())
        if since is not None:
            query = query.where(AccessLogEntry.at >= since)
        if until is not None:
            query = query.where(AccessLogEntry.at < until)
        rows = uow.session.execute(query.order_by(AccessLogEntry.id.desc()).limit(limit).offset(offset)).all()
        return [AccessView(e.at, e.username, e.case_id, ref, e.purpose) for e, ref in rows]
