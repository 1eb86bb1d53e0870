"""The narrow waist to SpiffWorkflow 3.2: parser flavour, serializer, clock and known fixes.

Everything that touches SpiffWorkflow internals lives here, so an upgrade is one file to read.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import orjson
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default import workflow as _workflow_converters
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _timer_module
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import CycleTimerEventDefinition, TimerEventDefinition
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import SpiffTaskParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.specs.spiff_task import SpiffBpmnTask
from SpiffWorkflow.util.task import TaskIterator, TaskState

from engine.budget import Budget

__all__ = [
    "VALIDATOR",
    "SagsflowParser",
    "SpiffBpmnParser",
    "BpmnWorkflow",
    "DecisionTask",
    "engine_time",
    "StateCodec",
    "keep_plain_json",
    "needs_plain_json",
    "ready_tasks",
    "run_until_waiting",
]

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"


# --- Our parser: business rule tasks call Sagsflow's own FEEL decision tables --------------------
# SpiffWorkflow's BusinessRuleTask evaluates its own DMN engine, which runs Python.  Ours names a
# decision table by key (spiffworkflow:calledDecisionId, or camunda:decisionRef) and asks the
# workflow's script engine to decide (FeelScriptEngine.decide: the version in force, FEEL cells).
class DecisionTask(SpiffBpmnTask):
    def __init__(self, wf_spec: Any, bpmn_id: str, decision_ref: str, **kwargs: Any) -> None:
        super().__init__(wf_spec, bpmn_id, **kwargs)
        self.decision_ref = decision_ref

    def _run_hook(self, my_task: Any) -> bool:
        my_task.workflow.script_engine.decide(my_task, self.decision_ref)
        return True


def decision_ref(node: Any) -> str | None:
    """The decision table a businessRuleTask names."""
    ref = SpiffTaskParser._parse_extensions(node).get("calledDecisionId") or node.get(f"{{{CAMUNDA_NS}}}decisionRef")
    return ref.strip() if isinstance(ref, str) and ref.strip() else None


class _DecisionTaskParser(SpiffTaskParser):
    @staticmethod
    def get_decision_ref(node: Any) -> str | None:  # SpiffWorkflow's BpmnDmnParser lists dependencies by this
        return decision_ref(node)

    def create_task(self) -> DecisionTask:
        extensions = self.parse_extensions()
        return DecisionTask(
            self.spec,
            self.bpmn_id,
            decision_ref=decision_ref(self.node) or "",
            prescript=extensions.get("preScript"),
            postscript=extensions.get("postScript"),
            **self.bpmn_attributes,
        )


class SagsflowParser(SpiffBpmnParser):
    """SpiffWorkflow's parser with Sagsflow's business rule tasks."""

    OVERRIDE_PARSER_CLASSES = {
        **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES,
        full_tag("businessRuleTask"): (_DecisionTaskParser, DecisionTask),
    }


# --- Fix 1: the task-tree depth limit (spiffworkflow-notes §4.3) ---------------------------------
# Every internal walk stops silently at depth 1000, after which a looping case looks finished.
# Compaction (compaction.py) keeps trees shallow; this lifts the limit for the trees it cannot
# shorten (e.g. a loop running beside a long-lived parallel branch).
def _lift_depth_limit() -> None:
    for cls in (TaskIterator, BpmnTaskIterator):
        defaults = list(cls.__init__.__defaults__)
        defaults[1] = 10**7
        cls.__init__.__defaults__ = tuple(defaults)


_lift_depth_limit()


# --- Fix 2: the engine's notion of "now" comes from the host ------------------------------------
# SpiffWorkflow's timer module calls datetime.now(timezone.utc).  We give that module a datetime
# class whose now() answers the time the host passed in, so tests move time without sleeping.
_engine_now: contextvars.ContextVar[datetime | None] = contextvars.ContextVar("engine_now", default=None)


class _HostDatetime(datetime):
    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        moment = _engine_now.get()
        if moment is None:
            return datetime.now(tz)
        return moment.astimezone(tz) if tz is not None else moment.astimezone(UTC).replace(tzinfo=None)


_timer_module.datetime = _HostDatetime


@contextlib.contextmanager
def engine_time(now: datetime) -> Iterator[None]:
    """Run SpiffWorkflow with ``now`` as the current time."""
    token = _engine_now.set(now)
    try:
        yield
    finally:
        _engine_now.reset(token)


# --- Fix 3: our own engine loop, under a step and time budget -----------------------------------
# do_engine_steps() loops while tasks are ready and ends with refresh_timers(), which can leave a
# fired timer READY but not run (spiffworkflow-notes §3.1).  This loop runs ready tasks through
# SpiffWorkflow's own single pass (so subprocesses are handled as upstream does), refreshes timers
# one by one (so an error names the timer), and repeats until only people or time are awaited.
def run_until_waiting(workflow: BpmnWorkflow, budget: Budget) -> None:
    while True:
        while _engine_steps(workflow, budget):
            budget.tick()
        refresh_timers(workflow, budget)
        if not ready_tasks(workflow, manual=False):
            return
        budget.tick()


def refresh_timers(workflow: BpmnWorkflow, budget: Budget) -> None:
    """BpmnWorkflow.refresh_timers, with the timer being updated recorded for error messages."""
    for task in list(workflow.event_manager.tasks.values()):
        if isinstance(task.task_spec.event_definition, TimerEventDefinition | MultipleEventDefinition):
            budget.current = task
            task.task_spec._update(task)


def _engine_steps(workflow: BpmnWorkflow, budget: Budget) -> bool:
    """``BpmnWorkflow._do_engine_steps`` of SpiffWorkflow 3.2, step for step, finding ready tasks with
    ``ready_tasks`` instead of a walk of the whole tree (Fix 6)."""

    def run_ready(wf: Any) -> int:
        count = 0
        for task in ready_tasks(wf, manual=False):
            budget.before_task(task)
            task.run()
            count += 1
        return count

    active = workflow.get_active_subprocesses()
    for subprocess in sorted(active, key=lambda v: v.depth, reverse=True):
        while run_ready(subprocess) > 0:
            pass
        if subprocess.parent_task_id is not None:
            task = workflow.get_task_from_id(subprocess.parent_task_id)
            task.task_spec._update(task)
    count = run_ready(workflow)
    return count > 0 or len(workflow.get_active_subprocesses()) > len(active)


# --- Fix 4: a cap on cycle-timer firings per command --------------------------------------------
# A cycle timer fires once per refresh while its next time has passed, and every task completion
# refreshes timers, so an overdue cycle catches up in one burst (notes §3.4).  Within a
# ``cycle_cap`` block each cycle timer fires at most ``limit`` times; the rest stay due for the
# next sweep.
_cycle_counts: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar("cycle_counts", default=None)
_cycle_limit: contextvars.ContextVar[int] = contextvars.ContextVar("cycle_limit", default=10)
_original_cycle_complete = CycleTimerEventDefinition.cycle_complete


def _capped_cycle_complete(self: CycleTimerEventDefinition, my_task: Any) -> bool:
    counts = _cycle_counts.get()
    key = my_task.task_spec.bpmn_id or str(my_task.id)
    if counts is not None and counts.get(key, 0) >= _cycle_limit.get():
        return False
    ready = _original_cycle_complete(self, my_task)
    if ready and counts is not None:
        counts[key] = counts.get(key, 0) + 1
    return ready


CycleTimerEventDefinition.cycle_complete = _capped_cycle_complete


@contextlib.contextmanager
def cycle_cap(limit: int) -> Iterator[dict[str, int]]:
    """Count (and cap) cycle-timer firings per element; yields the counts."""
    counts: dict[str, int] = {}
    token, limit_token = _cycle_counts.set(counts), _cycle_limit.set(limit)
    try:
        yield counts
    finally:
        _cycle_counts.reset(token)
        _cycle_limit.reset(limit_token)


# --- Fix 5: task ids parsed once per load ---------------------------------------------------------
# Loading a state parses every task id three or four times (as the key of ``tasks``, as the task's own id,
# as its children's parent and in its parent's children), and ``UUID(text)`` is pure Python: about a third
# of the load.  The converters' module reads ``UUID`` only to parse ids, so it is given a cached parser;
# a UUID is immutable, so sharing one object between the places (and threads) that name it is safe.
parse_uuid = functools.lru_cache(maxsize=4096)(UUID)
_workflow_converters.UUID = parse_uuid


# --- Fix 6: ready tasks found without walking the tree ----------------------------------------------
# ``get_tasks(state=READY)`` walks every task that is not merely predicted, subprocesses included, and a
# command asked it a dozen times: a fifth of a timer's time.  The ready tasks are also in the flat task maps.
_DEEPEST_WALK = 900  # the upstream walk stops descending at depth 1000; nearer that, it is asked itself


def ready_tasks(workflow: Any, manual: bool | None = None) -> list[Any]:
    """Exactly what ``workflow.get_tasks(state=TaskState.READY, manual=manual)`` returns, in its order.

    The walk finds a task if every ancestor is definite (FUTURE or later: it does not descend below a
    predicted task) and, for a task in a subprocess, if the task that runs the subprocess is found (finished
    or not: SpiffWorkflow 3.2 compares the state with ``>= FINISHED_MASK``, which no state reaches).  The
    same rule is applied here to the READY tasks of the flat maps (the workflow's own, then those of its
    subprocesses).  Two or more (parallel branches) are put in the walk's depth-first order
    (``_walk_position``); the walk itself is asked only when a tree is nearly as deep as it goes."""
    found: list[Any] = []
    if not _collect_ready(workflow, workflow.top_workflow.subprocesses, manual, found, 0):
        return workflow.get_tasks(state=TaskState.READY, manual=manual)
    if len(found) > 1:
        found.sort(key=_walk_position)
    return found


def _walk_position(task: Any) -> list[int]:
    """Where the depth-first walk visits ``task``: the index of each step down from the top workflow's root.

    The walk visits a task, then the tree of the subprocess it runs (if any), then its children in order; so a
    step into a subprocess's tree is 0 and a step to the i-th child is i + 1.  A prefix sorts before what it
    leads to, as a task is visited before what lies below it."""
    steps: list[int] = []
    while True:
        parent = task.parent
        while parent is not None:
            steps.append(parent._children.index(task.id) + 1)
            task, parent = parent, parent.parent
        workflow = task.workflow
        if workflow.parent_task_id is None:
            break
        steps.append(0)
        task = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
    steps.reverse()
    return steps


def _collect_ready(
    workflow: Any, subprocesses: dict[UUID, Any], manual: bool | None, found: list[Any], above: int
) -> bool:
    """Add the ready tasks the walk would find under ``workflow`` (whose root is ``above`` levels deep) to
    ``found``; False when unsure (a tree nearly as deep as the walk goes)."""
    for task in workflow.tasks.values():
        if task._state == TaskState.READY and (manual is None or task.task_spec.manual == manual):
            depth = _depth_if_reachable(task, above)
            if depth is None:
                return False
            if depth >= 0:
                found.append(task)
    for parent_id, subprocess in subprocesses.items():
        parent = workflow.tasks.get(parent_id)
        if parent is None:
            continue
        depth = _depth_if_reachable(parent, above)
        if depth is None:
            return False
        if depth >= 0 and not _collect_ready(subprocess, subprocesses, manual, found, depth + 1):
            return False
    return True


def _depth_if_reachable(task: Any, above: int) -> int | None:
    """The task's depth if the walk reaches it, -1 if it does not, None if too deep to say."""
    depth, parent = above, task.parent
    while parent is not None:
        if parent._state < TaskState.FUTURE:
            return -1
        depth += 1
        if depth > _DEEPEST_WALK:
            return None
        parent = parent.parent
    return depth


# --- Serialization with the spec kept out of every instance -------------------------------------
class _SpecFreeWorkflowConverter(BpmnWorkflowConverter):
    """Stores a workflow without its spec; the spec is stored once per ProcessVersion.

    This halves the state written per command (spiffworkflow-notes §4.1) and lets the spec be
    parsed once per version and shared by every instance of it.
    """

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict[str, Any]) -> BpmnWorkflow:
        spec, subprocess_specs = dct.pop("spec"), dct.pop("subprocess_specs")
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], parse_uuid, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(parse_uuid(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


def _make_serializer() -> BpmnWorkflowSerializer:
    config = dict(SPIFF_CONFIG)
    config[BpmnWorkflow] = _SpecFreeWorkflowConverter
    registry = BpmnWorkflowSerializer.configure(config)
    registry.register(date, lambda v: {"value": v.isoformat()}, lambda v: date.fromisoformat(v["value"]))
    return BpmnWorkflowSerializer(registry)


class StateCodec:
    """Turns a workflow into the text stored in ``ProcessInstance.state`` and back.

    The text is encoded and decoded with orjson (about 8x faster than the standard library), and the
    standard library is kept wherever the two would disagree, so a state reads back exactly as before:
    non-finite numbers (``NaN``: the stdlib writes them, orjson would write null), integers beyond 64 bits
    (orjson would refuse to write them and read them as floats), and anything orjson cannot encode.  A
    workflow whose data holds such a number is marked (``keep_plain_json``) and always written by the
    standard library; orjson writes non-ASCII text as UTF-8 rather than ``\\u`` escapes (same value).
    """

    def __init__(self) -> None:
        self._serializer = _make_serializer()
        self._default = self._serializer._encoder_cls().default  # SpiffWorkflow's own conversions

    def dump(self, workflow: BpmnWorkflow) -> str:
        serializer = self._serializer
        serializer.registry._encoder_mode = True  # what serialize_json does: data is converted while encoding
        try:
            dct = serializer.to_dict(workflow)
            dct[serializer.VERSION_KEY] = serializer.VERSION
            if not getattr(workflow, _PLAIN_JSON, False):
                try:
                    return orjson.dumps(dct, default=self._default, option=_ORJSON_OPTIONS).decode("utf-8")
                except orjson.JSONEncodeError:
                    pass  # e.g. an integer beyond 64 bits, or a value nothing can encode: as before
            return json.dumps(dct, cls=serializer._encoder_cls)
        finally:
            serializer.registry._encoder_mode = False

    def load(self, state: str, spec: Any, subprocess_specs: dict[str, Any]) -> BpmnWorkflow:
        if _written_by_orjson(state):  # it holds nothing orjson reads differently (it could not have written it)
            dct, plain = orjson.loads(state), False
        else:  # an older state, or one the standard library wrote: read as before, and see what it holds
            dct = json.loads(state)
            plain = "NaN" in state or "Infinity" in state or _LONG_NUMBER.search(state) is not None
        self._serializer.migrate(dct)
        dct["spec"], dct["subprocess_specs"] = spec, subprocess_specs
        workflow = self._serializer.from_dict(dct)
        if plain:
            keep_plain_json(workflow)
        return workflow


def _written_by_orjson(state: str) -> bool:
    """orjson writes no whitespace; the standard library writes ``": "`` after every key, the first one too."""
    colon = state.find('":')
    return colon != -1 and state[colon + 2 : colon + 3] != " "


_PLAIN_JSON = "_sagsflow_plain_json"
# Datetimes and dataclasses go through SpiffWorkflow's registry (as with the standard library's encoder).
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_LONG_NUMBER = re.compile(r"[0-9]{19}")  # may exceed 64 bits (a false alarm only costs speed)


def keep_plain_json(workflow: BpmnWorkflow) -> None:
    """Write this workflow's state with the standard library from now on (see StateCodec)."""
    setattr(workflow, _PLAIN_JSON, True)


def needs_plain_json(value: Any) -> bool:
    """Whether data holds a number orjson would write differently (NaN, infinity, beyond 64 bits)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return not -(2**63) <= value < 2**64
    if isinstance(value, dict):
        return any(needs_plain_json(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(needs_plain_json(v) for v in value)
    return False
