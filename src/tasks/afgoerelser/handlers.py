"""Record the afgørelse when the diagram's decision activity ends, and tell the rest of the application.

The pathway reads the facts from its own process data (``Pathway.decision``); who decided is whoever
completed the pathway's decision task last (after an approved afvigelse, still the sagsbehandler).
"""

from __future__ import annotations

from tasks.afgoerelser.facts import DecisionFacts
from tasks.afgoerelser.model import Afgoerelse
from tasks.cases.model import Case
from tasks.events import ActivityCompleted, AfgoerelseTruffet
from tasks.pathways import pathway_for
from tasks.service.uow import UnitOfWork


def record_afgoerelse(event: ActivityCompleted, uow: UnitOfWork) -> None:
    pathway = pathway_for(event.case.process_key)
    if pathway is None or pathway.decision is None:
        return
    facts = pathway.decision(event.bpmn_id, event.data)
    if facts is None:
        return
    afgoerelse = uow.afgoerelser.add(_afgoerelse(uow, event.case, facts, event))
    uow.publish(AfgoerelseTruffet(event.case, event.at, event.actor, afgoerelse, event.bpmn_id, dict(event.data)))


def _afgoerelse(uow: UnitOfWork, case: Case, facts: DecisionFacts, event: ActivityCompleted) -> Afgoerelse:
    decider = uow.tasks.last_completed(case.id, facts.decided_in)
    heard = facts.partshoering
    return Afgoerelse(
        case_id=case.id,
        kind=facts.kind,
        udfald=facts.udfald,
        ydelse=facts.ydelse or case.ydelse,
        begrundelse_regler=facts.begrundelse.regler,
        begrundelse_faktiske_forhold=facts.begrundelse.faktiske_forhold,
        begrundelse_hovedhensyn=facts.begrundelse.hovedhensyn,
        decided_by_id=decider.completed_by_id if decider is not None else None,
        decided_at=event.at,
        partshoering=heard.status,
        partshoering_sendt=heard.sendt,
        partshoering_undtagelse=heard.undtagelse,
        partshoering_begrundelse=heard.begrundelse,
        afvigelse=facts.afvigelse,
        afvigelse_grunde=facts.afvigelse_grunde if facts.afvigelse else None,
        afvigelse_begrundelse=facts.afvigelse_begrundelse if facts.afvigelse else None,
        period_end=facts.ophoer_on,
    )
