"""Who handles which event, in order.  The one place the application layer is wired together.

Order matters where one handler reads what another wrote: for a completed activity the frister
close first, then the afgørelse is recorded and the bevilling set up (each publishing its own event,
handled after this one), then the activity's own letter is written, then a klage's effect re-opens
the main case.  An afgørelse changes the bevilling before its letter is written, so the letter
states the new bevilling; a granting afgørelse's letter is written when its bevilling is set up.
Every handler runs in the command's transaction (``UnitOfWork.commit``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tasks import events
from tasks.afgoerelser import handlers as afgoerelser
from tasks.bestillinger import ordering as bestillinger
from tasks.bevillinger import handlers as bevillinger
from tasks.cases import lifecycle
from tasks.definitions import activation
from tasks.drafts import saving as drafts
from tasks.frister import handlers as frister
from tasks.journal import handlers as journal
from tasks.klager import effects as klage_effects
from tasks.letters import handlers as letters
from tasks.notifications import handlers as notifications
from tasks.operations import effects as operations
from tasks.pathways import assessment, klage, ophold, sagsbehandling
from tasks.service.messagebus import MessageBus
from tasks.visitation import meetings as visitation
from tasks.work import submissions

HANDLERS: Mapping[type, Sequence[Callable[[Any, Any], None]]] = {
    events.CaseOpened: (
        journal.case_opened,
        sagsbehandling.open_sagsbehandlingsfrist,
        klage.judge_klagefrist,
        ophold.judge_stay_orientering,
    ),
    events.CaseClosed: (journal.case_closed,),
    events.CaseReopened: (journal.case_reopened,),
    events.CaseMigrated: (journal.case_migrated,),
    events.TaskOpened: (
        journal.task_opened,
        visitation.put_on_agenda,
        frister.open_task_frist,
        bestillinger.expect_statuses,
    ),
    events.TaskCompleted: (journal.task_completed, frister.close_task_frist, drafts.clear_drafts),
    events.TaskCancelled: (journal.task_cancelled, frister.close_task_frist, drafts.clear_drafts),
    events.TaskSubmitted: (submissions.record_submission,),
    events.TaskClaimed: (journal.task_claimed,),
    events.TaskUnclaimed: (journal.task_unclaimed,),
    events.TaskAssigned: (journal.task_assigned, notifications.task_assigned),
    events.TaskRescheduled: (journal.task_rescheduled,),
    events.ApprovalDecided: (journal.approval_decided, notifications.approval_decided, visitation.record_decision),
    events.TimerFired: (journal.timer_fired,),
    events.MessageReceived: (journal.message_received,),
    events.OperationCalled: (operations.perform,),
    events.DecisionMade: (journal.decision_made,),
    events.DecisionAssessed: (assessment.journal_assessment,),
    events.ProcessCalled: (journal.process_called,),
    events.SagsansvarligChanged: (journal.sagsansvarlig_changed,),
    events.ActivityCompleted: (
        frister.close_frister_closed_by_activity,
        ophold.judge_departure_orientering,
        sagsbehandling.track_forventet_afgoerelse,
        afgoerelser.record_afgoerelse,
        bevillinger.create_bevilling,
        letters.on_activity,
        klage_effects.apply_klage_effect,
    ),
    events.AfgoerelseTruffet: (journal.afgoerelse_truffet, bevillinger.apply_aendring, letters.on_afgoerelse),
    events.BevillingOprettet: (journal.bevilling_oprettet, letters.on_bevilling),
    events.BevillingAfsluttet: (journal.bevilling_afsluttet,),
    events.LetterWritten: (journal.letter_written,),
    events.LetterDispatched: (journal.letter_dispatched,),
    events.InstanceEnded: (lifecycle.close_when_process_ends,),
    events.CaseMoved: (journal.case_moved, notifications.case_moved),
    events.NoteAdded: (journal.note_added,),
    events.DocumentAdded: (journal.document_added,),
    events.KlageRegistered: (journal.klage_registered,),
    events.ExecutionComplaintRegistered: (journal.execution_complaint, notifications.execution_complaint),
    events.StayRefused: (journal.stay_refused,),
    events.CaseFileExported: (journal.case_file_exported,),
    events.DeadlineWarned: (journal.deadline_warned, notifications.deadline_warned),
    events.DeadlineEscalated: (journal.deadline_escalated, notifications.deadline_escalated),
    events.VersionActivated: (activation.log_activation,),
}


def message_bus() -> MessageBus:
    return MessageBus(HANDLERS)
