"""Snapshot the task states of a workflow before a command; after it, say what changed as events.

Tasks of called and embedded subprocesses are included.  The order of the events is the tree's
(depth first), which follows the process's flow; users' tasks closed come first, the end last.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.events import (
    ActivityCompleted,
    Event,
    InstanceEnded,
    TimerFired,
    UserTaskClosed,
    UserTaskOpened,
)


@dataclass(frozen=True)
class Snapshot:
    states: dict[UUID, int]
    ready_user_tasks: dict[UUID, str]  # spiff id -> bpmn id
    finished: bool


def all_tasks(workflow: Any) -> list[Any]:
    """Every task of the workflow and its subprocesses, each tree depth first."""
    found: list[Any] = []
    for tree in [workflow, *workflow.subprocesses.values()]:
        stack = [tree.task_tree] if tree.task_tree is not None else []
        while stack:
            task = stack.pop()
            found.append(task)
            stack.extend(reversed(task.children))
    return found


def snapshot(workflow: Any) -> Snapshot:
    tasks = all_tasks(workflow)
    ready = {
        t.id: t.task_spec.bpmn_id
        for t in tasks
        if t.state == TaskState.READY and getattr(t.task_spec, "manual", False) and t.task_spec.bpmn_id
    }
    return Snapshot({t.id: t.state for t in tasks}, ready, workflow.is_completed())


EMPTY = Snapshot({}, {}, False)


def is_timer(task: Any) -> bool:
    """A timer event, or the timer branch of an event-based gateway (whose gateway holds the timer)."""
    if isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition):
        return True
    parent = task.parent
    held = getattr(parent.task_spec, "event_definition", None) if parent is not None else None
    if isinstance(held, MultipleEventDefinition) and task.task_spec in parent.task_spec.outputs:
        index = parent.task_spec.outputs.index(task.task_spec)
        return index < len(held.event_definitions) and isinstance(held.event_definitions[index], TimerEventDefinition)
    return False


def diff(
    before: Snapshot, workflow: Any, cycle_firings: Iterable[str] = (), tasks: list[Any] | None = None
) -> tuple[Event, ...]:
    """The events of one command: ``before`` is the snapshot taken when it began; ``tasks`` the workflow's
    ``all_tasks`` now, when the caller has them already."""
    tasks = all_tasks(workflow) if tasks is None else tasks
    by_id = {t.id: t for t in tasks}
    closed: list[Event] = []
    for spiff_id, bpmn_id in before.ready_user_tasks.items():
        task = by_id.get(spiff_id)
        if task is None or task.state == TaskState.CANCELLED:
            closed.append(UserTaskClosed(spiff_id, bpmn_id, "cancelled"))
        elif task.state == TaskState.COMPLETED:
            closed.append(UserTaskClosed(spiff_id, bpmn_id, "completed"))
    completed: list[Event] = []
    fired: list[Event] = [TimerFired(bpmn_id) for bpmn_id in cycle_firings]
    opened: list[Event] = []
    for task in tasks:
        bpmn_id = task.task_spec.bpmn_id
        if not bpmn_id:
            continue
        was = before.states.get(task.id)
        if task.state == TaskState.COMPLETED and was != TaskState.COMPLETED:
            completed.append(ActivityCompleted(bpmn_id))
            if is_timer(task):
                fired.append(TimerFired(bpmn_id))
        elif task.state == TaskState.READY and getattr(task.task_spec, "manual", False) and was != TaskState.READY:
            opened.append(UserTaskOpened(task.id, bpmn_id))
    ended: list[Event] = []
    if workflow.is_completed() and not before.finished:
        ended.append(InstanceEnded(_end_event(workflow, before, tasks)))
    return (*closed, *completed, *fired, *opened, *ended)


def _end_event(workflow: Any, before: Snapshot, tasks: list[Any]) -> str | None:
    """The top-level end event that completed in this command (the last in flow order)."""
    ends = [
        t
        for t in tasks
        if t.workflow is workflow
        and type(t.task_spec).__name__ == "EndEvent"
        and t.state == TaskState.COMPLETED
        and before.states.get(t.id) != TaskState.COMPLETED
    ]
    return ends[-1].task_spec.bpmn_id if ends else None
