"""A case closes when its process ends, with the outcome its pathway names."""

from __future__ import annotations

from tasks.events import CaseClosed, InstanceEnded
from tasks.pathways import pathway_for
from tasks.service.uow import UnitOfWork

DEFAULT_OUTCOME_FIELD = "udfald"


def close_when_process_ends(event: InstanceEnded, uow: UnitOfWork) -> None:
    case = event.case
    pathway = pathway_for(case.process_key)
    field = pathway.outcome_field if pathway is not None else DEFAULT_OUTCOME_FIELD
    outcome = event.data.get(field) if field else None
    if case.close(str(outcome) if outcome else None, event.at):
        uow.publish(CaseClosed(case, event.at, event.actor, event.end_event))
