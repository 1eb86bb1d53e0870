"""Web-side trust (issue 10): throttled logins, scripts that cannot run, Danish errors, safe settings."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from sqlalchemy import select

from engine.models import ProcessVersion
from tasks.accounts import login_throttle
from tasks.accounts.model import LoginAttempt
from tests.conftest import PROCESSES
from tests.helpers import PASSWORD, Api, make_user
from tests.ui.pages import Browser, text
from web.app import create_app
from web.config import DEFAULT_SECRET_KEY, ConfigError, Settings


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "pia", "procesejer", team=None)


def token_call(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password},
        environ_overrides={"REMOTE_ADDR": address},
    )


def test_failed_logins_make_the_owner_wait_a_growing_time_but_never_lock_them_out(people, client, clock):
    for _ in range(5):
        assert token_call(client, "sara", "forkert").status_code == 401
    waiting = token_call(client, "sara", PASSWORD)
    assert waiting.status_code == 429
    assert waiting.headers["Retry-After"] == "60"
    assert "Vent 1 minut" in waiting.get_json()["message"]
    clock.advance(seconds=61)
    assert token_call(client, "sara", "forkert").status_code == 401  # the sixth failure: now two minutes
    assert token_call(client, "sara", PASSWORD).headers["Retry-After"] == "120"
    clock.advance(seconds=121)
    assert token_call(client, "sara", PASSWORD).status_code == 200  # the rightful owner after the wait


def earlier_failures(services, count: int, address: str, username=lambda i: "sara") -> None:
    """Failed logins already made (each real one costs a full argon2 check, so the history is written directly)."""
    with services.uow() as uow:
        for i in range(count):
            login_throttle.record_failure(uow.session, username(i), address, services.clock.now())
        uow.commit()


def test_the_wait_doubles_with_each_failure_up_to_a_quarter_of_an_hour(people, client, clock, services):
    earlier_failures(services, 5, "10.0.0.1")
    waits = []
    for _ in range(6):
        response = token_call(client, "sara", "forkert")
        waits.append(int(response.headers["Retry-After"]))
        clock.advance(seconds=waits[-1])
        assert token_call(client, "sara", "forkert").status_code == 401
    assert waits == [60, 120, 240, 480, 900, 900]


def test_one_password_sprayed_over_many_usernames_is_throttled_by_the_address(people, client, services):
    earlier_failures(services, 19, "10.6.6.6", username=lambda i: f"bruger{i}")
    assert token_call(client, "bruger19", "Sommer2026!", address="10.6.6.6").status_code == 401  # the 20th
    sprayed = token_call(client, "sara", "Sommer2026!", address="10.6.6.6")
    assert sprayed.status_code == 429 and int(sprayed.headers["Retry-After"]) > 0
    assert token_call(client, "sara", PASSWORD, address="10.0.0.2").status_code == 200  # others are not hit


def test_x_forwarded_for_counts_only_behind_a_configured_proxy(people, settings, services):
    def failed_login_from(app_settings: Settings) -> str | None:
        client = create_app(app_settings, services).test_client()
        headers = {"X-Forwarded-For": "10.1.1.1"}  # claimed by the client, or set by our proxy
        client.post("/api/v1/auth/token", json={"username": "sara", "password": "x"}, headers=headers)
        with services.uow() as uow:
            return uow.session.scalars(select(LoginAttempt.client).order_by(LoginAttempt.id.desc())).first()

    assert failed_login_from(settings) == "127.0.0.1"  # no trusted proxy: the TCP peer, whatever the header says
    assert failed_login_from(dataclasses.replace(settings, trusted_proxies=1)) == "10.1.1.1"


def test_the_login_page_answers_429_with_a_danish_message_while_waiting(people, client):
    browser = Browser(client)
    for _ in range(5):
        assert browser.post("/log-ind", {"username": "sara", "password": "forkert"}).status_code == 401
    waiting = browser.post("/log-ind", {"username": "sara", "password": PASSWORD})
    assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "60"
    assert "For mange mislykkede forsøg" in text(waiting)


def test_a_diagram_with_an_xhtml_script_is_served_as_a_plain_text_attachment(people, client, services):
    owner = Api.login(client, "pia")
    bpmn = (PROCESSES / "krisecenter.bpmn").read_text(encoding="utf-8")
    script = (
        '<bpmn:extensionElements><html:script xmlns:html="http://www.w3.org/1999/xhtml">'
        "alert(document.cookie)</html:script></bpmn:extensionElements>"
    )
    hostile = re.sub(r"(<bpmn:process [^>]*>)", lambda m: m.group(1) + script, bpmn, count=1)
    deployed = owner.post("/process-definitions", json={"bpmn": hostile, "forms": _forms(), "key": "krisecenter"})
    assert deployed.status_code == 201, deployed.get_json()
    with services.uow() as uow:
        newest = select(ProcessVersion.id).where(ProcessVersion.process_key == "krisecenter")
        version_id = uow.session.scalar(newest.order_by(ProcessVersion.id.desc()))
    Browser.login(client, "pia")
    response = client.get(f"/diagrammer/{version_id}.bpmn")
    assert response.status_code == 200 and b"html:script" in response.data
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    table = client.get("/kvalitetsstandard/sagsbehandlingsfrist.dmn")
    assert table.mimetype == "text/plain" and table.headers["Content-Disposition"].startswith("attachment")


def _forms() -> dict:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (PROCESSES / "forms").glob("*.json")}


def test_every_page_has_a_content_security_policy_without_inline_script(people, client):
    Browser.login(client, "pia")
    for path in ("/log-ind", "/processer", "/kvalitetsstandard", "/findes-ikke"):
        policy = client.get(path).headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert client.get("/api/v1/openapi.json").headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_no_template_carries_an_inline_script_or_event_handler():
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "src" / "web" / "templates"
    for path in templates.glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline <script> i {path.name}"
        assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler i {path.name}"
        assert "javascript:" not in html, path.name


def test_unknown_addresses_answer_404_in_danish_on_pages_and_in_the_api(people, client):
    for response in (client.get("/findes-ikke"), Api.login(client, "sara").get("/findes-ikke")):
        assert response.status_code == 404
        body = response.get_data(as_text=True)
        assert "findes ikke" in body and "requested URL" not in body


def test_a_wrong_method_answers_405_in_danish_with_allow(people, client):
    page = client.delete("/log-ind")
    assert page.status_code == 405 and "Metoden er ikke tilladt" in text(page) and "not allowed" not in text(page)
    assert "GET" in page.headers["Allow"]
    token = Api.login(client, "sara").token
    api = client.put("/api/v1/cases", json={}, headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 405 and api.get_json()["message"] == "Metoden er ikke tilladt på denne adresse."


def test_session_cookies_are_secure_behind_https(people, settings, services):
    assert not settings.secure_cookies
    assert Settings.from_env({"SAGSFLOW_BASE_URL": "https://sagsflow.kommune.dk"}).secure_cookies
    assert Settings.from_env({"SAGSFLOW_SECURE_COOKIES": "1"}).secure_cookies
    assert not Settings.from_env({"SAGSFLOW_BASE_URL": "https://x.dk", "SAGSFLOW_SECURE_COOKIES": "0"}).secure_cookies
    client = create_app(dataclasses.replace(settings, secure_cookies=True), services).test_client()
    response = Browser(client).post("/log-ind", {"username": "sara", "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("sagsflow_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_the_service_refuses_to_start_with_the_development_secret_key(settings, services):
    default = dataclasses.replace(settings, secret_key=DEFAULT_SECRET_KEY)
    with pytest.raises(ConfigError, match="SAGSFLOW_SECRET_KEY"):
        create_app(default, services)
    assert create_app(dataclasses.replace(default, allow_default_secret=True), services)  # sagsflow demo


def test_sagsflow_serve_says_why_it_will_not_start(database_url):
    from click.testing import CliRunner

    from web.cli import main

    env = {"SAGSFLOW_DATABASE_URL": database_url, "SAGSFLOW_SECRET_KEY": None}
    result = CliRunner().invoke(main, ["serve"], env=env)
    assert result.exit_code != 0
    assert "starter ikke med udviklingsnøglen" in result.output and "Refusing to start" in result.output


def test_a_login_gives_the_browser_a_random_routing_key_that_says_nothing_about_the_user(people, settings, services):
    """``sagsflow_route``: what a sticky reverse proxy hashes on (deploy/nginx-sticky.conf)."""
    client = create_app(dataclasses.replace(settings, secure_cookies=True), services).test_client()
    Browser(client).post("/log-ind", {"username": "sara", "password": PASSWORD})
    first = client.get_cookie("sagsflow_route")
    assert first is not None and len(first.value) >= 12 and "sara" not in first.value
    assert first.secure and first.http_only and first.same_site == "Lax"
    client.get("/indbakke")
    assert client.get_cookie("sagsflow_route").value == first.value  # the same on every page
    Browser(client).post("/log-ind", {"username": "sara", "password": PASSWORD})
    assert client.get_cookie("sagsflow_route").value != first.value  # a new one per login
