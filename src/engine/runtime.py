"""Run instances: start, complete a user task, fire due timers.  Pure: no SQL, no wall clock.

Each call takes the workflow and ``now`` and returns a ``Step``: what is ready for people, whether
the instance ended, what happened (``events``, from a before/after comparison of task states) and
when the next timer is due.  Every call runs under the budget of ``EngineLimits``; the caller
persists (``dump`` refuses state over the size cap).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from engine import migration, task_states
from engine.budget import Budget
from engine.compaction import compact
from engine.diagrams import ParsedDiagram
from engine.errors import ProcessError, RunawayProcess, StateTooLarge
from engine.events import ActivityCompleted, Event, InstanceEnded, MessageCaught, TimerFired
from engine.feel.errors import FeelError
from engine.feel.spiff_engine import DecisionProvider, FeelScriptEngine
from engine.limits import DEFAULT_LIMITS, EngineLimits
from engine.messages import AwaitedMessage, NotWaiting, awaited_messages, catcher, definitions_of, message_waiters
from engine.operations import NO_OPERATIONS, Operations
from engine.spiff import (
    BpmnWorkflow,
    StateCodec,
    cycle_cap,
    engine_time,
    keep_plain_json,
    needs_plain_json,
    ready_tasks,
    run_until_waiting,
)

__all__ = [
    "AwaitedMessage",
    "NotWaiting",
    "ProcessError",
    "ReadyTask",
    "RunawayProcess",
    "Runtime",
    "StateTooLarge",
    "Step",
    "UnknownTask",
    "awaited_messages",
]


class UnknownTask(Exception):
    """The engine has no READY user task with that id."""


@dataclass(frozen=True)
class ReadyTask:
    spiff_id: UUID
    bpmn_id: str
    name: str
    lane: str | None
    form: str | None
    due_at: datetime | None
    frist: str | None = None


@dataclass(frozen=True)
class Step:
    ready: tuple[ReadyTask, ...]
    finished: bool
    end_event: str | None
    next_timer_at: datetime | None
    data: dict[str, Any]
    events: tuple[Event, ...] = field(default=())

    @property
    def completed(self) -> frozenset[str]:
        """Bpmn ids of the elements that completed in this command."""
        return frozenset(e.bpmn_id for e in self.events if isinstance(e, ActivityCompleted))

    @property
    def fired_timers(self) -> tuple[str, ...]:
        return tuple(sorted({e.bpmn_id for e in self.events if isinstance(e, TimerFired)}))


class Runtime:
    """Executes diagrams; expressions are FEEL (engine.feel), every command is budgeted."""

    def __init__(
        self,
        limits: EngineLimits = DEFAULT_LIMITS,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        operations: Operations = NO_OPERATIONS,
    ):
        self.limits = limits
        self.operations = operations
        self._monotonic = monotonic
        self._codec = StateCodec()

    def script_engine(self, diagram: ParsedDiagram) -> FeelScriptEngine:
        return FeelScriptEngine(self.limits, diagram.condition_owners, self.operations)

    def start(
        self,
        diagram: ParsedDiagram,
        data: Mapping[str, Any],
        now: datetime,
        *,
        decisions: DecisionProvider | None = None,
    ) -> tuple[BpmnWorkflow, Step]:
        """Create an instance with ``data`` and run it until it waits for people or time.

        ``decisions``: the decision tables in force, for business rule tasks."""
        workflow = BpmnWorkflow(diagram.spec, diagram.subprocess_specs, script_engine=self.script_engine(diagram))
        workflow.script_engine.decisions = decisions
        workflow.task_tree.data.update(_jsonable(dict(data), workflow))
        return workflow, self._command(workflow, diagram, now, task_states.EMPTY, None)

    def complete(
        self, workflow: BpmnWorkflow, diagram: ParsedDiagram, task_id: UUID, data: Mapping[str, Any], now: datetime
    ) -> Step:
        """Complete one READY user task with form data and run until the instance waits."""
        task = find_task(workflow, task_id)
        if task is None or not task.task_spec.manual or task.state != TaskState.READY:
            raise UnknownTask(str(task_id))
        before = task_states.snapshot(workflow)

        def complete_it(budget: Budget) -> None:
            budget.current = task
            task.set_data(**_jsonable(dict(data), workflow))
            task.run()

        return self._command(workflow, diagram, now, before, complete_it)

    def deliver_message(
        self, workflow: BpmnWorkflow, diagram: ParsedDiagram, name: str, payload: Mapping[str, Any], now: datetime
    ) -> Step:
        """Deliver a named message to the element(s) waiting for it (a message catch event, a receive task,
        a branch of an event-based gateway, a boundary event) and run until the instance waits again.

        The waiting task's own event definition is reused (SpiffWorkflow matches by class and name), and
        the event carries the instance's own correlations: the message is for this instance (the case).
        With a ``messageVariable`` on the definition the payload lands in the process data under it."""
        targets = [(t, d) for t, d in message_waiters(workflow) if d.name == name]
        if not targets:
            raise NotWaiting(name, tuple(sorted({m.name for m in awaited_messages(workflow)})))
        before = task_states.snapshot(workflow)

        def deliver(budget: Budget) -> None:
            task, definition = targets[0]
            budget.current = task
            correlations = dict(workflow.correlations)
            event = BpmnEvent(definition, payload=_jsonable(dict(payload), workflow), correlations=correlations)
            workflow.send_event(event)

        step = self._command(workflow, diagram, now, before, deliver)
        caught = tuple(MessageCaught(name, catcher(t, d)) for t, d in targets)
        return replace(step, events=caught + step.events)

    def plan_migration(
        self,
        workflow: BpmnWorkflow,
        old: ParsedDiagram,
        new: ParsedDiagram,
        mapping: Mapping[str, str | None],
        *,
        versions: tuple[int, int],
        callees: set[str],
        now: datetime,
    ) -> migration.Plan:
        """Where the instance's unfinished tasks would land in ``new``; a plan that can be carried out is
        also tried on a copy (nothing of the instance changes), so what would fail shows up here."""
        chosen = migration.plan(
            workflow, old, new, mapping, from_version=versions[0], to_version=versions[1], callees=callees
        )
        if not chosen.can_migrate:
            return chosen
        copy = self._codec.load(self._codec.dump(workflow), old.spec, old.subprocess_specs)
        copy.script_engine = self.script_engine(new)
        copy.script_engine.decisions = workflow.script_engine.decisions
        try:
            self.migrate(copy, old, new, mapping, now, versions=versions, callees=callees)
        except ProcessError as exc:
            return replace(chosen, problems=(f"Flytningen kan ikke gennemføres: {exc.message}",))
        return chosen

    def migrate(
        self,
        workflow: BpmnWorkflow,
        old: ParsedDiagram,
        new: ParsedDiagram,
        mapping: Mapping[str, str | None],
        now: datetime,
        *,
        versions: tuple[int, int],
        callees: set[str],
    ) -> tuple[migration.Plan, Step]:
        """Move the instance to ``new`` (MigrationRefused when a task cannot be placed) and run on."""
        chosen = migration.plan(
            workflow, old, new, mapping, from_version=versions[0], to_version=versions[1], callees=callees
        )
        if not chosen.can_migrate:
            raise migration.MigrationRefused(chosen)
        before = task_states.snapshot(workflow)
        decisions = workflow.script_engine.decisions
        workflow.script_engine = self.script_engine(new)
        workflow.script_engine.decisions = decisions

        def move(budget: Budget) -> None:
            migration.migrate(workflow, new, chosen, mapping, callees)

        return chosen, self._command(workflow, new, now, before, move)

    def fire_timers(self, workflow: BpmnWorkflow, diagram: ParsedDiagram, now: datetime) -> Step:
        """Fire every timer due at ``now`` and run until the instance waits again."""
        return self._command(workflow, diagram, now, task_states.snapshot(workflow), None)

    def _command(
        self,
        workflow: BpmnWorkflow,
        diagram: ParsedDiagram,
        now: datetime,
        before: task_states.Snapshot,
        first: Callable[[Budget], None] | None,
    ) -> Step:
        budget = Budget(self.limits, self._monotonic)
        script_engine = workflow.script_engine
        script_engine.reported.clear()
        with engine_time(now), cycle_cap(self.limits.max_cycle_firings) as cycles:
            try:
                if first is not None:
                    first(budget)
                run_until_waiting(workflow, budget)
                workflow.get_events()  # messages thrown out of the process go nowhere: drop them
                ready = tuple(self._ready_task(workflow, diagram, t) for t in ready_tasks(workflow, manual=True))
                after = task_states.all_tasks(workflow)  # one walk of the tree for the timers and the events
                next_due = next_timer_due(workflow, after)
            except ProcessError:
                raise
            except SpiffWorkflowException as exc:
                raise _process_error(exc, budget) from exc
            except FeelError as exc:
                element_id, name = budget.element()
                raise ProcessError(element_id, f"'{name or element_id}': {exc}") from exc
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
                element_id, name = budget.element()
                raise ProcessError(
                    element_id,
                    f"Motoren kunne ikke fortsætte ved '{name or element_id}' ({element_id}): elementet fik en "
                    "værdi, det ikke kan bruge. Kontrollér procesdata og udtryk på elementet.",
                ) from exc
        events = task_states.diff(before, workflow, [k for k, v in cycles.items() for _ in range(v)], after)
        events = (*script_engine.reported, *events)
        script_engine.reported.clear()
        finished = workflow.is_completed()
        data = dict(workflow.data if finished else (workflow.last_task.data if workflow.last_task else {}))
        end_event = next((e.end_event for e in events if isinstance(e, InstanceEnded)), None)
        return Step(ready, finished, end_event, next_due, data, events)

    def snapshot_ready(self, workflow: BpmnWorkflow, diagram: ParsedDiagram) -> tuple[ReadyTask, ...]:
        return tuple(self._ready_task(workflow, diagram, t) for t in ready_tasks(workflow, manual=True))

    def task_state(self, workflow: BpmnWorkflow, task_id: UUID) -> str:
        """'READY', 'COMPLETED', 'CANCELLED', ... or 'GONE' when compaction removed the task."""
        task = find_task(workflow, task_id)
        return TaskState.get_name(task.state) if task is not None else "GONE"

    def task_data(self, workflow: BpmnWorkflow, task_id: UUID) -> dict[str, Any]:
        """The data a task sees (its copy of the process data); empty when the task is gone."""
        task = find_task(workflow, task_id)
        return dict(task.data) if task is not None else {}

    def dump(self, workflow: BpmnWorkflow) -> str:
        """The state to store; StateTooLarge (nothing stored) beyond ``limits.max_state_bytes``."""
        compact(workflow)
        state = self._codec.dump(workflow)
        size = len(state.encode("utf-8"))
        if size > self.limits.max_state_bytes:
            raise StateTooLarge(size, self.limits.max_state_bytes)
        return state

    def load(self, diagram: ParsedDiagram, state: str) -> BpmnWorkflow:
        workflow = self._codec.load(state, diagram.spec, diagram.subprocess_specs)
        workflow.script_engine = self.script_engine(diagram)
        return workflow

    def _ready_task(self, workflow: BpmnWorkflow, diagram: ParsedDiagram, task: Any) -> ReadyTask:
        info = diagram.user_task(task.task_spec.bpmn_id)
        due_at = None
        if info is not None and info.due_expression:
            due_at = workflow.script_engine.evaluate_due(task, info.due_expression)
        return ReadyTask(
            spiff_id=task.id,
            bpmn_id=task.task_spec.bpmn_id,
            name=task.task_spec.bpmn_name or task.task_spec.bpmn_id,
            lane=info.lane if info else task.task_spec.lane,
            form=info.form if info else None,
            due_at=due_at,
            frist=info.frist if info else None,
        )


def find_task(workflow: BpmnWorkflow, task_id: UUID) -> Any:
    """A task of the workflow or of any of its (embedded or called) subprocesses."""
    task = workflow.tasks.get(task_id)
    if task is None:
        for subprocess in workflow.subprocesses.values():
            if (task := subprocess.tasks.get(task_id)) is not None:
                break
    return task


def next_timer_due(workflow: BpmnWorkflow, tasks: list[Any] | None = None) -> datetime | None:
    """When the earliest waiting timer is due (aware UTC), or None: read from each waiting task's
    stored due time, so a timer branch of an event-based gateway counts too.  ``tasks``: the workflow's
    ``task_states.all_tasks``, when the caller has them already."""
    dues = []
    for task in task_states.all_tasks(workflow) if tasks is None else tasks:
        if task.state != TaskState.WAITING:
            continue
        if not any(isinstance(d, TimerEventDefinition) for d in definitions_of(task)):
            continue
        value = task.internal_data.get("event_value")
        if isinstance(value, dict):
            value = value.get("next") if value.get("cycles") != 0 else None
        if isinstance(value, str):
            dues.append(TimerEventDefinition.parse_time_or_duration(value).astimezone(UTC))
    return min(dues) if dues else None


_RUNTIME_MESSAGES = (
    (
        re.compile(r"The (?:called process|subprocess) '(?P<key>[^']*)' was not found"),
        "kalder processen '{key}', som ikke har en eksekverbar version at køre (aktivér en, eller lås kaldet til "
        "en version)",
    ),
    (re.compile(r"missing a required Data Input"), "mangler data, som den kaldte proces skal have med"),
    (re.compile(r"Data Output was not available"), "fik ikke de data tilbage, som den kaldte proces skulle give"),
    (re.compile(r"not waiting for (?P<key>.*)"), "venter ikke på '{key}'"),
)


def _process_error(exc: SpiffWorkflowException, budget: Budget) -> ProcessError:
    """SpiffWorkflow's run-time error in Danish, naming the element (its English text is only read)."""
    task = getattr(exc, "task", None)
    spec = getattr(exc, "task_spec", None) or (task.task_spec if task is not None else None)
    element = getattr(spec, "bpmn_id", None) or budget.element()[0]
    name = getattr(spec, "bpmn_name", None)
    where = f"'{name}' ({element})" if name and element else f"'{element}'"
    text = str(exc).splitlines()[0] if str(exc) else ""
    for pattern, danish in _RUNTIME_MESSAGES:
        if match := pattern.search(text):
            return ProcessError(
                element, f"Processen kunne ikke fortsætte: {where} {danish.format(**match.groupdict())}"
            )
    return ProcessError(element, f"Processen kunne ikke fortsætte ved {where}; SpiffWorkflow kunne ikke køre elementet")


def _jsonable(data: dict[str, Any], workflow: BpmnWorkflow) -> dict[str, Any]:
    """Form data arrives as JSON already; reject anything else early (it would not serialize).  Numbers
    only the standard library's JSON keeps as they are (NaN, beyond 64 bits) keep the state on it."""
    if needs_plain_json(data):
        keep_plain_json(workflow)
    return {str(k): v for k, v in data.items()}
