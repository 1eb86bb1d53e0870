"""Mirror what the engine reports after a command into human-task rows, and publish what happened.

The rows are a projection of the engine state: after every command, each READY user task has
exactly one active row and every active row is a READY user task.  A row whose task left READY is
closed as completed or cancelled (an interrupting timer cancels).  Everything else a step means —
journal lines, frister, letters, a closed case, a klage's effect — is done by the handlers of the
events published here (``tasks.handlers``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from engine import events as engine_events
from engine.events import UserTaskClosed
from engine.models import ProcessInstance
from engine.runtime import ReadyTask, Step
from tasks.access.roles import role_for_lane
from tasks.cases.model import Case
from tasks.events import (
    ActivityCompleted,
    DecisionMade,
    InstanceEnded,
    OperationCalled,
    ProcessCalled,
    TaskCancelled,
    TaskCompleted,
    TaskOpened,
    TimerFired,
)
from tasks.service.actors import SYSTEM, Actor
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask

DEFAULT_ROLE = "sagsbehandler"


def apply_step(
    uow: UnitOfWork,
    case: Case,
    instance: ProcessInstance,
    step: Step,
    now: datetime,
    *,
    actor: Actor | None = None,
    completed: HumanTask | None = None,
    form_data: dict[str, Any] | None = None,
) -> list[HumanTask]:
    """Apply ``step`` to the rows of ``case`` and publish its events; return the newly opened tasks.

    ``completed`` is the row the actor completed (it closes as done *by them*) with the ``form_data`` it was
    completed with; every other row that left READY was moved on by the process itself.  The process data
    of a step is the top level's: a task inside a subprocess sees its own form's fields only through
    ``form_data`` (SpiffWorkflow copies a subprocess's data out when the subprocess ends)."""
    by = actor.username if actor is not None else SYSTEM
    rows = uow.tasks.active_for_instance(instance.id)
    ready_ids = {str(t.spiff_id) for t in step.ready}
    outcomes = {str(e.spiff_id): e.outcome for e in step.events if isinstance(e, UserTaskClosed)}
    for row in rows:
        if row.spiff_task_id not in ready_ids:
            cancelled = _was_cancelled(uow, instance, row, outcomes.get(row.spiff_task_id))
            _close(uow, case, row, now, cancelled=cancelled, by_user=actor if row is completed else None)
    for bpmn_id in step.fired_timers:
        uow.publish(TimerFired(case, now, bpmn_id))
    for event in step.events:
        if isinstance(event, engine_events.ServiceCalled):
            uow.publish(OperationCalled(case, now, by, event.bpmn_id, event.operation, event.parameters, event.result))
        elif isinstance(event, engine_events.DecisionEvaluated):
            uow.publish(DecisionMade(case, now, event.bpmn_id, event.decision, event.version, event.result))
        elif isinstance(event, engine_events.ProcessCalled):
            uow.publish(ProcessCalled(case, now, event.bpmn_id, event.key, event.version))
    known = {row.spiff_task_id for row in rows}
    opened = [_open(uow, case, instance, ready, now) for ready in step.ready if str(ready.spiff_id) not in known]
    for bpmn_id in sorted(step.completed):
        own = form_data if completed is not None and form_data and bpmn_id == completed.bpmn_id else {}
        uow.publish(ActivityCompleted(case, now, bpmn_id, by, {**step.data, **own}))
    if step.finished:
        uow.publish(InstanceEnded(case, now, by, step.end_event, dict(step.data)))
    return opened


def _was_cancelled(uow: UnitOfWork, instance: ProcessInstance, row: HumanTask, outcome: str | None) -> bool:
    """The engine's events say whether a task was completed or cancelled (a before/after diff of task
    states); the task's state is asked only for a row the events do not mention."""
    if outcome is not None:
        return outcome == "cancelled"
    return uow.instances.task_state(instance, UUID(row.spiff_task_id)) == "CANCELLED"


def _close(
    uow: UnitOfWork, case: Case, row: HumanTask, now: datetime, *, cancelled: bool, by_user: Actor | None
) -> None:
    if cancelled:
        row.cancel(now)
        uow.publish(TaskCancelled(case, now, row))
        return
    row.complete(by_user.id if by_user is not None else None, now)
    uow.publish(TaskCompleted(case, now, row, by_user.username if by_user is not None else SYSTEM))


def _open(uow: UnitOfWork, case: Case, instance: ProcessInstance, ready: ReadyTask, now: datetime) -> HumanTask:
    row = HumanTask.mirror(case, instance.id, ready, role_for_lane(ready.lane) or DEFAULT_ROLE, now)
    uow.tasks.add(row)
    uow.publish(TaskOpened(case, now, row, ready.frist))
    return row


def cancel_open_tasks(uow: UnitOfWork, case: Case, instance_id: int, now: datetime, reason: str) -> None:
    """End every open task of an instance the application itself stops (a klage re-opens the case)."""
    for row in uow.tasks.active_for_instance(instance_id):
        row.cancel(now)
        uow.publish(TaskCancelled(case, now, row, reason))
