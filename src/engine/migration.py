"""Move a running instance to another version of its process, keeping what it waits for as it is.

SpiffWorkflow 3.2's ``bpmn.util.diff.migrate_workflow`` resets every affected branch
(``reset_branch``): a waiting timer loses its due time (a duration timer would start over) and a
task loses its data; and its diff aligns tasks by structure when ids differ.  Sagsflow does it
differently:

- **Plan.** Every unfinished task (a user task ready for people, an event waiting for a timer or a
  message, a subprocess running) lands on the element with the same id in the new version, of the
  same kind; an id the new version does not have is *unmapped* and refuses the move unless the
  mapping names its place by hand (or ``None`` for a timer or message event: drop it).
- **Move.** The task objects stay: the same task ids (so the case's task rows and their claims stay),
  the same data, the same internal data (so a timer keeps its due time: the frist does not restart).
  Each is pointed at its new element; what it would do next is predicted again from the new version;
  finished history of elements the new version does not have is cut out of the tree (the journal
  keeps it).  Then the instance runs on, exactly as after any command.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.diagrams import ParsedDiagram
from engine.errors import ProcessError

UNFINISHED = TaskState.READY | TaskState.WAITING | TaskState.STARTED
NOT_STARTED = TaskState.FUTURE | TaskState.PREDICTED_MASK  # what the tree expects next, not begun
KIND_DA = {"user": "brugeropgave", "timer": "timer", "message": "besked", "subprocess": "delproces", "other": "element"}


@dataclass(frozen=True)
class MovedTask:
    """Where one unfinished task lands: ``to_id`` None with ``dropped`` False is unmapped."""

    from_id: str
    name: str
    kind: str
    state: str
    to_id: str | None
    to_name: str | None
    by_hand: bool
    dropped: bool
    due: datetime | None


@dataclass(frozen=True)
class Plan:
    from_version: int
    to_version: int
    tasks: tuple[MovedTask, ...]
    problems: tuple[str, ...]

    @property
    def can_migrate(self) -> bool:
        return not self.problems

    @property
    def unmapped(self) -> tuple[str, ...]:
        return tuple(t.from_id for t in self.tasks if t.to_id is None and not t.dropped)


class MigrationRefused(Exception):
    def __init__(self, plan: Plan) -> None:
        super().__init__("; ".join(plan.problems))
        self.plan = plan


def _kind(spec: Any) -> str:
    if getattr(spec, "manual", False):
        return "user"
    definition = getattr(spec, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        return "timer"
    if isinstance(definition, MessageEventDefinition):
        return "message"
    if hasattr(spec, "spec") and type(spec).__name__ in ("SubWorkflowTask", "CallActivity", "TransactionSubprocess"):
        return "subprocess"
    return "other"


def _due(task: Any) -> datetime | None:
    value = task.internal_data.get("event_value")
    if isinstance(value, dict):
        value = value.get("next")
    if not isinstance(value, str):
        return None
    try:
        moment = TimerEventDefinition.parse_time_or_duration(value)
    except Exception:  # SpiffWorkflow raises bare Exception for text it cannot read
        return None
    return datetime.fromtimestamp(moment.timestamp(), UTC)


def _workflows(workflow: Any, new: ParsedDiagram, old_callees: set[str]) -> list[tuple[Any, Any]]:
    """(workflow or subworkflow, its spec in the new version) for the top workflow and its embedded
    subprocesses; calls to other deployed processes are left as they are (they are not this process)."""
    found = [(workflow, new.spec)]
    for parent_id, sub in workflow.subprocesses.items():
        parent = _task(workflow, parent_id)
        key = getattr(parent.task_spec, "spec", None) if parent is not None else None
        if key in old_callees or _inside_call(workflow, sub, old_callees):
            continue
        found.append((sub, new.subprocess_specs.get(str(key))))
    return found


def _inside_call(workflow: Any, sub: Any, callees: set[str]) -> bool:
    current = sub
    while current is not None and current is not workflow:
        parent = _task(workflow, current.parent_task_id)
        if parent is None:
            return False
        if getattr(parent.task_spec, "spec", None) in callees:
            return True
        current = parent.workflow
    return False


def _task(workflow: Any, task_id: Any) -> Any:
    task = workflow.tasks.get(task_id)
    if task is None:
        for sub in workflow.subprocesses.values():
            if (task := sub.tasks.get(task_id)) is not None:
                break
    return task


def plan(
    workflow: Any,
    old: ParsedDiagram,
    new: ParsedDiagram,
    mapping: Mapping[str, str | None],
    *,
    from_version: int,
    to_version: int,
    callees: set[str],
) -> Plan:
    """Where each unfinished task would land in ``new``, and what stops the move (Danish)."""
    moved: list[MovedTask] = []
    problems: list[str] = []
    used = set()
    for sub, new_spec in _workflows(workflow, new, callees):
        for task in sub.tasks.values():
            if not task.has_state(UNFINISHED) or not task.task_spec.bpmn_id:
                continue
            spec = task.task_spec
            landed, by_hand, dropped, problem = _landing(spec, new_spec, mapping)
            if problem:
                problems.append(problem)
            used.add(spec.bpmn_id)
            moved.append(
                MovedTask(
                    from_id=spec.bpmn_id,
                    name=spec.bpmn_name or spec.bpmn_id,
                    kind=KIND_DA[_kind(spec)],
                    state=TaskState.get_name(task.state).lower(),
                    to_id=landed.bpmn_id if landed is not None else None,
                    to_name=(landed.bpmn_name or landed.bpmn_id) if landed is not None else None,
                    by_hand=by_hand,
                    dropped=dropped,
                    due=_due(task),
                )
            )
    for name in sorted(set(mapping) - used):
        problems.append(f"Mappingen nævner '{name}', men sagen venter ikke ved det element")
    moved.sort(key=lambda t: (t.kind != "brugeropgave", t.from_id))
    return Plan(from_version, to_version, tuple(moved), tuple(problems))


def _landing(spec: Any, new_spec: Any, mapping: Mapping[str, str | None]) -> tuple[Any, bool, bool, str | None]:
    """(new task spec or None, mapped by hand, dropped, problem) for one unfinished task."""
    label = f"'{spec.bpmn_name or spec.bpmn_id}' ({spec.bpmn_id})"
    if new_spec is None:
        return (
            None,
            False,
            False,
            f"{label} ligger i en delproces, som den nye version ikke har; angiv i mapping, hvor den skal hen",
        )
    by_hand = spec.bpmn_id in mapping
    target_id = mapping[spec.bpmn_id] if by_hand else spec.bpmn_id
    if target_id is None:
        if _kind(spec) in ("timer", "message"):
            return None, True, True, None
        return None, True, False, f"{label} er en {KIND_DA[_kind(spec)]} og kan ikke droppes; map den til et element"
    target = new_spec.task_specs.get(target_id)
    if target is None:
        if by_hand:
            return None, True, False, f"{label} er mappet til '{target_id}', som ikke findes i den nye version"
        return (
            None,
            False,
            False,
            (
                f"{label} findes ikke i den nye version; angiv i mapping, hvilket element sagen skal fortsætte ved"
                + (" (eller null for at droppe den)" if _kind(spec) in ("timer", "message") else "")
            ),
        )
    if type(target) is not type(spec) or _kind(target) != _kind(spec):
        return (
            target,
            by_hand,
            False,
            (f"{label} er en {KIND_DA[_kind(spec)]}, men '{target_id}' i den nye version er en anden slags element"),
        )
    definition, new_definition = getattr(spec, "event_definition", None), getattr(target, "event_definition", None)
    if definition is not None and type(definition) is not type(new_definition):
        return target, by_hand, False, f"{label} venter på noget andet i den nye version ('{target_id}')"
    return target, by_hand, False, None


def migrate(
    workflow: Any, new: ParsedDiagram, chosen: Plan, mapping: Mapping[str, str | None], callees: set[str]
) -> None:
    """Move ``workflow`` onto ``new`` as ``chosen`` says (it must be a plan without problems)."""
    if chosen.problems:
        raise ProcessError(None, "; ".join(chosen.problems))
    for sub, new_spec in _workflows(workflow, new, callees):
        _move(sub, new_spec, mapping)
    workflow.subprocess_specs = dict(new.subprocess_specs)


def _move(sub: Any, new_spec: Any, mapping: Mapping[str, str | None]) -> None:
    unfinished = [t for t in sub.tasks.values() if t.has_state(UNFINISHED)]
    for task in unfinished:
        if task.task_spec.bpmn_id in mapping and mapping[task.task_spec.bpmn_id] is None:
            task.workflow.top_workflow.event_manager.remove_task(task)
            task.cancel()
    sub.spec = new_spec
    for task in list(sub.tasks.values()):
        spec = task.task_spec
        target_id = mapping.get(spec.bpmn_id, spec.name) if spec.bpmn_id in mapping else spec.name
        target = new_spec.task_specs.get(target_id) if target_id is not None else None
        if target is not None:
            task.task_spec = target
    _cut_history(sub, new_spec)
    for task in [t for t in sub.tasks.values() if t.has_state(UNFINISHED)]:
        _predict_again(task)


def _predict_again(task: Any) -> None:
    """Drop what the task's old element would have done next and predict it from its new element."""
    for child in list(task.children):
        if child.has_state(NOT_STARTED):
            task.workflow._remove_task(child.id)
    task.task_spec._predict_hook(task)
    for child in task.children:
        if child.has_state(NOT_STARTED):
            child.task_spec._predict(child, mask=NOT_STARTED)


def _cut_history(sub: Any, new_spec: Any) -> None:
    """Remove finished tasks whose element the new version does not have; their children move up."""
    for task in list(sub.tasks.values()):
        if task.id not in sub.tasks or task.task_spec.name in new_spec.task_specs or task.parent is None:
            continue
        if not task.has_state(TaskState.FINISHED_MASK | NOT_STARTED):
            raise ProcessError(task.task_spec.bpmn_id, "Opgaven findes ikke i den nye version")
        parent = task.parent
        if task.has_state(NOT_STARTED) or not any(
            not d.has_state(TaskState.FINISHED_MASK | NOT_STARTED) for d in _below(task)
        ):
            for gone in _below(task):
                sub.tasks.pop(gone.id, None)
                sub.top_workflow.subprocesses.pop(gone.id, None)
            parent._children = [c for c in parent._children if c != task.id]
            continue
        index = parent._children.index(task.id)
        parent._children[index : index + 1] = list(task._children)
        for child in task.children:
            child._parent = parent.id
        del sub.tasks[task.id]
    if sub.last_task is not None and sub.last_task.id not in sub.tasks:
        sub.last_task = None


def _below(task: Any) -> list[Any]:
    found, stack = [], [task]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
