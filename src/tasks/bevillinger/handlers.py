"""Bevillinger follow afgørelser: *Opret bevilling* sets one up; an ændring replaces it; an ophør ends it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.calendar import local_date
from tasks.afgoerelser.model import Afgoerelse, AfgoerelseKind
from tasks.bevillinger.facts import GrantFacts
from tasks.bevillinger.model import Bevilling, BevillingStatus
from tasks.cases.model import Case
from tasks.events import ActivityCompleted, AfgoerelseTruffet, BevillingAfsluttet, BevillingOprettet
from tasks.pathways import pathway_for
from tasks.service.uow import UnitOfWork

CHANGES = (AfgoerelseKind.AENDRING, AfgoerelseKind.OPHOER)


def create_bevilling(event: ActivityCompleted, uow: UnitOfWork) -> None:
    """*Opret bevilling* completed: the bevilling of the afgørelse that waits for it (its letter follows)."""
    pathway = pathway_for(event.case.process_key)
    if pathway is None or pathway.grant is None:
        return
    decided = pathway.decision(event.bpmn_id, event.data) if pathway.decision is not None else None
    if decided is not None and decided.kind in CHANGES:
        return  # an ændring: set up when its afgørelse is recorded (apply_aendring)
    facts = pathway.grant(event.bpmn_id, event.data)
    if facts is None:
        return
    afgoerelse = uow.afgoerelser.awaiting_grant_letter(event.case.id)
    _grant(uow, event.case, facts, afgoerelse, event.at, event.actor, dict(event.data))


def apply_aendring(event: AfgoerelseTruffet, uow: UnitOfWork) -> None:
    """An afgørelse om ophør ends the active bevilling; one om ændring replaces it by a new one."""
    afgoerelse = event.afgoerelse
    if afgoerelse.kind not in CHANGES:
        return
    if afgoerelse.kind == AfgoerelseKind.OPHOER:
        current = uow.bevillinger.active(event.case.id)
        if current is not None:
            last_day = afgoerelse.period_end or current.slut or local_date(afgoerelse.decided_at)
            current.stop(last_day, afgoerelse.id)
            afgoerelse.settle_grant(current.omfang_i_ord, current.start, last_day)
            uow.publish(BevillingAfsluttet(event.case, event.at, event.actor, current))
        return
    pathway = pathway_for(event.case.process_key)
    facts = pathway.grant(event.bpmn_id, event.data) if pathway is not None and pathway.grant is not None else None
    if facts is not None:
        _grant(uow, event.case, facts, afgoerelse, event.at, event.actor, event.data)


def _grant(
    uow: UnitOfWork,
    case: Case,
    facts: GrantFacts,
    afgoerelse: Afgoerelse | None,
    at: datetime,
    actor: str,
    data: dict[str, Any],
) -> Bevilling:
    """Store the new bevilling; the one it replaces (if any) ends the day before it starts."""
    bevilling = uow.bevillinger.add(
        Bevilling(
            case_id=case.id,
            granted_by_id=afgoerelse.id if afgoerelse is not None else None,
            ydelse=facts.ydelse,
            serviceniveau=facts.serviceniveau,
            omfang=facts.omfang,
            leverandoer=facts.leverandoer,
            start=facts.start,
            slut=facts.slut,
            status=BevillingStatus.AKTIV,
            egenbetaling=facts.egenbetaling,
            created_at=at,
        )
    )
    for previous in uow.bevillinger.for_case(case.id):
        if previous.id != bevilling.id and previous.is_active:
            previous.replace_by(bevilling, afgoerelse.id if afgoerelse is not None else None)
            uow.publish(BevillingAfsluttet(case, at, actor, previous))
    if afgoerelse is not None:
        afgoerelse.settle_grant(bevilling.omfang_i_ord, bevilling.start, bevilling.slut)
    uow.publish(BevillingOprettet(case, at, actor, bevilling, afgoerelse, data))
    return bevilling
