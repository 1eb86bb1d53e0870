"""Load, advance and save process instances inside the caller's transaction.

Loading is the expensive part of a command (deserializing the task tree), so committed
workflows are kept in a small process-wide cache keyed by (instance id, lock_version).  A cached
object is *taken* by one command at a time and only put back after that command committed; a
rolled-back command leaves nothing behind, and another process's write changes lock_version, so
a stale object can never be used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.decision_store import DecisionStore
from engine.decisions import ParsedDecision, parsed_cached
from engine.definitions import DiagramCache
from engine.models import ProcessInstance, ProcessVersion
from engine.runtime import AwaitedMessage, Runtime, Step, awaited_messages
from engine.spiff import BpmnWorkflow


class InstanceNotFound(LookupError):
    pass


class WorkflowCache:
    """A bounded LRU of live workflow objects, safe to share between threads."""

    def __init__(self, capacity: int = 2000) -> None:
        self._items: OrderedDict[int, tuple[int, BpmnWorkflow]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def take(self, instance_id: int, lock_version: int) -> BpmnWorkflow | None:
        with self._lock:
            entry = self._items.pop(instance_id, None)
        if entry is None or entry[0] != lock_version:
            return None
        return entry[1]

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
    """Instances within one unit of work.  Call ``after_commit`` once the transaction committed."""

    def __init__(self, session: Session, runtime: Runtime, diagrams: DiagramCache, cache: WorkflowCache) -> None:
        self._session = session
        self._runtime = runtime
        self._diagrams = diagrams
        self._cache = cache
        self._touched: dict[int, tuple[ProcessInstance, BpmnWorkflow]] = {}

    def start(self, version: ProcessVersion, data: dict[str, Any], now: datetime) -> Advanced:
        diagram = self._diagrams.get(version)
        workflow, step = self._runtime.start(diagram, data, now, decisions=self._decision)
        instance = ProcessInstance(
            version_id=version.id, version=version, status="running", state="", started_at=now, updated_at=now
        )
        self._save(instance, workflow, step, now)
        self._session.add(instance)
        self._session.flush()
        self._touched[instance.id] = (instance, workflow)
        return Advanced(instance, step)

    def get(self, instance_id: int, *, for_update: bool = False) -> ProcessInstance:
        query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
        if for_update:
            query = query.with_for_update(of=ProcessInstance)
        instance = self._session.scalar(query)
        if instance is None:
            raise InstanceNotFound(instance_id)
        return instance

    def complete_task(self, instance: ProcessInstance, task_id: UUID, data: dict[str, Any], now: datetime) -> Step:
        workflow = self._workflow(instance)
        step = self._runtime.complete(workflow, self._diagrams.get(instance.version), task_id, data, now)
        self._save(instance, workflow, step, now)
        return step

    def deliver_message(self, instance: ProcessInstance, name: str, payload: dict[str, Any], now: datetime) -> Step:
        """Deliver a named message to the instance (NotWaiting when nothing waits for it)."""
        workflow = self._workflow(instance)
        step = self._runtime.deliver_message(workflow, self._diagrams.get(instance.version), name, payload, now)
        self._save(instance, workflow, step, now)
        return step

    def awaited_messages(self, instance: ProcessInstance) -> tuple[AwaitedMessage, ...]:
        return awaited_messages(self._workflow(instance)) if instance.status == "running" else ()

    def fire_timers(self, instance: ProcessInstance, now: datetime) -> Step:
        workflow = self._workflow(instance)
        step = self._runtime.fire_timers(workflow, self._diagrams.get(instance.version), now)
        self._save(instance, workflow, step, now)
        return step

    def task_state(self, instance: ProcessInstance, task_id: UUID) -> str:
        return self._runtime.task_state(self._workflow(instance), task_id)

    def task_data(self, instance: ProcessInstance, task_id: UUID) -> dict[str, Any]:
        """What one task sees of the process data (for display, never for writing)."""
        return self._runtime.task_data(self._workflow(instance), task_id)

    def ready_user_task_ids(self, instance: ProcessInstance) -> set[str]:
        """Ids of the READY user tasks, straight from the engine state (for consistency checks)."""
        return {
            str(t.spiff_id)
            for t in self._runtime.snapshot_ready(self._workflow(instance), self._diagrams.get(instance.version))
        }

    def data(self, instance: ProcessInstance) -> dict[str, Any]:
        """The instance's current process data (for display, never for writing)."""
        workflow = self._workflow(instance)
        if workflow.is_completed():
            return dict(workflow.data)
        return dict(workflow.last_task.data) if workflow.last_task is not None else {}

    def after_commit(self) -> None:
        for instance, workflow in self._touched.values():
            self._cache.put(instance.id, instance.lock_version, workflow)
        self._touched.clear()

    def _workflow(self, instance: ProcessInstance) -> BpmnWorkflow:
        if instance.id in self._touched:
            return self._touched[instance.id][1]
        workflow = self._cache.take(instance.id, instance.lock_version)
        if workflow is None:
            workflow = self._runtime.load(self._diagrams.get(instance.version), instance.state)
        workflow.script_engine.decisions = self._decision  # this command's view of the tables in force
        self._touched[instance.id] = (instance, workflow)
        return workflow

    def _decision(self, key: str) -> tuple[int, ParsedDecision] | None:
        """The decision table in force for a business rule task: (version, table)."""
        row = DecisionStore(self._session).active(key, with_xml=True)
        return (row.version, parsed_cached(row.dmn_xml)) if row is not None else None

    def _save(self, instance: ProcessInstance, workflow: BpmnWorkflow, step: Step, now: datetime) -> None:
        instance.state = self._runtime.dump(workflow)
        instance.status = "completed" if step.finished else "running"
        instance.next_timer_at = None if step.finished else step.next_timer_at
        instance.task_count = len(workflow.tasks)
        instance.updated_at = now
