"""Teams as data: the municipality's teams, which every team field must name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from tasks.accounts.model import Team, User
from tasks.cases.model import Case
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask


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


ADMINS = frozenset({"administrator"})


def _ensure_admin(actor: Actor) -> None:
    if not actor.roles & ADMINS:
        raise Forbidden("Kun administratorer kan administrere teams")


def all_teams(uow: UnitOfWork, actor: Actor) -> list[TeamView]:
    """Every team, inactive ones too (administrators)."""
    _ensure_admin(actor)
    with uow:
        rows = uow.session.scalars(select(Team).order_by(Team.active.desc(), Team.name))
        return [TeamView(t.id, t.name, t.mailbox_email, t.active) for t in rows]


def create_team(uow: UnitOfWork, actor: Actor, name: str, mailbox_email: str | None, now: datetime) -> TeamView:
    _ensure_admin(actor)
    name = _check_name(name)
    with uow:
        if uow.session.scalar(select(Team.id).where(Team.name == name)) is not None:
            raise Conflict(f"Teamet '{name}' findes allerede", {"name": ["Navnet er allerede brugt"]})
        team = Team(name=name, mailbox_email=_mailbox(mailbox_email), active=True, created_at=now)
        uow.session.add(team)
        uow.session.flush()
        view = TeamView(team.id, team.name, team.mailbox_email, team.active)
        uow.commit()
    return view


def update_team(
    uow: UnitOfWork,
    actor: Actor,
    team_id: int,
    *,
    name: str | None = None,
    mailbox_email: str | None = None,
    active: bool | None = None,
    clear_mailbox: bool = False,
) -> TeamView:
    """Rename (cases, tasks and users follow the new name), change the mailbox, (de)activate.

    A deactivated team takes no new cases or users; its existing cases stay where they are until a leder moves them."""
    _ensure_admin(actor)
    with uow:
        team = uow.session.get(Team, team_id)
        if team is None:
            raise NotFound("Teamet findes ikke")
        if name is not None and _check_name(name) != team.name:
            new = _check_name(name)
            if uow.session.scalar(select(Team.id).where(Team.name == new)) is not None:
                raise Conflict(f"Teamet '{new}' findes allerede", {"name": ["Navnet er allerede brugt"]})
            _rename_everywhere(uow, team.name, new)
            team.name = new
        if mailbox_email is not None or clear_mailbox:
            team.mailbox_email = None if clear_mailbox else _mailbox(mailbox_email)
        if active is not None:
            team.active = active
        view = TeamView(team.id, team.name, team.mailbox_email, team.active)
        uow.commit()
    return view


def _rename_everywhere(uow: UnitOfWork, old: str, new: str) -> None:
    for model in (User, Case, HumanTask):
        uow.session.execute(update(model).where(model.team == old).values(team=new))


def _check_name(name: str | None) -> str:
    clean = (name or "").strip()
    if not clean:
        raise Invalid("Teamet skal have et navn", {"name": ["Feltet skal udfyldes"]})
    if len(clean) > 100:
        raise Invalid("Navnet er for langt", {"name": ["Højst 100 tegn"]})
    return clean


def _mailbox(email: str | None) -> str | None:
    clean = (email or "").strip()
    if not clean:
        return None
    if len(clean) > 200 or not _EMAIL.fullmatch(clean):
        raise Invalid("Ugyldig e-mailadresse", {"mailbox_email": ["Ugyldig e-mailadresse"]})
    return clean


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
