"""A command's budget of engine steps and seconds.

SpiffWorkflow's own ``do_engine_steps`` loops as long as tasks are ready, so a diagram that loops
without waiting (a self-calling call activity, a gateway loop around a script, a cycle timer of
``R/PT0S``) would hold the request, and the database lock, forever.  The runtime's loop ticks this
budget before every task it runs; exhausting it raises ``RunawayProcess`` naming the element that
was running, and the caller rolls back.  Time is ``time.monotonic`` (injectable), not the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.errors import RunawayProcess
from engine.limits import EngineLimits


class Budget:
    def __init__(self, limits: EngineLimits, monotonic: Callable[[], float]) -> None:
        self._limits = limits
        self._monotonic = monotonic
        self._started = monotonic()
        self.steps = 0
        self.current: Any = None  # the task being run or refreshed, for the message

    def before_task(self, task: Any) -> None:
        """SpiffWorkflow's will_complete_task callback."""
        self.current = task
        self.tick()
        if getattr(task.workflow, "depth", 0) > self._limits.max_call_depth:
            raise self._exhausted(f"kaldeaktiviteter indlejret over {self._limits.max_call_depth} niveauer")

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self._limits.max_steps:
            raise self._exhausted(f"over {self._limits.max_steps} skridt")
        if self._monotonic() - self._started > self._limits.max_seconds:
            raise self._exhausted(f"over {self._limits.max_seconds:g} sekunder".replace(".", ","))

    def element(self) -> tuple[str | None, str | None]:
        spec = getattr(self.current, "task_spec", None)
        return getattr(spec, "bpmn_id", None), getattr(spec, "bpmn_name", None)

    def _exhausted(self, what: str) -> RunawayProcess:
        element_id, name = self.element()
        where = f" (sidst i '{name or element_id}' ({element_id}))" if element_id else ""
        return RunawayProcess(
            element_id,
            f"Processen stoppede ikke: {what} i én kommando{where}. Diagrammet har sandsynligvis en løkke "
            "uden ventepunkt (en brugeropgave eller en timer); intet er gemt.",
        )
