"""Load, advance and save process instances inside the caller's transaction.

Loading is the expensive part of a command (deserializing the task tree), so committed
workflows are kept in a small process-wide cache keyed by (instance id, lock_version).  A cached
object is *taken* by one command at a time and put back after that command committed, or when it
ended without committing having only read it; one the engine ran in a rolled-back command is
dropped, and another process's write changes lock_version, so a stale object can never be used.
A command that rolls back part of its work (a SAVEPOINT: the timer sweep fires a batch of instances
in one transaction) forgets the workflows used since its ``mark`` (``forget_since``), so a workflow
moved on in memory by work that was rolled back is never cached nor used again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from engine.calls import Bound, bind, calls_started, running_calls
from engine.decision_store import DecisionStore
from engine.decisions import ParsedDecision, parsed_cached
from engine.definitions import Definitions, DiagramCache
from engine.diagrams import ParsedDiagram
from engine.events import ProcessCalled
from engine.migration import Plan
from engine.models import ProcessInstance, ProcessVersion
from engine.runtime import AwaitedMessage, Runtime, Step, awaited_messages
from engine.spiff import BpmnWorkflow

# Built once (every command runs it): building and cache-keying a statement costs about as much as running it.
_GET_FOR_UPDATE = (
    select(ProcessInstance).where(ProcessInstance.id == bindparam("instance_id")).with_for_update(of=ProcessInstance)
)


class InstanceNotFound(LookupError):
    pass


class WorkflowCache:
    """A bounded LRU of live workflow objects, safe to share between threads."""

    def __init__(self, capacity: int = 2000) -> None:
        self._items: OrderedDict[int, tuple[int, BpmnWorkflow]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()
        self.hits = self.misses = 0  # takes that found the committed workflow, and those that did not

    def take(self, instance_id: int, lock_version: int) -> BpmnWorkflow | None:
        with self._lock:
            entry = self._items.pop(instance_id, None)
            found = entry is not None and entry[0] == lock_version
            if found:
                self.hits += 1
            else:
                self.misses += 1
        return entry[1] if found and entry is not None else None

    def put(self, instance_id: int, lock_version: int, workflow: BpmnWorkflow) -> None:
        with self._lock:
            self._items[instance_id] = (lock_version, workflow)
            self._items.move_to_end(instance_id)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)


@dataclass(frozen=True)
class Advanced:
    instance: ProcessInstance
    step: Step


class Instances:
    """Instances within one unit of work.  Call ``after_commit`` once the transaction committed.

    Each command runs the instance's diagram with the processes it calls bound (``engine.calls``):
    a call that is running keeps the version it started with (``called_versions``); a call that
    starts takes the version its call activity asks for."""

    def __init__(self, session: Session, runtime: Runtime, diagrams: DiagramCache, cache: WorkflowCache) -> None:
        self._session = session
        self._runtime = runtime
        self._diagrams = diagrams
        self._cache = cache
        self._touched: dict[int, tuple[ProcessInstance, BpmnWorkflow]] = {}
        self._bound: dict[int, Bound] = {}
        self._used: list[int] = []  # ids whose workflow or binding was handed out, in order (see ``mark``)
        self._advanced: set[int] = set()  # ids whose workflow the engine ran (or was about to run) here

    def start(self, version: ProcessVersion, data: dict[str, Any], now: datetime) -> Advanced:
        bound = self._bind(version, {})
        workflow, step = self._runtime.start(bound.diagram, data, now, decisions=self._decision)
        instance = ProcessInstance(
            version_id=version.id, version=version, status="running", state="", started_at=now, updated_at=now
        )
        step = self._save(instance, workflow, step, now, bound)
        self._session.add(instance)
        self._session.flush()
        self._touched[instance.id] = (instance, workflow)
        self._bound[instance.id] = bound
        self._used.append(instance.id)
        return Advanced(instance, step)

    def get(self, instance_id: int, *, for_update: bool = False) -> ProcessInstance:
        if for_update:
            instance = self._session.scalar(_GET_FOR_UPDATE, {"instance_id": instance_id})
        else:  # the session's own object when it has it (a SELECT would return that object unchanged anyway)
            instance = self._session.get(ProcessInstance, instance_id)
        if instance is None:
            raise InstanceNotFound(instance_id)
        return instance

    def complete_task(self, instance: ProcessInstance, task_id: UUID, data: dict[str, Any], now: datetime) -> Step:
        workflow = self._workflow(instance, advancing=True)
        step = self._runtime.complete(workflow, self.diagram(instance), task_id, data, now)
        return self._save(instance, workflow, step, now, self._bound[instance.id])

    def deliver_message(self, instance: ProcessInstance, name: str, payload: dict[str, Any], now: datetime) -> Step:
        """Deliver a named message to the instance (NotWaiting when nothing waits for it)."""
        workflow = self._workflow(instance, advancing=True)
        step = self._runtime.deliver_message(workflow, self.diagram(instance), name, payload, now)
        return self._save(instance, workflow, step, now, self._bound[instance.id])

    def awaited_messages(self, instance: ProcessInstance) -> tuple[AwaitedMessage, ...]:
        return awaited_messages(self._workflow(instance)) if instance.status == "running" else ()

    def fire_timers(self, instance: ProcessInstance, now: datetime) -> Step:
        workflow = self._workflow(instance, advancing=True)
        step = self._runtime.fire_timers(workflow, self.diagram(instance), now)
        return self._save(instance, workflow, step, now, self._bound[instance.id])

    def plan_migration(
        self, instance: ProcessInstance, to: ProcessVersion, mapping: Mapping[str, str | None], now: datetime
    ) -> Plan:
        """Where the instance's unfinished tasks would land in version ``to`` (nothing changes)."""
        workflow = self._workflow(instance, advancing=True)
        old = self._bound[instance.id]
        new = self._bind(to, instance.called_versions or {})
        return self._runtime.plan_migration(
            workflow,
            old.diagram,
            new.diagram,
            mapping,
            versions=(instance.version.version, to.version),
            callees=set(old.callees),
            now=now,
        )

    def migrate(
        self, instance: ProcessInstance, to: ProcessVersion, mapping: Mapping[str, str | None], now: datetime
    ) -> tuple[Plan, Step]:
        """Move the instance to version ``to`` (MigrationRefused, nothing changed, when a task has no place)."""
        workflow = self._workflow(instance, advancing=True)
        old = self._bound[instance.id]
        new = self._bind(to, instance.called_versions or {})
        chosen, step = self._runtime.migrate(
            workflow,
            old.diagram,
            new.diagram,
            mapping,
            now,
            versions=(instance.version.version, to.version),
            callees=set(old.callees),
        )
        instance.version_id = to.id
        instance.version = to
        self._bound[instance.id] = new
        self._used.append(instance.id)
        return chosen, self._save(instance, workflow, step, now, new)

    def task_state(self, instance: ProcessInstance, task_id: UUID) -> str:
        return self._runtime.task_state(self._workflow(instance), task_id)

    def task_data(self, instance: ProcessInstance, task_id: UUID) -> dict[str, Any]:
        """What one task sees of the process data (for display, never for writing)."""
        return self._runtime.task_data(self._workflow(instance), task_id)

    def ready_user_task_ids(self, instance: ProcessInstance) -> set[str]:
        """Ids of the READY user tasks, straight from the engine state (for consistency checks)."""
        return {str(t.spiff_id) for t in self._runtime.snapshot_ready(self._workflow(instance), self.diagram(instance))}

    def data(self, instance: ProcessInstance) -> dict[str, Any]:
        """The instance's current process data (for display, never for writing)."""
        workflow = self._workflow(instance)
        if workflow.is_completed():
            return dict(workflow.data)
        return dict(workflow.last_task.data) if workflow.last_task is not None else {}

    def diagram(self, instance: ProcessInstance) -> ParsedDiagram:
        """The diagram the instance runs, with the processes it calls (their user tasks too)."""
        return self._bound_for(instance).diagram

    def forms(self, instance: ProcessInstance) -> dict[str, Any]:
        """The forms of the instance's version and of the versions it calls."""
        return self._bound_for(instance).forms

    def form(self, instance: ProcessInstance, name: str | None) -> dict[str, Any] | None:
        return self.forms(instance).get(name) if name else None

    def after_commit(self) -> None:
        for instance, workflow in self._touched.values():
            self._cache.put(instance.id, instance.lock_version, workflow)
        self._forget_all()

    def release_unchanged(self) -> None:
        """A unit of work that did not commit puts back the workflows it only read.

        A workflow is *taken* out of the cache, so a page that reads a task's data, or a completion refused
        for a bad form, would otherwise leave the next command to load the state again.  One the engine ran
        here (or started to run: it may have failed halfway) is dropped: it may be ahead of the database."""
        for instance_id, (instance, workflow) in self._touched.items():
            if instance_id not in self._advanced:
                self._cache.put(instance_id, instance.lock_version, workflow)
        self._forget_all()

    def _forget_all(self) -> None:
        self._touched.clear()
        self._bound.clear()
        self._used.clear()
        self._advanced.clear()

    def mark(self) -> int:
        """A point to ``forget_since`` when the work after it is rolled back (a SAVEPOINT)."""
        return len(self._used)

    def forget_since(self, mark: int) -> None:
        """Forget every instance whose workflow or binding was used since ``mark``: the work was rolled back.

        The engine changes a workflow object in place, so one used by rolled-back work may be ahead of the
        database; it is dropped (never put back in the cache, which it was taken out of) and the next use
        loads the instance's state again.  The binding goes too: it follows ``called_versions``, which the
        rollback may have reset.  A workflow used before ``mark`` and again after it is dropped as well —
        its state as of ``mark`` is in the database (a SAVEPOINT starts with a flush)."""
        for instance_id in set(self._used[mark:]):
            self._touched.pop(instance_id, None)
            self._bound.pop(instance_id, None)
        del self._used[mark:]

    def _bound_for(self, instance: ProcessInstance) -> Bound:
        """The instance's diagram with its calls bound, without loading its state."""
        if instance.id not in self._bound:
            self._bound[instance.id] = self._bind(instance.version, instance.called_versions or {})
            self._used.append(instance.id)
        return self._bound[instance.id]

    def _workflow(self, instance: ProcessInstance, *, advancing: bool = False) -> BpmnWorkflow:
        if advancing:
            self._advanced.add(instance.id)
        if instance.id in self._touched:
            self._used.append(instance.id)
            return self._touched[instance.id][1]
        bound = self._bound_for(instance)
        workflow = self._cache.take(instance.id, instance.lock_version)
        if workflow is None:
            workflow = self._runtime.load(bound.diagram, instance.state)
        else:
            workflow.subprocess_specs = dict(bound.diagram.subprocess_specs)
            workflow.script_engine = self._runtime.script_engine(bound.diagram)
        workflow.script_engine.decisions = self._decision  # this command's view of the tables in force
        self._touched[instance.id] = (instance, workflow)
        self._used.append(instance.id)
        return workflow

    def _bind(self, version: ProcessVersion, running: dict[str, int]) -> Bound:
        caller = self._diagrams.get(version)
        forms = self._diagrams.forms(version)
        if not caller.external_calls:
            return Bound(caller, forms, {})
        return bind(caller, forms, Definitions(self._session, self._diagrams).resolve, running)

    def _decision(self, key: str) -> tuple[int, ParsedDecision] | None:
        """The decision table in force for a business rule task: (version, table)."""
        row = DecisionStore(self._session).active(key, with_xml=True)
        return (row.version, parsed_cached(row.dmn_xml)) if row is not None else None

    def _save(self, instance: ProcessInstance, workflow: BpmnWorkflow, step: Step, now: datetime, bound: Bound) -> Step:
        before = dict(instance.called_versions or {})
        running = running_calls(workflow, bound)
        instance.called_versions = running
        instance.state = self._runtime.dump(workflow)
        instance.status = "completed" if step.finished else "running"
        instance.next_timer_at = None if step.finished else step.next_timer_at
        instance.task_count = len(workflow.tasks)
        instance.updated_at = now
        started = tuple(
            ProcessCalled(call_id, key, bound.callees[key].number)
            for call_id, key in calls_started(workflow, bound, before, running)
        )
        return replace(step, events=started + step.events) if started else step
