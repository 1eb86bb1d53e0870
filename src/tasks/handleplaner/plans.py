"""Offer, accept or decline the § 141 handleplan and keep its goals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from engine.calendar import local_date
from tasks.access.policy import visible_case
from tasks.handleplaner.model import STATUS_DA, Handleplan, HandleplanStatus
from tasks.service.actors import Actor
from tasks.service.danish import long_date
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork

MAX_GOALS = 30


@dataclass(frozen=True)
class HandleplanView:
    status: str
    status_da: str
    tilbudt_on: date
    besvaret_on: date | None
    maal: list[dict[str, str]]
    updated_at: datetime
    updated_by: str


def _view(row: Handleplan) -> HandleplanView:
    return HandleplanView(
        row.status.value,
        STATUS_DA[row.status],
        row.tilbudt_on,
        row.besvaret_on,
        list(row.maal),
        row.updated_at,
        row.updated_by,
    )


def _goals(goals: list[dict[str, Any]]) -> list[dict[str, str]]:
    if len(goals) > MAX_GOALS:
        raise Invalid("For mange mål", {"maal": [f"Højst {MAX_GOALS} mål"]})
    checked = []
    errors: dict[str, list[str]] = {}
    for i, goal in enumerate(goals):
        for name in ("indsatsformaal", "maal"):
            value = str(goal.get(name) or "").strip()
            if not value:
                errors.setdefault(f"maal.{i}.{name}", []).append("Feltet skal udfyldes")
            elif len(value) > 2000:
                errors.setdefault(f"maal.{i}.{name}", []).append("Højst 2000 tegn")
        checked.append(
            {
                "indsatsformaal": str(goal.get("indsatsformaal") or "").strip(),
                "maal": str(goal.get("maal") or "").strip(),
            }
        )
    if errors:
        raise Invalid("Handleplanens mål er ikke udfyldt korrekt", errors)
    return checked


def save_handleplan(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    status: str,
    goals: list[dict[str, Any]],
    now: datetime,
    answered_on: date | None = None,
) -> HandleplanView:
    """Offer the handleplan, or record the citizen's answer and the goals; an accepted plan needs a goal."""
    if not actor.holds("sagsbehandler"):
        raise Forbidden("Kun sagsbehandlere kan udarbejde handleplaner")
    try:
        wanted = HandleplanStatus(status)
    except ValueError:
        known = ", ".join(s.value for s in HandleplanStatus)
        raise Invalid("Ukendt status for handleplanen", {"status": [f"Skal være en af: {known}"]}) from None
    checked = _goals(goals)
    if wanted == HandleplanStatus.ACCEPTERET and not checked:
        raise Invalid("En accepteret handleplan skal have mindst ét mål", {"maal": ["Skriv indsatsformål og mål"]})
    today = local_date(now)
    if answered_on is not None and answered_on > today:
        raise Invalid("Datoen ligger i fremtiden", {"besvaret_on": ["Må ikke ligge i fremtiden"]})
    with uow:
        case = visible_case(uow, actor, case_id)
        row = uow.session.scalar(select(Handleplan).where(Handleplan.case_id == case.id))
        if row is None:
            row = Handleplan(case_id=case.id, tilbudt_on=today, maal=[])
            uow.session.add(row)
        row.status, row.maal, row.updated_at, row.updated_by = wanted, checked, now, actor.username
        row.besvaret_on = None if wanted == HandleplanStatus.TILBUDT else (answered_on or today)
        uow.session.flush()
        uow.journal.record(
            case,
            actor=actor.username,
            action="handleplan",
            at=now,
            message=f"Handleplan (§ 141): {STATUS_DA[wanted].lower()}"
            + (f" {long_date(row.besvaret_on)}" if row.besvaret_on else f" {long_date(row.tilbudt_on)}")
            + (f", {len(checked)} mål" if checked else ""),
        )
        view = _view(row)
        uow.commit()
    return view


def case_handleplan(uow: UnitOfWork, case_id: int) -> HandleplanView | None:
    """Within an open unit of work, for a case already checked visible: its handleplan, if any."""
    row = uow.session.scalar(select(Handleplan).where(Handleplan.case_id == case_id))
    return _view(row) if row is not None else None


STATUS_CHOICES = [(s.value, STATUS_DA[s]) for s in HandleplanStatus]


def handleplan(uow: UnitOfWork, actor: Actor, case_id: int) -> HandleplanView:
    with uow:
        case = visible_case(uow, actor, case_id)
        row = uow.session.scalar(select(Handleplan).where(Handleplan.case_id == case.id))
        if row is None:
            raise NotFound("Sagen har ingen handleplan")
        return _view(row)
