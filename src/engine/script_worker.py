"""Diagram code runs in a child process under OS limits: CPU seconds, address space, wall time.

The AST guard (``engine.expressions.check_source``) refuses what is unsafe to *write*; this module
bounds what slips past it at run time, such as ``sum(sum(range(100000)) for i in range(100000))``
(no nested loop node, 10^10 additions) or ``'x' * 2_000_000_000``.  Each web or scheduler process
owns one long-lived worker: ``python -m engine.script_worker``, started on first use with a
minimal environment (no database URL, no secret key) and none of the parent's threads or
connections.  The worker sets RLIMIT_AS once and, before every call, RLIMIT_CPU to the CPU it has
used plus the allowance, so an endless computation is killed by the kernel (SIGXCPU).  The parent
waits at most ``wall_seconds``.  A worker that dies or overruns is replaced and the call raises
``ScriptLimitExceeded``; the command that ran it rolls back.

Requests and replies are length-prefixed JSON frames on the child's stdin/stdout: task data is
JSON-shaped anyway (it is stored as JSON), and nothing the diagram's code produces is unpickled.
"""

from __future__ import annotations

import json
import math
import os
import select
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

CALL_EVAL = "eval"
CALL_EXEC = "exec"
MAX_FRAME = 2_000_000  # task data is stored per instance; a script may not hand back more than this
_HEADER = struct.Struct(">I")


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
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0

    def call(self, kind: str, source: str, context: dict[str, Any], external: dict[str, Any] | None) -> Any:
        """Run ``source``; answers (value, context) — the context as the code left it."""
        request = json.dumps([kind, source, context, external or {}], default=str).encode("utf-8")
        with self._lock:
            process = self._ensure_started()
            try:
                _write_frame(process.stdin, request)
                ready, _, _ = select.select([process.stdout], [], [], self.limits.wall_seconds)
                if not ready:
                    self._stop()
                    raise ScriptLimitExceeded(f"koden brugte mere end {self.limits.wall_seconds:g} sekunder")
                reply = _read_frame(process.stdout)
            except (BrokenPipeError, ConnectionResetError, EOFError):
                reply = None
            if reply is None:
                raise self._died()
        status, *payload = json.loads(reply)
        if status == "ok":
            return payload[0], payload[1]
        if status == "memory":
            raise ScriptLimitExceeded(f"koden brugte mere end {self.limits.memory_bytes // 2**20} MB hukommelse")
        raise ScriptFailed(payload[0])

    def warm(self) -> None:
        """Start the child now, so the first command does not wait for an interpreter to start."""
        with self._lock:
            self._ensure_started()

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _died(self) -> Exception:
        process = self._process
        code = process.wait(timeout=5) if process is not None else None
        self._stop()
        if code in (-signal.SIGXCPU, -signal.SIGKILL):
            return ScriptLimitExceeded(f"koden brugte mere end {self.limits.cpu_seconds} sekunders CPU-tid")
        return ScriptLimitExceeded(f"arbejdsprocessen for diagrammets kode stoppede uventet (kode {code})")

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        # A forked copy (a gunicorn worker) must not talk to its parent's child.
        if self._process is not None and self._owner == os.getpid() and self._process.poll() is None:
            return self._process
        self._stop()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        limits = json.dumps([self.limits.cpu_seconds, self.limits.memory_bytes])
        self._process = subprocess.Popen(
            [sys.executable, "-m", "engine.script_worker", limits],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
        self._owner = os.getpid()
        return self._process

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None or self._owner != os.getpid():
            return
        if process.poll() is None:
            process.kill()
        process.wait(timeout=5)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _write_frame(stream: IO[bytes] | None, payload: bytes) -> None:
    assert stream is not None
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _read_frame(stream: IO[bytes] | None) -> bytes | None:
    assert stream is not None
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    if size > MAX_FRAME:
        return None
    payload = stream.read(size)
    return payload if len(payload) == size else None


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


def serve(limits_json: str) -> None:  # pragma: no cover - runs in the child
    import resource

    from engine.expressions import SAFE_BUILTINS, default_functions

    cpu_seconds, memory_bytes = json.loads(limits_json)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    base_globals = {"__builtins__": SAFE_BUILTINS, **default_functions()}
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while (request := _read_frame(stdin)) is not None:
        kind, source, context, external = json.loads(request)
        _allow_cpu(resource, cpu_seconds)
        try:
            reply = json.dumps(["ok", *_run(kind, source, context, external, base_globals)], default=str)
        except MemoryError:
            reply = json.dumps(["memory"])
        except Exception as exc:  # the diagram's own error, reported to the parent
            reply = json.dumps(["error", f"{type(exc).__name__}: {exc}"])
        if len(reply) > MAX_FRAME:
            reply = json.dumps(["error", f"Resultatet er for stort (over {MAX_FRAME // 1_000_000} MB)"])
        _write_frame(stdout, reply.encode("utf-8"))


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


if __name__ == "__main__":  # pragma: no cover - the child's entry point
    serve(sys.argv[1])
