"""Find cases: by reference, CPR number, citizen name or title, filtered by status, team and ydelse, sorted by a
column, a page at a time.  Only visible cases are ever listed (``case_visibility``, the same rule as a case's
page), and a search shows personal data, so every case it lists is written to the access log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select

from tasks.access.log import log_read
from tasks.access.policy import case_visibility
from tasks.cases.model import Case, CaseStatus
from tasks.service.actors import Actor
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork

SORTABLE: dict[str, Any] = {
    "reference": Case.id,
    "title": Case.title,
    "ydelse": Case.ydelse,
    "status": Case.status,
    "team": Case.team,
    "received_at": Case.received_at,
    "name": Case.citizen_name,
}
MAX_LIMIT = 200
_CPR_LIKE = re.compile(r"\d{6}-?\d{4}")


@dataclass(frozen=True)
class CaseQuery:
    q: str = ""
    status: str | None = None
    team: str | None = None
    ydelse: str | None = None
    sort: str = "received_at"
    descending: bool = True
    limit: int = 25
    offset: int = 0


@dataclass(frozen=True)
class CaseHit:
    id: int
    reference: str
    title: str
    process: str
    ydelse: str | None
    status: str
    team: str | None
    received_at: datetime
    citizen: dict[str, str | None]

    @classmethod
    def of(cls, case: Case) -> CaseHit:
        return cls(
            case.id,
            case.reference,
            case.title,
            case.process_key,
            case.ydelse,
            str(case.status),
            case.team,
            case.received_at,
            {"cpr": case.citizen_cpr, "name": case.citizen_name},
        )


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[CaseHit]
    query: CaseQuery


def search_cases(uow: UnitOfWork, actor: Actor, query: CaseQuery, purpose: str = "api:soegning") -> SearchResult:
    """The visible cases matching ``query``; one access-log row per case listed."""
    _check(query)
    condition = _condition(actor, query)
    column = SORTABLE[query.sort]
    order = [column.desc() if query.descending else column.asc(), Case.id.desc()]
    with uow:
        total = uow.session.scalar(select(func.count()).select_from(Case).where(condition)) or 0
        rows = list(
            uow.session.scalars(select(Case).where(condition).order_by(*order).limit(query.limit).offset(query.offset))
        )
        now = uow.clock.now()
        for case in rows:
            log_read(uow.session, actor, case, purpose, now)
        result = SearchResult(int(total), [CaseHit.of(c) for c in rows], query)
        uow.commit()
    return result


def _check(query: CaseQuery) -> None:
    errors: dict[str, list[str]] = {}
    if query.sort not in SORTABLE:
        errors["sort"] = [f"Kan sorteres efter: {', '.join(SORTABLE)}"]
    if query.status is not None and query.status not in {s.value for s in CaseStatus}:
        errors["status"] = ["Status er 'open' eller 'closed'"]
    if not 1 <= query.limit <= MAX_LIMIT:
        errors["limit"] = [f"Mellem 1 og {MAX_LIMIT}"]
    if query.offset < 0:
        errors["offset"] = ["Mindst 0"]
    if len(query.q) > 200:
        errors["q"] = ["Højst 200 tegn"]
    if errors:
        raise Invalid("Søgningen er ikke gyldig", errors)


def _condition(actor: Actor, query: CaseQuery) -> ColumnElement[bool]:
    clauses: list[ColumnElement[bool]] = [case_visibility(actor)]
    text = query.q.strip()
    if text:
        clauses.append(_matches(text))
    if query.status:
        clauses.append(Case.status == CaseStatus(query.status))
    if query.team:
        clauses.append(Case.team == query.team)
    if query.ydelse:
        clauses.append(Case.ydelse == query.ydelse)
    return and_(*clauses)


def _matches(text: str) -> ColumnElement[bool]:
    """A CPR number matches with or without its hyphen; other text matches reference, name or title."""
    if _CPR_LIKE.fullmatch(text):
        digits = text.replace("-", "")
        return or_(Case.citizen_cpr == digits, Case.citizen_cpr == f"{digits[:6]}-{digits[6:]}")
    pattern = f"%{_escape(text.lower())}%"
    return or_(
        func.lower(Case.reference).like(pattern, escape="\\"),
        func.lower(Case.citizen_name).like(pattern, escape="\\"),
        func.lower(Case.title).like(pattern, escape="\\"),
        func.lower(Case.ydelse).like(pattern, escape="\\"),
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
