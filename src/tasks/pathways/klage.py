"""Register a klage on a case's afgørelse: a klage case of its own, with the klagefrist judged at once.

R4: the klagefrist is 4 weeks from the day the citizen received the afgørelse, rolled forward to
the next hverdag when it ends on a closed day; a klage received later is still registered,
flagged, and a sagsbehandler decides whether it is treated (R5).  R6, the genvurdering within
4 weeks of receiving the klage, is the frist of the diagram's genvurdering task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine import calendar
from tasks.access.policy import visible_case
from tasks.cases.opening import NewCase, open_case
from tasks.cases.views import CaseView
from tasks.frister.deadlines import klagefrist
from tasks.service.actors import Actor
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class KlageView:
    case: CaseView
    in_time: bool
    klagefrist: datetime


def register_klage(
    uow: UnitOfWork, actor: Actor, case_id: int, received_at: datetime, decision_received_on: date, now: datetime
) -> KlageView:
    if decision_received_on > calendar.local_date(received_at):
        raise Invalid(
            "Afgørelsen kan ikke være modtaget efter klagen", {"decision_received_on": ["Senere end received_at"]}
        )
    with uow:
        parent = visible_case(uow, actor, case_id)
        reference, ydelse, team = parent.reference, parent.ydelse, parent.team
        citizen_cpr, citizen_name = parent.citizen_cpr, parent.citizen_name
    due = klagefrist(decision_received_on)
    in_time = received_at <= due
    details = {
        "parent_case_id": case_id,
        "klage_received_on": calendar.local_date(received_at).isoformat(),
        "decision_received_on": decision_received_on.isoformat(),
        "klagefrist": due.isoformat(),
        "klage_rettidig": in_time,
    }
    new = NewCase(
        process="klage",
        received_at=received_at,
        title=f"Klage over afgørelse i {reference}",
        ydelse=ydelse,
        team=team,
        citizen_cpr=citizen_cpr,
        citizen_name=citizen_name,
        details=details,
    )
    return KlageView(open_case(uow, actor, new, now), in_time, due)
