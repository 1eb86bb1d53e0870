"""The journal writes down every event of a case: who, what, when, on which process version."""

from __future__ import annotations

from tasks.access.roles import role_label
from tasks.events import (
    ApprovalDecided,
    CaseClosed,
    CaseMigrated,
    CaseOpened,
    CaseReopened,
    DecisionMade,
    MessageReceived,
    ProcessCalled,
    SagsansvarligChanged,
    TaskAssigned,
    TaskCancelled,
    TaskClaimed,
    TaskCompleted,
    TaskOpened,
    TaskUnclaimed,
    TimerFired,
)
from tasks.service.actors import SYSTEM
from tasks.service.uow import UnitOfWork


def case_opened(event: CaseOpened, uow: UnitOfWork) -> None:
    case = event.case
    message = f"Henvendelse registreret ({case.process_key} v{event.process_version})"
    uow.journal.record(case, actor=event.actor, action="case_opened", at=event.at, message=message)


def case_closed(event: CaseClosed, uow: UnitOfWork) -> None:
    details = {"end_event": event.end_event, "outcome": event.case.outcome}
    uow.journal.record(
        event.case, actor=event.actor, action="case_closed", at=event.at, message="Sagen er afsluttet", details=details
    )


def case_reopened(event: CaseReopened, uow: UnitOfWork) -> None:
    case, klage = event.case, event.klage
    uow.journal.record(
        case,
        actor=event.actor,
        action="case_reopened",
        at=event.at,
        message=f"Sagen er genoptaget: {event.reason} (klagesag {klage.reference})",
        details={"effect": event.effect, "klage_case_id": klage.id},
    )
    uow.journal.record(
        klage,
        actor=event.actor,
        action="parent_reopened",
        at=event.at,
        message=f"Hovedsagen {case.reference} er genoptaget: {event.reason}",
    )


def task_opened(event: TaskOpened, uow: UnitOfWork) -> None:
    task = event.task
    message = f"Ny opgave '{task.name}' til rollen {role_label(task.role)}"
    uow.journal.record(event.case, actor=SYSTEM, action="task_created", at=event.at, task=task, message=message)


def task_completed(event: TaskCompleted, uow: UnitOfWork) -> None:
    message = f"Opgaven '{event.task.name}' er udført"
    uow.journal.record(
        event.case, actor=event.actor, action="task_completed", at=event.at, task=event.task, message=message
    )


def task_cancelled(event: TaskCancelled, uow: UnitOfWork) -> None:
    message = f"Opgaven '{event.task.name}' blev annulleret" + (f": {event.reason}" if event.reason else "")
    uow.journal.record(event.case, actor=SYSTEM, action="task_cancelled", at=event.at, task=event.task, message=message)


def task_claimed(event: TaskClaimed, uow: UnitOfWork) -> None:
    message = f"{event.actor} tog opgaven"
    uow.journal.record(
        event.case, actor=event.actor, action="task_claimed", at=event.at, task=event.task, message=message
    )


def task_unclaimed(event: TaskUnclaimed, uow: UnitOfWork) -> None:
    message = "Opgaven blev lagt tilbage i køen"
    uow.journal.record(
        event.case, actor=event.actor, action="task_unclaimed", at=event.at, task=event.task, message=message
    )


def task_assigned(event: TaskAssigned, uow: UnitOfWork) -> None:
    message = f"Opgaven blev tildelt {event.assignee}"
    uow.journal.record(
        event.case, actor=event.actor, action="task_assigned", at=event.at, task=event.task, message=message
    )


def approval_decided(event: ApprovalDecided, uow: UnitOfWork) -> None:
    """R15: an approval's decision and reason go into the journal in words, not only "task done"."""
    verdict = "godkendt" if event.approved else "afvist"
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="approval_given" if event.approved else "approval_refused",
        at=event.at,
        task=event.task,
        message=f"{event.task.name}: {verdict}" + (f" – {event.reason}" if event.reason else ""),
        details={"approved": event.approved, "reason": event.reason},
    )


def timer_fired(event: TimerFired, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=SYSTEM,
        action="timer_fired",
        at=event.at,
        message=f"Timer {event.bpmn_id} udløst",
        details={"element": event.bpmn_id},
    )


def sagsansvarlig_changed(event: SagsansvarligChanged, uow: UnitOfWork) -> None:
    before = f" (før: {event.previous})" if event.previous else ""
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="sagsansvarlig_changed",
        at=event.at,
        message=f"Sagsansvarlig er nu {event.current}{before}",
        details={"previous": event.previous, "current": event.current},
    )


def message_received(event: MessageReceived, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="message_received",
        at=event.at,
        message=f"Beskeden '{event.name}' er modtaget",
        details={"name": event.name, "element": event.bpmn_id},
    )


def decision_made(event: DecisionMade, uow: UnitOfWork) -> None:
    outputs = ", ".join(f"{k} = {v!r}" if not isinstance(v, str) else f'{k} = "{v}"' for k, v in event.result.items())
    uow.journal.record(
        event.case,
        actor=SYSTEM,
        action="decision_made",
        at=event.at,
        message=f"Beslutningstabellen '{event.decision}' (version {event.version}) gav {outputs or 'intet resultat'}",
        details={"decision": event.decision, "version": event.version, "element": event.bpmn_id},
    )


def process_called(event: ProcessCalled, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=SYSTEM,
        action="process_called",
        at=event.at,
        message=f"Kaldeaktiviteten {event.bpmn_id} kaldte processen '{event.key}' (version {event.version})",
        details={"element": event.bpmn_id, "process": event.key, "version": event.version},
    )


def case_migrated(event: CaseMigrated, uow: UnitOfWork) -> None:
    moves = [
        f"{m.from_id} → {m.to_id}" if m.to_id else f"{m.from_id} droppet"
        for m in event.moved
        if m.to_id != m.from_id or m.dropped
    ]
    detail = f" ({'; '.join(moves)})" if moves else ""
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="case_migrated",
        at=event.at,
        message=f"Sagen er flyttet fra version {event.from_version} til version {event.to_version} af "
        f"'{event.case.process_key}'{detail}",
        details={
            "from_version": event.from_version,
            "to_version": event.to_version,
            "tasks": [{"from": m.from_id, "to": m.to_id, "dropped": m.dropped} for m in event.moved],
        },
    )
