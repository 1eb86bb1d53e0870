"""Who handles which event, in order.  The one place the application layer is wired together.

Order matters where one handler reads what another wrote: for a completed activity the frister
close first, then its letter is written (it may quote them), then a klage's effect re-opens the
main case.  Every handler runs in the command's transaction (``UnitOfWork.commit``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tasks import events
from tasks.cases import lifecycle
from tasks.definitions import activation
from tasks.frister import handlers as frister
from tasks.journal import handlers as journal
from tasks.klager import effects as klage_effects
from tasks.letters import handlers as letters
from tasks.operations import effects as operations
from tasks.pathways import klage, ophold, sagsbehandling
from tasks.service.messagebus import MessageBus

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
    events.TaskOpened: (journal.task_opened, frister.open_task_frist),
    events.TaskCompleted: (journal.task_completed, frister.close_task_frist),
    events.TaskCancelled: (journal.task_cancelled, frister.close_task_frist),
    events.TaskClaimed: (journal.task_claimed,),
    events.TaskUnclaimed: (journal.task_unclaimed,),
    events.TaskAssigned: (journal.task_assigned,),
    events.ApprovalDecided: (journal.approval_decided,),
    events.TimerFired: (journal.timer_fired,),
    events.MessageReceived: (journal.message_received,),
    events.OperationCalled: (operations.perform,),
    events.DecisionMade: (journal.decision_made,),
    events.ProcessCalled: (journal.process_called,),
    events.SagsansvarligChanged: (journal.sagsansvarlig_changed,),
    events.ActivityCompleted: (
        frister.close_frister_closed_by_activity,
        ophold.judge_departure_orientering,
        letters.write_letter,
        klage_effects.apply_klage_effect,
    ),
    events.InstanceEnded: (lifecycle.close_when_process_ends,),
    events.VersionActivated: (activation.log_activation,),
}


def message_bus() -> MessageBus:
    return MessageBus(HANDLERS)
