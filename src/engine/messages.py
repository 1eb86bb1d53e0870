"""Messages a running instance waits for, and which element catches one.

A message is caught by a message catch event, a receive task, a boundary event, or an event-based
gateway — which in SpiffWorkflow 3.2 holds the definitions of all its branches itself (a
``MultipleEventDefinition``), so each branch's message (and timer) is read from the gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine import task_states


class NotWaiting(Exception):
    """Nothing in the instance waits for a message of that name (``awaited``: the names it does wait for)."""

    def __init__(self, name: str, awaited: tuple[str, ...]) -> None:
        super().__init__(name)
        self.name = name
        self.awaited = awaited


@dataclass(frozen=True)
class AwaitedMessage:
    """A message the instance waits for: its name, and the element that would catch it."""

    name: str
    bpmn_id: str
    element_name: str | None


def definitions_of(task: Any) -> list[Any]:
    """A waiting task's event definitions (an event-based gateway holds those of all its branches)."""
    definition = getattr(task.task_spec, "event_definition", None)
    if isinstance(definition, MultipleEventDefinition):
        return list(definition.event_definitions)
    return [definition] if definition is not None else []


def message_waiters(workflow: Any) -> list[tuple[Any, Any]]:
    """(waiting task, message definition) for every message the instance can catch now."""
    return [
        (task, definition)
        for task in task_states.all_tasks(workflow)
        if task.state == TaskState.WAITING
        for definition in definitions_of(task)
        if isinstance(definition, MessageEventDefinition) and definition.name
    ]


def catcher(task: Any, definition: Any) -> str:
    """The element that catches ``definition``: an event-based gateway's branch event, else the task's own."""
    spec = task.task_spec
    if isinstance(spec.event_definition, MultipleEventDefinition):
        definitions = spec.event_definition.event_definitions
        index = next((i for i, d in enumerate(definitions) if d is definition), None)
        if index is not None and index < len(spec.outputs):
            return str(spec.outputs[index].bpmn_id)
    return str(spec.bpmn_id)


def awaited_messages(workflow: Any) -> tuple[AwaitedMessage, ...]:
    """The messages the instance waits for now, in the order of its task tree."""
    found: dict[str, AwaitedMessage] = {}
    for task, definition in message_waiters(workflow):
        spec = task.task_spec
        found.setdefault(definition.name, AwaitedMessage(definition.name, spec.bpmn_id, spec.bpmn_name))
    return tuple(found.values())
