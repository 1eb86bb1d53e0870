"""Sticky routing: real nginx with deploy/nginx-sticky.conf in front of two real gunicorns (one worker each).

A caseworker's commands all reach the process that ran their last one, so the workflow is in its memory
(``sagsflow_workflow_cache_total`` counts no miss); different callers are spread over both processes.
Behind a TLS proxy and nginx, the app sees the caller's address, https and the public host name.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from flask import url_for

from tests.gunicorn import start_gunicorn, wait_for_port, workflow_cache_counts
from tests.helpers import PASSWORD, henvendelse, make_user, partshoering, udredning
from tests.nginx import ROOT, StickyProxy, nginx_binary
from tests.smtp import free_port
from web.app import create_app
from web.auth import client_address

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


class _Echo(BaseHTTPRequestHandler):
    """A backend that answers with the request headers nginx sent it and the address it came from."""

    def do_GET(self) -> None:
        body = json.dumps({"headers": dict(self.headers.items()), "peer": self.client_address[0]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def echoes() -> Iterator[list[int]]:
    servers = [ThreadingHTTPServer(("127.0.0.1", free_port()), _Echo) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [server.server_address[1] for server in servers]
    for server in servers:
        server.shutdown()
        server.server_close()


def compose_sticky_trusted_proxies() -> int:
    """SAGSFLOW_TRUSTED_PROXIES of compose's web-1 when .env does not change it."""
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    value = compose["services"]["web-1"]["environment"]["SAGSFLOW_TRUSTED_PROXIES"]
    return int(re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value)))


def test_behind_a_tls_proxy_and_nginx_the_app_sees_the_caller_https_and_the_public_host(settings, services, echoes):
    front = free_port()
    with StickyProxy(front, echoes):
        # What the TLS proxy in front of compose's port 8000 sends on (it reaches nginx from 127.0.0.1).
        _, _, behind_tls = request(
            front,
            "GET",
            "/",
            headers={
                "Host": "127.0.0.1:8000",
                "X-Forwarded-For": "203.0.113.7",
                "X-Forwarded-Proto": "https",
                "X-Forwarded-Host": "sagsflow.kommune.dk",
            },
        )
        # A caller straight to nginx (nginx is the edge) who claims another address, scheme and host.
        _, _, direct = request(
            front,
            "GET",
            "/",
            headers={"X-Forwarded-For": "10.6.6.6", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"},
        )

    def seen_by_the_app(forwarded: dict, trusted_proxies: int) -> dict:
        """What Sagsflow, with ``trusted_proxies``, makes of the request nginx forwarded."""
        app = create_app(dataclasses.replace(settings, trusted_proxies=trusted_proxies), services)
        app.add_url_rule(
            "/seen",
            "seen",
            lambda: {"address": client_address(), "sso_callback": url_for("ui_auth.sso_callback", _external=True)},
        )
        headers = {k: v for k, v in forwarded["headers"].items() if k.lower() not in ("host", "content-type")}
        response = app.test_client().get(
            "/seen",
            base_url=f"http://{forwarded['headers']['Host']}",
            headers=headers,
            environ_overrides={"REMOTE_ADDR": forwarded["peer"]},
        )
        return response.get_json()

    assert seen_by_the_app(behind_tls, compose_sticky_trusted_proxies()) == {
        "address": "203.0.113.7",  # login throttling counts the caller, not the proxy
        "sso_callback": "https://sagsflow.kommune.dk/log-ind/sso/callback",  # what the identity provider expects
    }
    assert seen_by_the_app(direct, 1) == {
        "address": "127.0.0.1",
        "sso_callback": "http://127.0.0.1/log-ind/sso/callback",
    }
