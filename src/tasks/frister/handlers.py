"""Frister follow what happens: a task with a due time gets its frist, closing work closes it."""

from __future__ import annotations

from tasks.events import ActivityCompleted, TaskCancelled, TaskCompleted, TaskOpened
from tasks.frister.model import Deadline
from tasks.service.uow import UnitOfWork


def open_task_frist(event: TaskOpened, uow: UnitOfWork) -> None:
    task = event.task
    if task.due_at is None:
        return
    uow.deadlines.add(
        Deadline(
            case=event.case,
            task=task,
            rule_id=f"task:{task.bpmn_id}",
            rule=event.frist_rule or f"Frist for {task.name}",
            due_at=task.due_at,
        )
    )


def close_task_frist(event: TaskCompleted | TaskCancelled, uow: UnitOfWork) -> None:
    """Met when the task was done by its due time; a task the process cancelled counts as met."""
    if event.task.due_at is None or event.task.id is None:
        return
    cancelled = isinstance(event, TaskCancelled)
    for deadline in uow.deadlines.open_for_task(event.task):
        deadline.close(event.at, in_time=True if cancelled else None)


def close_frister_closed_by_activity(event: ActivityCompleted, uow: UnitOfWork) -> None:
    """A case frist names the activity that meets it (``closes_on``; R1: the Behandling subprocess)."""
    for deadline in uow.deadlines.open_closing_on(event.case.id, [event.bpmn_id]):
        deadline.close(event.at)
