"""Teams as data: the municipality's teams, which every team field must name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tasks.accounts.model import Team
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str
    mailbox_email: str | None
    active: bool


def ensure_known_team(uow: UnitOfWork, name: str) -> Team:
    """Within an open unit of work: the active team called ``name``, or a 422 naming the field."""
    team = uow.session.scalar(select(Team).where(Team.name == name, Team.active.is_(True)))
    if team is None:
        known = ", ".join(team_names(uow)) or "ingen"
        raise Invalid(f"Ukendt team '{name}'", {"team": [f"Ukendt team '{name}'. Kendte teams: {known}"]})
    return team


def team_names(uow: UnitOfWork) -> list[str]:
    return list(uow.session.scalars(select(Team.name).where(Team.active.is_(True)).order_by(Team.name)))


def ensure_team(uow: UnitOfWork, name: str, now: datetime) -> bool:
    """Within an open unit of work: create the team unless it exists; True when it was created."""
    if uow.session.scalar(select(Team.id).where(Team.name == name)) is not None:
        return False
    uow.session.add(Team(name=name, active=True, created_at=now))
    uow.session.flush()
    return True


def list_teams(uow: UnitOfWork) -> list[TeamView]:
    with uow:
        rows = uow.session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.name))
        return [TeamView(t.id, t.name, t.mailbox_email, t.active) for t in rows]
