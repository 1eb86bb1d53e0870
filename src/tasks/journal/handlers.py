"""The journal writes down every event of a case: who, what, when, on which process version."""

from __future__ import annotations

from tasks.access.roles import role_label
from tasks.afgoerelser.model import KIND_DA, UDFALD_DA
from tasks.bevillinger.model import STATUS_DA
from tasks.events import (
    AfgoerelseTruffet,
    ApprovalDecided,
    BevillingAfsluttet,
    BevillingOprettet,
    CaseClosed,
    CaseFileExported,
    CaseMigrated,
    CaseMoved,
    CaseOpened,
    CaseReopened,
    DeadlineEscalated,
    DeadlineWarned,
    DecisionMade,
    DocumentAdded,
    ExecutionComplaintRegistered,
    KlageRegistered,
    LetterDispatched,
    LetterWritten,
    MessageReceived,
    NoteAdded,
    ProcessCalled,
    SagsansvarligChanged,
    StayRefused,
    TaskAssigned,
    TaskCancelled,
    TaskClaimed,
    TaskCompleted,
    TaskOpened,
    TaskRescheduled,
    TaskUnclaimed,
    TimerFired,
)
from tasks.letters.model import CHANNEL_DA
from tasks.service.actors import SYSTEM
from tasks.service.danish import long_date, short_date
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


def deadline_warned(event: DeadlineWarned, uow: UnitOfWork) -> None:
    d = event.deadline
    uow.journal.record(
        d.case, actor=SYSTEM, action="deadline_near", at=event.at, task=d.task, message=f"Fristen nærmer sig: {d.rule}"
    )


def deadline_escalated(event: DeadlineEscalated, uow: UnitOfWork) -> None:
    d = event.deadline
    message = f"Fristen er overskredet: {d.rule}"
    uow.journal.record(d.case, actor=SYSTEM, action="deadline_overdue", at=event.at, task=d.task, message=message)


def task_rescheduled(event: TaskRescheduled, uow: UnitOfWork) -> None:
    old = short_date(event.old_due) if event.old_due else "ingen"
    message = f"Opgavens frist er ændret fra {old} til {short_date(event.new_due)}: {event.reason}"
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="task_rescheduled",
        at=event.at,
        task=event.task,
        message=message,
        details={"old_due": event.old_due.isoformat() if event.old_due else None, "new_due": event.new_due.isoformat()},
    )


def case_moved(event: CaseMoved, uow: UnitOfWork) -> None:
    message = f"Sagen er flyttet fra {event.old_team or '(intet team)'} til {event.new_team}"
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="case_moved",
        at=event.at,
        message=message,
        details={"from": event.old_team, "to": event.new_team},
    )


def note_added(event: NoteAdded, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="note_added",
        at=event.at,
        message="Journalnotat tilføjet",
        details={"note_id": event.note_id},
    )


def document_added(event: DocumentAdded, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="document_added",
        at=event.at,
        message=f"Dokument lagt på sagen: {event.filename}",
        details={"document_id": event.document_id},
    )


def klage_registered(event: KlageRegistered, uow: UnitOfWork) -> None:
    klage, parent = event.klage, event.parent
    uow.journal.record(
        parent,
        actor=event.actor,
        action="klage_registered",
        at=event.at,
        message=f"Klage registreret ({event.subject}): klagesag {klage.reference}",
        details={"klage_case_id": klage.id},
    )
    uow.journal.record(
        klage,
        actor=event.actor,
        action="klage_of",
        at=event.at,
        message=f"Klagen handler om sag {parent.reference} ({event.subject})",
        details={"parent_case_id": parent.id},
    )


def execution_complaint(event: ExecutionComplaintRegistered, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="execution_complaint",
        at=event.at,
        message="Klage over udførelsen af hjælpen registreret (behandles af kommunen, ikke Ankestyrelsen)",
    )


def stay_refused(event: StayRefused, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="stay_refused",
        at=event.at,
        message=f"Afslag på ophold registreret ({short_date(event.refused_on)})",
    )


def case_file_exported(event: CaseFileExported, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="case_file_exported",
        at=event.at,
        message="Sagens akter er udskrevet til aktindsigt",
    )


def afgoerelse_truffet(event: AfgoerelseTruffet, uow: UnitOfWork) -> None:
    afg = event.afgoerelse
    message = f"Afgørelse truffet ({KIND_DA[afg.kind].lower()}): {UDFALD_DA[afg.udfald]}" + (
        f" ({afg.ydelse})" if afg.ydelse else ""
    )
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="afgoerelse",
        at=event.at,
        message=message,
        details={"afgoerelse_id": afg.id, "kind": afg.kind.value, "udfald": afg.udfald.value},
    )


def bevilling_oprettet(event: BevillingOprettet, uow: UnitOfWork) -> None:
    b = event.bevilling
    message = f"Bevilling oprettet: {b.ydelse}, {b.omfang_i_ord}, {b.leverandoer}, fra {long_date(b.start)}"
    uow.journal.record(
        event.case, actor=event.actor, action="bevilling", at=event.at, message=message, details={"bevilling_id": b.id}
    )


def bevilling_afsluttet(event: BevillingAfsluttet, uow: UnitOfWork) -> None:
    b = event.bevilling
    ended = f" med udgangen af {long_date(b.slut)}" if b.slut else ""
    message = f"Bevillingen ({b.omfang_i_ord}) er {STATUS_DA[b.status].lower()}{ended}"
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="bevilling_afsluttet",
        at=event.at,
        message=message,
        details={"bevilling_id": b.id, "status": b.status.value},
    )


def letter_written(event: LetterWritten, uow: UnitOfWork) -> None:
    uow.journal.record(
        event.case,
        actor=SYSTEM,
        action="letter_written",
        at=event.at,
        message=f"Brev skrevet: {event.letter.title} (afventer afsendelse)",
        details={"letter_id": event.letter.id},
    )


def letter_dispatched(event: LetterDispatched, uow: UnitOfWork) -> None:
    letter = event.letter
    how = f"sendt med {CHANNEL_DA[letter.channel]}" if letter.channel is not None else "dateret (ingen kanal)"
    frist = f"; klagefristen udløber {long_date(letter.klagefrist_ends_on)}" if letter.klagefrist_ends_on else ""
    uow.journal.record(
        event.case,
        actor=SYSTEM,
        action="letter_dispatched",
        at=event.at,
        message=f"Brev {how}: {letter.title}{frist}",
        details={"letter_id": letter.id},
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
