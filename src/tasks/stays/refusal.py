"""A krisecenter refuses a stay (§ 109): recorded on the stay's case, so the citizen can complain about it.

The refusal is complained about to the krisecenter, which re-assesses it within 4 weeks and, if it keeps it,
forwards the klage to Ankestyrelsen (domain brief, pathway 3): registered like any klage
(``tasks.klager.registration`` with ``KlageSubject.AFVIST_OPHOLD``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine import calendar
from tasks.access.policy import visible_case
from tasks.events import StayRefused
from tasks.pathways.ophold import KRISECENTER
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.stays.model import StayRefusal

REFUSERS = frozenset({"krisecenter", "sagsbehandler"})


@dataclass(frozen=True)
class RefusalView:
    case_id: int
    refused_on: date
    reason: str
    registered_by: str


def refuse_stay(
    uow: UnitOfWork, actor: Actor, case_id: int, refused_on: date, reason: str, now: datetime
) -> RefusalView:
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Skriv begrundelsen for afslaget"]
    if refused_on > calendar.local_date(now):
        errors["refused_on"] = ["Må ikke ligge i fremtiden"]
    if errors:
        raise Invalid("Afslaget kunne ikke registreres", errors)
    if not actor.roles & REFUSERS:
        raise Forbidden("Kun krisecentret eller en sagsbehandler kan registrere et afslag på ophold")
    with uow:
        case = visible_case(uow, actor, case_id)
        if case.process_key != KRISECENTER.process_key:
            raise Invalid("Kun krisecenterophold (§ 109) kan afslås her", {"case_id": ["Ikke et krisecenterophold"]})
        if uow.session.get(StayRefusal, case.id) is not None:
            raise Conflict("Der er allerede registreret et afslag på opholdet")
        uow.session.add(
            StayRefusal(
                case_id=case.id, refused_on=refused_on, reason=reason, registered_at=now, registered_by=actor.username
            )
        )
        uow.publish(StayRefused(case, now, actor.username, refused_on))
        view = RefusalView(case.id, refused_on, reason, actor.username)
        uow.commit()
    return view


def stay_refusal(uow: UnitOfWork, case_id: int) -> StayRefusal | None:
    """Within an open unit of work."""
    return uow.session.get(StayRefusal, case_id)
