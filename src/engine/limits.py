"""The engine's limits in one typed object, passed to ``Runtime`` (and from there to deploy checks).

The engine reads no environment: the host (``web.config.Settings``) builds an ``EngineLimits``
from its settings and hands it down.  The defaults are safe for production.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EngineLimits:
    # One command (start, complete, fire timers) may run at most this many engine tasks ...
    # (SpiffWorkflow walks the whole tree per task, so a loop that never waits costs quadratic
    # time: 1 000 steps stop it in about 0.3 s; the shipped pathways use a few dozen per command)
    max_steps: int = 1_000
    # ... and take at most this long (time.monotonic, not the wall clock).
    max_seconds: float = 5.0
    # A cycle timer's interval may not be shorter than this (checked at deploy and at run time).
    min_cycle_seconds: int = 3600
    # At most this many firings of one cycle timer per command; the rest wait for the next sweep.
    max_cycle_firings: int = 10
    # Serialized state per instance (bytes); a command that would store more is refused.
    max_state_bytes: int = 1_000_000
    # Call activities nested deeper than this are a recursion deploy could not see.
    max_call_depth: int = 20

    def __post_init__(self) -> None:
        if self.max_steps < 10 or self.max_seconds <= 0:
            raise ValueError("max_steps must be at least 10 and max_seconds positive")
        if self.min_cycle_seconds < 1 or self.max_cycle_firings < 1:
            raise ValueError("min_cycle_seconds and max_cycle_firings must be at least 1")
        if self.max_state_bytes < 10_000:
            raise ValueError("max_state_bytes must be at least 10 000")


DEFAULT_LIMITS = EngineLimits()
