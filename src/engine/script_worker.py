"""Diagram code runs in a child process under OS limits: CPU seconds, address space, wall time.

The AST guard (``engine.expressions.check_source``) refuses what is unsafe to *write*; this module
bounds what slips past it at run time, such as ``sum(sum(range(100000)) for i in range(100000))``
(no nested loop node, 10^10 additions) or ``'x' * 2_000_000_000``.  Each web or scheduler process
owns one long-lived worker, started on first use with ``spawn`` (a fresh interpreter, none of the
parent's threads, connections or secrets).  The worker sets RLIMIT_AS once and, before every call,
RLIMIT_CPU to the CPU it has used plus the allowance, so an endless computation is killed by the
kernel (SIGXCPU).  The parent also waits at most ``wall_seconds``.  A worker that dies or overruns is
replaced and the call raises ``ScriptLimitExceeded``; the command that ran it rolls back.

Task data crosses the pipe pickled (it is JSON-shaped), so the cost is one round trip per
expression or script (measured in the README).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

CALL_EVAL = "eval"
CALL_EXEC = "exec"


class ScriptLimitExceeded(RuntimeError):
    """The code used more CPU time, memory or wall time than a diagram may."""


class ScriptFailed(RuntimeError):
    """The code raised; the message carries the original exception's type and text."""


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 2
    memory_bytes: int = 768 * 1024 * 1024
    wall_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        return cls(
            cpu_seconds=int(env.get("SAGSFLOW_SCRIPT_CPU_SECONDS", cls.cpu_seconds)),
            memory_bytes=int(env.get("SAGSFLOW_SCRIPT_MEMORY_MB", cls.memory_bytes // 2**20)) * 2**20,
            wall_seconds=float(env.get("SAGSFLOW_SCRIPT_WALL_SECONDS", cls.wall_seconds)),
        )


class ScriptWorker:
    """A child process that evaluates expressions and executes scripts; one caller at a time."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._owner = 0

    def call(self, kind: str, source: str, context: dict[str, Any], external: dict[str, Any] | None) -> Any:
        """Run ``source``; answers (value, context) — the context as the code left it."""
        with self._lock:
            conn = self._ensure_started()
            try:
                conn.send((kind, source, context, external or {}))
                if not conn.poll(self.limits.wall_seconds):
                    self._stop()
                    raise ScriptLimitExceeded(f"koden brugte mere end {self.limits.wall_seconds:g} sekunder")
                status, *payload = conn.recv()
            except (EOFError, BrokenPipeError, ConnectionResetError):
                self._stop()
                raise ScriptLimitExceeded(
                    f"koden brugte mere end {self.limits.cpu_seconds} sekunders CPU-tid"
                ) from None
        if status == "ok":
            return payload[0], payload[1]
        if status == "memory":
            raise ScriptLimitExceeded(f"koden brugte mere end {self.limits.memory_bytes // 2**20} MB hukommelse")
        raise ScriptFailed(payload[0])

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _ensure_started(self) -> Connection:
        # A forked copy (gunicorn worker) must not talk to its parent's child.
        if self._conn is not None and self._owner == os.getpid() and self._process.is_alive():
            return self._conn
        self._stop()
        parent_end, child_end = multiprocessing.get_context("spawn").Pipe()
        process = multiprocessing.get_context("spawn").Process(
            target=serve, args=(child_end, self.limits), name="sagsflow-script-worker", daemon=True
        )
        process.start()
        child_end.close()
        self._process, self._conn, self._owner = process, parent_end, os.getpid()
        return parent_end

    def _stop(self) -> None:
        if self._process is not None and self._owner == os.getpid():
            self._process.kill()
            self._process.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None


_shared: ScriptWorker | None = None
_shared_lock = threading.Lock()


def shared_worker() -> ScriptWorker:
    """The process's worker (limits from SAGSFLOW_SCRIPT_* variables)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = ScriptWorker()
        return _shared


# ---- the child ----------------------------------------------------------------------------


def serve(conn: Connection, limits: Limits) -> None:  # pragma: no cover - runs in the child
    import resource

    from engine.expressions import SAFE_BUILTINS, default_functions

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    functions = default_functions()
    base_globals = {"__builtins__": SAFE_BUILTINS, **functions}
    while True:
        try:
            kind, source, context, external = conn.recv()
        except EOFError:
            return
        _allow_cpu(resource, limits.cpu_seconds)
        try:
            reply = ("ok", *_run(kind, source, context, external, base_globals))
        except MemoryError:
            reply = ("memory",)
        except Exception as exc:  # the diagram's own error, reported to the parent
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory",))
        except Exception as exc:  # e.g. a generator left in the data: it cannot be stored either
            conn.send(("error", f"Resultatet kan ikke gemmes: {type(exc).__name__}: {exc}"))


def _allow_cpu(resource: Any, seconds: int) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime) + seconds
    resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))


def _run(
    kind: str, source: str, context: dict[str, Any], external: dict[str, Any], base_globals: dict[str, Any]
) -> tuple[Any, dict[str, Any]]:
    """What SpiffWorkflow's TaskDataEnvironment does, here under the limits."""
    if kind == CALL_EVAL:
        scope = {**base_globals, **external, **context}
        return eval(source, scope), context
    context.update({**base_globals, **external})
    exec(source, context)
    for key in list(context):
        value = context[key]
        if key in base_globals or key in external or callable(value) or key == "__warningregistry__":
            context.pop(key)
    return True, context
