"""Mirror what the engine reports into human-task rows, the case and the journal.

The rows are a projection of the engine state: after every command, each READY user task has
exactly one open row and every open row is a READY user task.  A row whose task left READY is
closed as completed or cancelled (an interrupting timer cancels).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select

from engine.events import UserTaskClosed
from engine.models import ProcessInstance
from engine.runtime import Step
from tasks import frister, genoptagelse, journal, letters
from tasks.actors import SYSTEM
from tasks.models import NO_DUE, Case, HumanTask, set_task_status
from tasks.roles import role_for_lane
from tasks.uow import UnitOfWork

OPEN_STATUSES = ("open", "claimed")


def project(
    uow: UnitOfWork,
    case: Case,
    instance: ProcessInstance,
    step: Step,
    now: datetime,
    *,
    actor: str = SYSTEM,
    completed: HumanTask | None = None,
    actor_id: int | None = None,
) -> list[HumanTask]:
    """Apply ``step`` to the rows of ``case``; return the newly created tasks."""
    version = instance.version.version
    open_rows = list(
        uow.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.active.is_(True)))
    )
    ready_ids = {str(t.spiff_id) for t in step.ready}
    outcomes = {str(e.spiff_id): e.outcome for e in step.events if isinstance(e, UserTaskClosed)}
    for row in open_rows:
        if row.spiff_task_id in ready_ids:
            continue
        outcome = outcomes.get(row.spiff_task_id)
        by_user = row is completed
        _close(uow, case, instance, row, now, version, outcome, actor=actor, actor_id=actor_id, by_user=by_user)
    for timer in step.fired_timers:
        journal.record(
            uow.session,
            case,
            actor=SYSTEM,
            action="timer_fired",
            at=now,
            process_version=version,
            message=f"Timer {timer} udløst",
            details={"element": timer},
        )
    known = {row.spiff_task_id for row in open_rows}
    created = [_open(uow, case, instance, t, now, version) for t in step.ready if str(t.spiff_id) not in known]
    frister.close_case_deadlines(uow.session, case, step.completed, now)
    frister.record_departure(uow.session, case, step.completed, step.data, now)
    letters.write_letters_for_step(uow, case, step, now)
    if case.process_key == "klage":
        genoptagelse.apply_klage_effect(uow, case, step, now, actor)
    if step.finished and case.status != "closed":
        case.status = "closed"
        case.closed_at = now
        case.outcome = step.data.get("udfald") or case.outcome
        journal.record(
            uow.session,
            case,
            actor=actor,
            action="case_closed",
            at=now,
            process_version=version,
            message="Sagen er afsluttet",
            details={"end_event": step.end_event, "outcome": case.outcome},
        )
    return created


def _close(
    uow: UnitOfWork,
    case: Case,
    instance: ProcessInstance,
    row: HumanTask,
    now: datetime,
    version: int,
    outcome: str | None,
    *,
    actor: str,
    actor_id: int | None,
    by_user: bool,
) -> None:
    # The engine's events say whether the task was completed or cancelled (a before/after diff of
    # task states); the task's state is asked only for a row the events do not mention.
    state = {"cancelled": "CANCELLED", "completed": "COMPLETED"}.get(outcome or "") or uow.instances.task_state(
        instance, UUID(row.spiff_task_id)
    )
    row.completed_at = now
    if state == "CANCELLED":
        set_task_status(row, "cancelled")
        frister.close_task_deadline(uow.session, row, now)
        journal.record(
            uow.session,
            case,
            actor=SYSTEM,
            action="task_cancelled",
            at=now,
            process_version=version,
            task=row,
            message=f"Opgaven '{row.name}' blev annulleret",
        )
        return
    set_task_status(row, "completed")
    frister.close_task_deadline(uow.session, row, now)
    row.completed_by_id = actor_id if by_user else None
    journal.record(
        uow.session,
        case,
        actor=actor if by_user else SYSTEM,
        action="task_completed",
        at=now,
        process_version=version,
        task=row,
        message=f"Opgaven '{row.name}' er udført",
    )


def _open(uow: UnitOfWork, case: Case, instance: ProcessInstance, ready, now: datetime, version: int) -> HumanTask:
    role = role_for_lane(ready.lane) or "sagsbehandler"
    row = HumanTask(
        case_id=case.id,
        instance_id=instance.id,
        spiff_task_id=str(ready.spiff_id),
        bpmn_id=ready.bpmn_id,
        name=ready.name,
        role=role,
        team=case.team,
        form=ready.form,
        status="open",
        active=True,
        due_at=ready.due_at,
        sort_due=ready.due_at or NO_DUE,
        frist_rule=ready.frist if ready.due_at else None,
        created_at=now,
    )
    uow.session.add(row)
    frister.open_task_deadline(uow.session, case, row, ready.frist)
    journal.record(
        uow.session,
        case,
        actor=SYSTEM,
        action="task_created",
        at=now,
        process_version=version,
        task=row,
        message=f"Ny opgave '{row.name}' til rollen {role}",
    )
    return row
