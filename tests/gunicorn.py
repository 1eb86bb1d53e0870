"""Real gunicorn processes with deploy/gunicorn.conf.py, for the tests and the bench, and what they report."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parents[1]


def start_gunicorn(
    database_url: str, port: int, metrics_dir: Path, *, workers: int | None = None, threads: int = 4
) -> subprocess.Popen[bytes]:
    """gunicorn on 127.0.0.1:``port`` in its own process group; ``workers`` None: the service's default."""
    env = {
        **os.environ,
        "SAGSFLOW_DATABASE_URL": database_url,
        "SAGSFLOW_SECRET_KEY": secrets.token_urlsafe(32),
        "SAGSFLOW_DEPLOY_ON_START": "0",
        "SAGSFLOW_BIND": f"127.0.0.1:{port}",
        "SAGSFLOW_WEB_WORKERS": str(workers or ""),
        "SAGSFLOW_WEB_THREADS": str(threads),
        "SAGSFLOW_LOG_FORMAT": "text",
        "PYTHONPATH": str(ROOT / "src"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),  # /metrics adds up every worker's counters
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "web.wsgi:app"]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def wait_for_port(port: int, process: subprocess.Popen[bytes], limit: float = 30) -> None:
    """Until ``process`` accepts connections on ``port``; RuntimeError if it ends first or ``limit`` passes.

    Between attempts it waits on the process itself (its end would return at once), not on a clock."""
    give_up = time.monotonic() + limit
    while time.monotonic() < give_up:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            try:
                process.wait(timeout=0.05)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"the process on port {port} ended") from None
    raise RuntimeError(f"nothing answered on port {port} within {limit} s")


def workflow_cache_counts(port: int) -> tuple[float, float]:
    """The workflow cache's hits and misses over all workers of the gunicorn on ``port``, from /metrics."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    conn.close()
    counts = {"hit": 0.0, "miss": 0.0}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "sagsflow_workflow_cache_total":
                counts[sample.labels["result"]] += sample.value
    return counts["hit"], counts["miss"]
