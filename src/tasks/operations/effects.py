"""What an operation does to the case, in the transaction of the step whose service task called it."""

from __future__ import annotations

from tasks.bestillinger.ordering import from_operation
from tasks.events import OperationCalled
from tasks.letters import content
from tasks.letters.addressing import addressing
from tasks.letters.handlers import write
from tasks.operations.catalogue import OPRET_BESTILLING, SKRIV_BREV
from tasks.service.uow import UnitOfWork


def perform(event: OperationCalled, uow: UnitOfWork) -> None:
    if event.operation == SKRIV_BREV.name:
        _write_letter(event, uow)
    elif event.operation == OPRET_BESTILLING.name:
        _record_bestilling(event, uow)


def _write_letter(event: OperationCalled, uow: UnitOfWork) -> None:
    """The letter waits for the dispatch job like every other letter: it is dated and rendered there."""
    title, text = str(event.result["titel"]), str(event.result["tekst"])
    a = addressing(uow, event.case, event.case.sagsansvarlig)
    write(uow, event.case, a, content.plain_letter(a, event.case, title, text), event.at)
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="operation_letter",
        at=event.at,
        message=f"Brevet '{title}' er skrevet (servicetask {event.bpmn_id})",
        details={"operation": event.operation, "element": event.bpmn_id},
    )


def _record_bestilling(event: OperationCalled, uow: UnitOfWork) -> None:
    from_operation(event, uow)
