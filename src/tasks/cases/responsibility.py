"""The sagsansvarlig: every case has a responsible caseworker, shown with the case, changed with a trace.

Set at registration (the registering sagsbehandler by default, or a colleague of the case's team);
a stay a krisecenter registers starts without one and waits in the team's "Ufordelte sager" for a
leder to distribute.  The leder may give any case to anyone who can see it; the sagsansvarlig may
hand their case over; a sagsbehandler may take an undistributed case of their team themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tasks.access.policy import can_see_case, case_visibility, visible_case
from tasks.accounts.model import User, UserRole
from tasks.cases.model import Case, CaseStatus
from tasks.events import SagsansvarligChanged
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork

LEDERE = frozenset({"leder"})
CASEWORKER = "sagsbehandler"


@dataclass(frozen=True)
class UnassignedCase:
    id: int
    reference: str
    title: str
    process: str
    team: str | None
    opened_at: datetime


def choose_sagsansvarlig(uow: UnitOfWork, case: Case, username: str) -> User:
    """Within an open unit of work: the active sagsbehandler called ``username`` who can see ``case``."""
    user = uow.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if user is None or CASEWORKER not in user.role_names:
        raise Invalid(
            f"'{username}' kan ikke være sagsansvarlig",
            {"sagsansvarlig": [f"Ingen aktiv sagsbehandler hedder {username}"]},
        )
    if not can_see_case(Actor.of(user), case):
        raise Invalid(
            f"{username} arbejder ikke i sagens team", {"sagsansvarlig": [f"{username} er ikke i teamet {case.team}"]}
        )
    return user


def set_sagsansvarlig(uow: UnitOfWork, actor: Actor, case_id: int, username: str, now: datetime) -> str:
    """Give a case a new sagsansvarlig; journalled.  Answers the new sagsansvarlig's username."""
    with uow:
        case = visible_case(uow, actor, case_id)
        current = case.sagsansvarlig_id
        taking_unassigned = current is None and username == actor.username and actor.holds(CASEWORKER)
        if not (actor.roles & LEDERE or current == actor.id or (taking_unassigned and may_change(actor, case))):
            raise Forbidden("Kun sagens sagsansvarlige eller en leder kan give sagen videre")
        user = choose_sagsansvarlig(uow, case, username)
        if user.id != current:
            previous = case.sagsansvarlig.username if case.sagsansvarlig is not None else None
            case.sagsansvarlig_id = user.id
            uow.publish(SagsansvarligChanged(case, now, actor.username, previous, user.username))
        uow.commit()
    return username


def may_change(actor: Actor, case: Case) -> bool:
    if actor.roles & LEDERE or case.sagsansvarlig_id == actor.id:
        return True
    return case.sagsansvarlig_id is None and actor.holds(CASEWORKER)


def possible_sagsansvarlige(uow: UnitOfWork, actor: Actor, case: Case) -> list[str]:
    """Within an open unit of work: whom ``actor`` may make sagsansvarlig of ``case`` (none if they may not)."""
    if not may_change(actor, case):
        return []
    if actor.roles & LEDERE or case.sagsansvarlig_id == actor.id:
        query = (
            select(User.username)
            .join(UserRole)
            .where(UserRole.role == CASEWORKER, User.active.is_(True), User.team == case.team)
            .order_by(User.username)
        )
        return list(uow.session.scalars(query))
    return [actor.username]


def unassigned_cases(uow: UnitOfWork, actor: Actor, limit: int = 200) -> list[UnassignedCase]:
    """Open cases no one is responsible for ("Ufordelte sager"), oldest first, for the leder to distribute."""
    if not actor.roles & (LEDERE | {CASEWORKER, "administrator"}):
        raise Forbidden("Listen over ufordelte sager er for ledere og sagsbehandlere")
    with uow.read_only():
        query = (
            select(Case)
            .where(Case.sagsansvarlig_id.is_(None), Case.status == CaseStatus.OPEN, case_visibility(actor))
            .order_by(Case.opened_at, Case.id)
            .limit(limit)
        )
        return [
            UnassignedCase(c.id, c.reference, c.title, c.process_key, c.team, c.opened_at)
            for c in uow.session.scalars(query)
        ]
