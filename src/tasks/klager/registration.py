"""Register a klage on a case's afgørelse: a klage case of its own, with the klagefrist judged at once.

R4: the klagefrist is 4 weeks from the day the citizen received the afgørelse, rolled forward to
the next hverdag when it ends on a closed day; a klage received later is still registered,
flagged, and a sagsbehandler decides whether it is treated (R5).  R6, the genvurdering within
4 weeks of receiving the klage, is the frist of the diagram's genvurdering task.

The klage's link to the main case is decided here, after checking the actor may see that case and
that it has an afgørelse to complain about — never taken from what a client sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine import calendar
from tasks.access.policy import visible_case
from tasks.cases.model import Case
from tasks.cases.opening import NewCase, ensure_may_open, start_case
from tasks.cases.reading import case_view
from tasks.cases.views import CaseView
from tasks.frister import rules
from tasks.frister.rules import klagefrist
from tasks.klager.model import Klage
from tasks.parties.model import Party
from tasks.parties.registration import Address
from tasks.pathways.klage import KLAGE
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
    ensure_may_open(actor, "sagsbehandling")
    if received_at > now:
        raise Invalid("Klagen kan ikke være modtaget i fremtiden", {"received_at": ["Må ikke ligge i fremtiden"]})
    if decision_received_on > calendar.local_date(received_at):
        raise Invalid(
            "Afgørelsen kan ikke være modtaget efter klagen", {"decision_received_on": ["Senere end received_at"]}
        )
    with uow:
        parent = visible_case(uow, actor, case_id)
        _ensure_has_afgoerelse(uow, parent)
        due = klagefrist(decision_received_on)
        in_time = rules.in_time(received_at, due)  # the whole last day, Copenhagen time
        received_on = calendar.local_date(received_at)
        system_data = {
            "klage_received_on": received_on.isoformat(),
            "decision_received_on": decision_received_on.isoformat(),
            "klagefrist": due.isoformat(),
            "klage_rettidig": in_time,
        }
        citizen = uow.parties.citizen(parent.id)
        new = NewCase(
            process=KLAGE.process_key,
            received_at=received_at,
            title=f"Klage over afgørelse i {parent.reference}",
            ydelse=parent.ydelse,
            team=parent.team,
            citizen_cpr=parent.citizen_cpr,
            citizen_name=parent.citizen_name,
            citizen_address=_address_of(citizen),
            digital_post_exempt=citizen.digital_post_exempt if citizen is not None else False,
        )
        case = start_case(uow, actor, new, now, parent=parent, system_data=system_data)
        uow.session.add(
            Klage(
                case_id=case.id,
                parent_case_id=parent.id,
                received_on=received_on,
                decision_received_on=decision_received_on,
                klagefrist=due,
                in_time=in_time,
            )
        )
        uow.dispatch()
        view = case_view(uow, case)
        uow.commit()
    return KlageView(view, in_time, due)


def _address_of(party: Party | None) -> Address | None:
    if party is None or not party.has_address:
        return None
    return Address(party.street or "", party.postal_code or "", party.city or "")


def _ensure_has_afgoerelse(uow: UnitOfWork, case: Case) -> None:
    if not uow.afgoerelser.for_case(case.id):
        raise Invalid(
            f"{case.reference} har ingen afgørelse, der kan klages over",
            {"case_id": ["Sagen har ingen afgørelse endnu"]},
        )
