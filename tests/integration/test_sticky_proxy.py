"""Sticky routing: real nginx with deploy/nginx-sticky.conf in front of two real gunicorns (one worker each).

A caseworker's commands all reach the process that ran their last one, so the workflow is in its memory
(``sagsflow_workflow_cache_total`` counts no miss); different callers are spread over both processes.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT
from tests.helpers import PASSWORD, henvendelse, make_user, partshoering, udredning
from tests.nginx import StickyProxy, nginx_binary, wait_for_port
from tests.smtp import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        nginx_binary() is None and not os.environ.get("CI"), reason="nginx is not installed (scripts/nginx.sh)"
    ),
]


def request(port: int, method: str, path: str, body: object = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        method,
        path,
        json.dumps(body) if body is not None else None,
        {"Content-Type": "application/json", **(headers or {})},
    )
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return (
        response.status,
        response.getheader("X-Upstream"),
        json.loads(payload) if payload.startswith(b"{") else payload,
    )


def cache_counts(port: int) -> dict[str, float]:
    _status, _upstream, text = request(port, "GET", "/metrics")
    counts = {"hit": 0.0, "miss": 0.0}
    for family in text_string_to_metric_families(text.decode()):
        for sample in family.samples:
            if sample.name == "sagsflow_workflow_cache_total":
                counts[sample.labels["result"]] += sample.value
    return counts


@pytest.fixture
def gunicorns(database_url: str) -> Iterator[list[int]]:
    """Two gunicorn masters of one worker each, on the test's database."""
    ports, processes, folders = [free_port(), free_port()], [], []
    try:
        for port in ports:
            metrics = Path(tempfile.mkdtemp(prefix="sagsflow-sticky-metrics-"))
            folders.append(metrics)
            env = {
                **os.environ,
                "SAGSFLOW_DATABASE_URL": database_url,
                "SAGSFLOW_SECRET_KEY": secrets.token_urlsafe(32),
                "SAGSFLOW_DEPLOY_ON_START": "0",
                "SAGSFLOW_BIND": f"127.0.0.1:{port}",
                "SAGSFLOW_WEB_WORKERS": "1",
                "SAGSFLOW_WEB_THREADS": "2",
                "SAGSFLOW_LOG_FORMAT": "text",
                "PYTHONPATH": str(ROOT / "src"),
                "PROMETHEUS_MULTIPROC_DIR": str(metrics),
            }
            command = [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
            ]
            processes.append(
                subprocess.Popen(
                    [*command, "web.wsgi:app"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
                )
            )
        for port, process in zip(ports, processes, strict=True):
            wait_for_port(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def test_each_caseworker_reaches_the_process_that_holds_their_cases(services, gunicorns):
    names = ["sara", "soeren", "signe", "svend"]
    for name in names:
        make_user(services, name, "sagsbehandler")
    front = free_port()
    with StickyProxy(front, gunicorns):
        upstreams: dict[str, set[str]] = {}
        for name in names:
            status, _, body = request(front, "POST", "/api/v1/auth/token", {"username": name, "password": PASSWORD})
            assert status == 200
            auth = {"Authorization": f"Bearer {body['token']}"}
            status, upstream, case = request(
                front, "POST", "/api/v1/cases", {"title": "Fast", "ydelse": "SEL § 85"}, auth
            )
            assert status == 201
            seen = {upstream}
            task_id = case["tasks"][0]["id"]
            for data in (henvendelse(), udredning(), partshoering()):
                status, upstream, done = request(front, "POST", f"/api/v1/tasks/{task_id}/complete", data, auth)
                assert status == 200, done
                seen.add(upstream)
                task_id = done["next_tasks"][0]["id"]
            upstreams[name] = seen

        counts = [cache_counts(port) for port in gunicorns]

    assert all(len(seen) == 1 for seen in upstreams.values()), upstreams
    assert len(set().union(*upstreams.values())) == 2  # four callers are spread over both processes
    assert sum(c["miss"] for c in counts) == 0
    assert sum(c["hit"] for c in counts) == 3 * len(names)


def test_a_browser_is_routed_by_its_login_cookie_not_by_its_changing_session_cookie(gunicorns):
    front = free_port()
    with StickyProxy(front, gunicorns):
        routes = {}
        for i in range(12):
            key = f"rute-{i}"
            answered = {
                request(front, "GET", "/log-ind", headers={"Cookie": f"sagsflow_route={key}; sagsflow_session={n}"})[1]
                for n in range(4)
            }
            assert len(answered) == 1, answered  # the session cookie changes on every page; the route does not
            routes[key] = answered.pop()
    assert len(set(routes.values())) == 2
