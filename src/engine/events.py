"""What a command did, as the engine reports it to the layer above.

The runtime snapshots every task's state before a command and compares after it (task_states.py),
so these events follow from SpiffWorkflow's task states, never from timestamps: a clock step can
neither hide a completion nor repeat one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from uuid import UUID


@dataclass(frozen=True)
class ActivityCompleted:
    """A diagram element (task, gateway, event, subprocess) completed in this command."""

    bpmn_id: str


@dataclass(frozen=True)
class UserTaskOpened:
    """A user task became ready for people."""

    spiff_id: UUID
    bpmn_id: str


@dataclass(frozen=True)
class UserTaskClosed:
    """A user task that was ready before the command is not any more: completed or cancelled
    (e.g. by an interrupting boundary timer)."""

    spiff_id: UUID
    bpmn_id: str
    outcome: Literal["completed", "cancelled"]


@dataclass(frozen=True)
class TimerFired:
    bpmn_id: str


@dataclass(frozen=True)
class InstanceEnded:
    end_event: str | None


@dataclass(frozen=True)
class MessageCaught:
    """A message delivered from outside was caught by the element that waited for it."""

    name: str
    bpmn_id: str


@dataclass(frozen=True)
class ServiceCalled:
    """A service task called a named operation (the layer above performs it in the same transaction)."""

    bpmn_id: str
    operation: str
    parameters: dict[str, Any]
    result: dict[str, Any]


@dataclass(frozen=True)
class DecisionEvaluated:
    """A business rule task asked a decision table (the version in force) and got ``result``."""

    bpmn_id: str
    decision: str
    version: int
    result: dict[str, Any]


@dataclass(frozen=True)
class ProcessCalled:
    """A call activity started a deployed process (the version it was bound to)."""

    bpmn_id: str
    key: str
    version: int


Event = (
    ActivityCompleted
    | UserTaskOpened
    | UserTaskClosed
    | TimerFired
    | InstanceEnded
    | MessageCaught
    | ServiceCalled
    | DecisionEvaluated
    | ProcessCalled
)
