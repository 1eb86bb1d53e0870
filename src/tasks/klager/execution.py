"""A complaint about how help is carried out (udførelsen): the municipality handles it, Ankestyrelsen does not.

Registered on the case it concerns, journalled there, and the case's team is notified; there is no klagefrist
and no genvurdering pathway, because nothing was decided (domain brief, pathway 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from engine import calendar
from tasks.access.policy import visible_case
from tasks.events import ExecutionComplaintRegistered
from tasks.klager.model import ExecutionComplaint
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork

MAX_COMPLAINT = 10_000
REGISTRARS = frozenset({"sagsbehandler", "leder"})


@dataclass(frozen=True)
class ExecutionComplaintView:
    id: int
    case_id: int
    received_on: date
    complaint: str
    registered_at: datetime
    registered_by: str

    @classmethod
    def of(cls, row: ExecutionComplaint) -> ExecutionComplaintView:
        return cls(row.id, row.case_id, row.received_on, row.complaint, row.registered_at, row.registered_by)


def register_execution_complaint(
    uow: UnitOfWork, actor: Actor, case_id: int, received_on: date, complaint: str, now: datetime
) -> ExecutionComplaintView:
    complaint = (complaint or "").strip()
    errors: dict[str, list[str]] = {}
    if not complaint:
        errors["complaint"] = ["Skriv hvad borgeren klager over"]
    elif len(complaint) > MAX_COMPLAINT:
        errors["complaint"] = [f"Højst {MAX_COMPLAINT} tegn"]
    if received_on > calendar.local_date(now):
        errors["received_on"] = ["Må ikke ligge i fremtiden"]
    if errors:
        raise Invalid("Klagen kunne ikke registreres", errors)
    if not actor.roles & REGISTRARS:
        raise Forbidden("Kun sagsbehandlere kan registrere klager")
    with uow:
        case = visible_case(uow, actor, case_id)
        row = ExecutionComplaint(
            case_id=case.id,
            received_on=received_on,
            complaint=complaint,
            registered_at=now,
            registered_by=actor.username,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.publish(ExecutionComplaintRegistered(case, now, actor.username))
        view = ExecutionComplaintView.of(row)
        uow.commit()
    return view


def case_execution_complaints(uow: UnitOfWork, case_id: int) -> list[ExecutionComplaint]:
    """Within an open unit of work."""
    query = select(ExecutionComplaint).where(ExecutionComplaint.case_id == case_id).order_by(ExecutionComplaint.id)
    return list(uow.session.scalars(query))
