"""The process-wide engine parts the application layer uses: the runtime and its caches."""

from __future__ import annotations

from dataclasses import dataclass

from engine.definitions import DiagramCache
from engine.instances import WorkflowCache
from engine.runtime import Runtime


@dataclass(frozen=True)
class WorkflowRuntime:
    """Built once per process by the composition root and shared by every unit of work."""

    runtime: Runtime
    diagrams: DiagramCache
    workflows: WorkflowCache
