"""Run instances: start, complete a user task, fire due timers.  Pure: no SQL, no wall clock.

Each call takes the workflow and ``now`` and returns a ``Step``: what is ready for people, whether
the instance ended, which timers fired and when the next one is due.  The caller persists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.util.task import TaskState

from engine import calendar
from engine.compaction import compact
from engine.diagrams import ParsedDiagram
from engine.expressions import SandboxedEnvironment, default_functions
from engine.script_worker import ScriptWorker, shared_worker
from engine.spiff import BpmnWorkflow, StateCodec, engine_time

_TIMER_EVENTS = {"DurationTimerEventDefinition", "TimeDateEventDefinition", "CycleTimerEventDefinition"}


class ProcessError(Exception):
    """The process could not continue (a failing expression, a missing variable, ...)."""

    def __init__(self, element_id: str | None, message: str) -> None:
        self.element_id = element_id
        self.message = message
        super().__init__(f"{element_id}: {message}" if element_id else message)


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
    fired_timers: tuple[str, ...]
    next_timer_at: datetime | None
    data: dict[str, Any]
    completed: frozenset[str] = frozenset()  # bpmn ids of activities that completed in this command


class Runtime:
    """Executes diagrams with the host's functions available to expressions."""

    def __init__(
        self,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        *,
        isolate_scripts: bool | None = None,
        worker: ScriptWorker | None = None,
    ) -> None:
        """``isolate_scripts``: run diagram code in the limited worker process (default: yes, unless
        the host passes its own functions, which cannot cross into the worker)."""
        self._functions = dict(functions or default_functions())
        self._codec = StateCodec()
        isolate = functions is None if isolate_scripts is None else isolate_scripts
        self._worker = (worker or shared_worker()) if isolate else None
        if self._worker is not None:
            self._worker.warm()

    def _script_engine(self) -> PythonScriptEngine:
        return PythonScriptEngine(environment=SandboxedEnvironment(self._functions, self._worker))

    def start(self, diagram: ParsedDiagram, data: Mapping[str, Any], now: datetime) -> tuple[BpmnWorkflow, Step]:
        """Create an instance with ``data`` and run it until it waits for people or time."""
        workflow = BpmnWorkflow(diagram.spec, diagram.subprocess_specs, script_engine=self._script_engine())
        workflow.task_tree.data.update(_jsonable(dict(data)))
        began = time.time()
        with engine_time(now):
            self._run(workflow)
            return workflow, self._step(workflow, diagram, now, (), began)

    def complete(
        self, workflow: BpmnWorkflow, diagram: ParsedDiagram, task_id: UUID, data: Mapping[str, Any], now: datetime
    ) -> Step:
        """Complete one READY user task with form data and run until the instance waits."""
        task = find_task(workflow, task_id)
        if task is None or not task.task_spec.manual or task.state != TaskState.READY:
            raise UnknownTask(str(task_id))
        began = time.time()
        with engine_time(now):
            task.set_data(**_jsonable(dict(data)))
            try:
                task.run()
            except SpiffWorkflowException as exc:
                raise _process_error(exc) from exc
            self._run(workflow)
            return self._step(workflow, diagram, now, (), began)

    def fire_timers(self, workflow: BpmnWorkflow, diagram: ParsedDiagram, now: datetime) -> Step:
        """Fire every timer due at ``now`` and run until the instance waits again."""
        waiting = [t for t in workflow.get_tasks(state=TaskState.WAITING) if _is_timer(t)]
        began = time.time()
        with engine_time(now):
            workflow.refresh_timers()
            self._run(workflow)
            fired = tuple(t.task_spec.bpmn_id for t in waiting if t.has_state(TaskState.COMPLETED))
            return self._step(workflow, diagram, now, fired, began)

    def snapshot_ready(self, workflow: BpmnWorkflow, diagram: ParsedDiagram) -> tuple[ReadyTask, ...]:
        return tuple(
            self._ready_task(workflow, diagram, t) for t in workflow.get_tasks(state=TaskState.READY, manual=True)
        )

    def task_state(self, workflow: BpmnWorkflow, task_id: UUID) -> str:
        """'READY', 'COMPLETED', 'CANCELLED', ... or 'GONE' when compaction removed the task."""
        task = find_task(workflow, task_id)
        return TaskState.get_name(task.state) if task is not None else "GONE"

    def task_data(self, workflow: BpmnWorkflow, task_id: UUID) -> dict[str, Any]:
        """The data a task sees (its copy of the process data); empty when the task is gone."""
        task = find_task(workflow, task_id)
        return dict(task.data) if task is not None else {}

    def dump(self, workflow: BpmnWorkflow) -> str:
        compact(workflow)
        return self._codec.dump(workflow)

    def load(self, diagram: ParsedDiagram, state: str) -> BpmnWorkflow:
        workflow = self._codec.load(state, diagram.spec, diagram.subprocess_specs)
        workflow.script_engine = self._script_engine()
        return workflow

    def _run(self, workflow: BpmnWorkflow) -> None:
        # do_engine_steps ends with refresh_timers, which can leave a fired timer READY but not
        # run (spiffworkflow-notes §3.1); run again until only people or time are awaited.
        try:
            for _ in range(100):
                workflow.do_engine_steps()
                if not workflow.get_tasks(state=TaskState.READY, manual=False):
                    return
        except SpiffWorkflowException as exc:
            raise _process_error(exc) from exc
        raise ProcessError(None, "Processen stoppede ikke (over 100 runder motorskridt)")

    def _step(
        self, workflow: BpmnWorkflow, diagram: ParsedDiagram, now: datetime, fired: tuple[str, ...], began: float
    ) -> Step:
        ready = tuple(
            self._ready_task(workflow, diagram, t) for t in workflow.get_tasks(state=TaskState.READY, manual=True)
        )
        finished = workflow.is_completed()
        data = dict(workflow.data if finished else (workflow.last_task.data if workflow.last_task else {}))
        end_event = None
        if finished and workflow.last_task is not None:
            end_event = _last_end_event(workflow)
        just_completed = [
            t
            for t in _all_tasks(workflow)
            if t.last_state_change >= began and t.has_state(TaskState.COMPLETED) and t.task_spec.bpmn_id
        ]
        completed = frozenset(t.task_spec.bpmn_id for t in just_completed)
        # Timers also fire inside a start or a completion (SpiffWorkflow refreshes timers on every step).
        fired = tuple(sorted(set(fired) | {t.task_spec.bpmn_id for t in just_completed if _is_timer(t)}))
        return Step(ready, finished, end_event, fired, next_timer_due(workflow), data, completed)

    def _ready_task(self, workflow: BpmnWorkflow, diagram: ParsedDiagram, task: Any) -> ReadyTask:
        info = diagram.user_task(task.task_spec.bpmn_id)
        due_at = None
        if info is not None and info.due_expression:
            try:
                due_at = _to_datetime(workflow.script_engine.evaluate(task, info.due_expression))
            except (WorkflowException, ValueError, TypeError):
                due_at = None  # a due date is advisory; a bad one must not stop the case
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


def _all_tasks(workflow: BpmnWorkflow) -> list[Any]:
    tasks = list(workflow.tasks.values())
    for subprocess in workflow.subprocesses.values():
        tasks.extend(subprocess.tasks.values())
    return tasks


def next_timer_due(workflow: BpmnWorkflow) -> datetime | None:
    """When the earliest waiting timer is due (aware UTC), or None."""
    dues = []
    for event in workflow.waiting_events():
        if event.event_type in _TIMER_EVENTS and isinstance(event.value, str):
            dues.append(TimerEventDefinition.parse_time_or_duration(event.value).astimezone(UTC))
    return min(dues) if dues else None


def _is_timer(task: Any) -> bool:
    definition = getattr(task.task_spec, "event_definition", None)
    return isinstance(definition, TimerEventDefinition)


def _last_end_event(workflow: BpmnWorkflow) -> str | None:
    ends = [
        t
        for t in workflow.tasks.values()
        if t.has_state(TaskState.COMPLETED) and type(t.task_spec).__name__ == "EndEvent"
    ]
    if not ends:
        return None
    return max(ends, key=lambda t: t.last_state_change).task_spec.bpmn_id


def _process_error(exc: SpiffWorkflowException) -> ProcessError:
    task = getattr(exc, "task", None)
    spec = getattr(exc, "task_spec", None) or (task.task_spec if task is not None else None)
    element = getattr(spec, "bpmn_id", None)
    return ProcessError(element, str(exc).split("\n")[0])


def _to_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return calendar.end_of_day(value)
    if isinstance(value, str):
        if len(value) == 10:
            return calendar.end_of_day(date.fromisoformat(value))
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"not a date or datetime: {value!r}")


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    """Form data arrives as JSON already; reject anything else early (it would not serialize)."""
    return {str(k): v for k, v in data.items()}
