"""Over HTTP: gunicorn on PostgreSQL, 16 concurrent clients opening cases and completing tasks.

Each client is a sagsbehandler with its own token; per case it opens the case and completes the
first steps of the pathway.  Reports cases/s, completions/s and the latency of the completions.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load_kill import PASSWORD, Client, kill, wait_until_up
from bench.parts.common import median, p95
from tasks.accounts.users import add_user
from tests.gunicorn import start_gunicorn, workflow_cache_counts
from tests.helpers import henvendelse, partshoering, udredning
from tests.nginx import StickyProxy
from tests.smtp import free_port


@dataclass(frozen=True)
class HttpResult:
    clients: int
    workers: int
    cases_per_s: float
    completions_per_s: float
    complete_median_ms: float
    complete_p95_ms: float
    cache_hit_ratio: float  # commands that found their workflow in the answering worker's cache


def http_load(
    services: Any,
    url: str,
    clients: int = 16,
    cases_per_client: int = 8,
    workers: int | None = None,
    sticky: bool = False,
    prefix: str = "http",
    threads: int = 4,
) -> HttpResult:
    """``workers``: gunicorn worker processes; None for the service's default (one per core); ``threads``: each
    worker's threads (``SAGSFLOW_WEB_THREADS``).

    ``sticky``: instead of one gunicorn with ``workers`` workers, ``workers`` gunicorns of one worker each
    behind real nginx with deploy/nginx-sticky.conf, which sends each client to the same process."""
    now = services.clock.now()
    usernames = [f"{prefix}{i}" for i in range(clients)]
    for username in usernames:
        add_user(services.uow(), username, PASSWORD, ["sagsbehandler"], now, team="Team HTTP")
    processes = workers or len(os.sched_getaffinity(0))
    backends = [free_port() for _ in range(processes if sticky else 1)]
    servers, folders = [], []
    proxy: StickyProxy | None = None
    try:
        for port in backends:
            folders.append(Path(tempfile.mkdtemp(prefix="sagsflow-bench-metrics-")))
            servers.append(start_gunicorn(url, port, folders[-1], workers=1 if sticky else workers, threads=threads))
        for port in backends:
            wait_until_up(port)
        front = backends[0]
        if sticky:
            front = free_port()
            proxy = StickyProxy(front, backends).__enter__()
        completions: list[float] = []
        counts = {"cases": 0, "completions": 0}
        lock = threading.Lock()
        # Each client signs in and runs one case before the timing starts, all together: the timing covers warm
        # workers (a fresh gunicorn worker parses the diagrams and fills its caches on its first commands).
        warmed = threading.Barrier(clients + 1)
        callers = [
            threading.Thread(target=_client, args=(front, u, cases_per_client, completions, counts, lock, warmed))
            for u in usernames
        ]
        for caller in callers:
            caller.start()
        warmed.wait()
        started = time.perf_counter()
        for caller in callers:
            caller.join()
        elapsed = time.perf_counter() - started
        hits = misses = 0.0
        for port in backends:
            more_hits, more_misses = workflow_cache_counts(port)
            hits, misses = hits + more_hits, misses + more_misses
    finally:
        if proxy is not None:
            proxy.__exit__(None, None, None)
        for server in servers:
            kill(server)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
    return HttpResult(
        clients,
        processes,
        counts["cases"] / elapsed,
        counts["completions"] / elapsed,
        median(completions),
        p95(completions),
        hits / max(hits + misses, 1),
    )


def _client(
    port: int, username: str, cases: int, completions: list[float], counts: dict, lock: Any, warmed: Any
) -> None:
    latencies: list[float] = []
    client = Client(port, username, latencies)
    try:
        client.login()
        _one_case(client, latencies, [], {"cases": 0, "completions": 0}, lock)  # warm-up, not counted
    finally:
        warmed.wait()  # a client that failed to warm up must not keep the others waiting
    for _ in range(cases):
        _one_case(client, latencies, completions, counts, lock)


def _one_case(client: Client, latencies: list[float], completions: list[float], counts: dict, lock: Any) -> None:
    """Open a case and complete its first three tasks, counting what succeeded."""
    status, case = client.call("POST", "/cases", {"title": "Belastning", "ydelse": "SEL § 85"})
    if status != 201:
        return
    with lock:
        counts["cases"] += 1
    task_id = case["tasks"][0]["id"]
    for data in (henvendelse(), udredning(), partshoering()):
        latencies.clear()
        status, body = client.call("POST", f"/tasks/{task_id}/complete", data)
        if status != 200:
            return
        with lock:
            completions.extend(latencies)
            counts["completions"] += 1
        task_id = body["next_tasks"][0]["id"] if body.get("next_tasks") else None
        if task_id is None:
            return
