"""Sticky routing: real nginx with deploy/nginx-sticky.conf in front of two real gunicorns (one worker each).

A caseworker's commands all reach the process that ran their last one, so the workflow is in its memory
(``sagsflow_workflow_cache_total`` counts no miss); different callers are spread over both processes.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gunicorn import start_gunicorn, wait_for_port, workflow_cache_counts
from tests.helpers import PASSWORD, henvendelse, make_user, partshoering, udredning
from tests.nginx import StickyProxy, nginx_binary
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


@pytest.fixture
def gunicorns(database_url: str) -> Iterator[list[int]]:
    """Two gunicorn masters of one worker each, on the test's database."""
    ports = [free_port(), free_port()]
    folders = [Path(tempfile.mkdtemp(prefix="sagsflow-sticky-metrics-")) for _ in ports]
    processes = []
    try:
        for port, folder in zip(ports, folders, strict=True):
            processes.append(start_gunicorn(database_url, port, folder, workers=1, threads=2))
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

        counts = [workflow_cache_counts(port) for port in gunicorns]

    assert all(len(seen) == 1 for seen in upstreams.values()), upstreams
    assert len(set().union(*upstreams.values())) == 2  # four callers are spread over both processes
    assert sum(misses for _, misses in counts) == 0
    assert sum(hits for hits, _ in counts) == 3 * len(names)


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
