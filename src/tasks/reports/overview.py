"""The leder's overview: open frister that are overdue or due soon, counted by team and by ydelse.

Counted in SQL over the open-deadline index, so it stays one cheap query per grouping however
many cases run.  "Snart" uses the general warning rule of the kvalitetsstandard (N hverdage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select

from tasks.cases.model import Case
from tasks.cases.responsibility import UnassignedCase, unassigned_cases
from tasks.frister import rules as frister
from tasks.frister.model import Deadline
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden
from tasks.service.uow import UnitOfWork

OVERVIEW_ROLES = {"leder", "administrator"}
NO_TEAM = "(intet team)"
NO_YDELSE = "(ingen ydelse)"


@dataclass(frozen=True)
class OverviewRow:
    group: str
    overdue: int
    near: int
    open: int


@dataclass(frozen=True)
class OverdueItem:
    case_id: int
    case_reference: str
    team: str | None
    ydelse: str | None
    rule_id: str
    rule: str
    due_at: datetime


@dataclass(frozen=True)
class Overview:
    by_team: list[OverviewRow]
    by_ydelse: list[OverviewRow]
    overdue: list[OverdueItem]
    near_until: datetime
    warn_working_days: int
    unassigned: list[UnassignedCase] = field(default_factory=list)


def deadline_overview(uow: UnitOfWork, actor: Actor, limit: int = 100) -> Overview:
    if not actor.roles & OVERVIEW_ROLES:
        raise Forbidden("Overblikket er for ledere")
    now = uow.clock.now()
    warn = uow.standard.escalation_for("*", None).warn_working_days
    with uow.read_only():
        by_team = _grouped(uow, Case.team, NO_TEAM, now, warn)
        by_ydelse = _grouped(uow, Case.ydelse, NO_YDELSE, now, warn)
        rows = uow.session.execute(
            select(Deadline, Case.reference, Case.team, Case.ydelse)
            .join(Case, Case.id == Deadline.case_id)
            .where(Deadline.closed_at.is_(None), Deadline.due_at < now)
            .order_by(Deadline.due_at)
            .limit(limit)
        ).all()
        overdue = [
            OverdueItem(d.case_id, ref, team, ydelse, d.rule_id, d.rule, d.due_at) for d, ref, team, ydelse in rows
        ]
    unassigned = unassigned_cases(uow, actor)
    return Overview(by_team, by_ydelse, overdue, frister.warning_horizon(now, warn), warn, unassigned)


def _grouped(uow: UnitOfWork, column, empty: str, now: datetime, warn: int) -> list[OverviewRow]:
    # A frist is "near" once its warning time has passed: due_at before the end of the warning horizon.
    horizon = frister.warning_horizon(now, warn)
    rows = uow.session.execute(
        select(
            column,
            func.sum(case((Deadline.due_at < now, 1), else_=0)),
            func.sum(case(((Deadline.due_at >= now) & (Deadline.due_at < horizon), 1), else_=0)),
            func.count(),
        )
        .join(Case, Case.id == Deadline.case_id)
        .where(Deadline.closed_at.is_(None))
        .group_by(column)
    ).all()
    result = [OverviewRow(group or empty, int(o or 0), int(n or 0), int(c)) for group, o, n, c in rows]
    return sorted(result, key=lambda r: (-r.overdue, -r.near, r.group))
