"""Operations: liveness, readiness (database, migrations, the scheduler's heartbeat) and metrics."""

from __future__ import annotations

import dataclasses
import threading

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tasks.accounts.model import User
from tasks.accounts.passwords import Passwords
from tasks.accounts.users import add_user
from tasks.cases.opening import NewCase, open_case
from tasks.service.actors import Actor
from tests.helpers import PASSWORD, Api, henvendelse, partshoering, udredning
from web.app import create_app
from web.bootstrap import bootstrap
from web.database import alembic_config
from web.scheduler import make_jobs, start_background


def samples(response) -> dict[str, float]:
    """name{labels} -> value, from the Prometheus text format."""
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for s in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
            found[f"{s.name}{{{labels}}}" if labels else s.name] = s.value
    return found


def test_healthz_says_the_process_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_is_503_until_a_scheduler_has_swept_and_again_when_its_heartbeat_is_stale(
    client, services, settings, clock
):
    never = client.get("/readyz")
    assert never.status_code == 503
    assert never.get_json()["checks"]["scheduler"]["ok"] is False
    assert never.get_json()["checks"]["database"]["ok"] and never.get_json()["checks"]["migrations"]["ok"]
    jobs = make_jobs(services, settings)
    jobs.sweep()
    assert client.get("/readyz").status_code == 200
    clock.advance(seconds=settings.heartbeat_limit_seconds + 1)  # the scheduler stopped
    stale = client.get("/readyz")
    assert stale.status_code == 503 and stale.get_json()["checks"]["scheduler"]["age_seconds"] == 121
    jobs.sweep()
    assert client.get("/readyz").status_code == 200


def test_the_embedded_scheduler_sweeps_at_once_so_the_demo_is_ready_without_waiting_an_interval(
    client, services, settings
):
    """`sagsflow demo` runs the scheduler in the web process: its first sweep (and heartbeat) comes at start."""
    assert client.get("/readyz").status_code == 503
    jobs = make_jobs(services, settings)
    swept = threading.Event()
    sweep = jobs.sweep
    jobs.sweep = lambda: (sweep(), swept.set())  # type: ignore[method-assign]  # observe, not replace
    background = start_background(jobs, every_seconds=3600)
    try:
        assert swept.wait(timeout=30), "the first sweep did not come at start"
        assert client.get("/readyz").status_code == 200
    finally:
        background.shutdown(wait=True)


def test_readyz_is_503_when_the_schema_is_behind_the_code(client, services, settings, database_url):
    from alembic import command

    make_jobs(services, settings).sweep()
    command.stamp(alembic_config(database_url), "0004")
    response = client.get("/readyz")
    assert response.status_code == 503 and response.get_json()["checks"]["migrations"]["ok"] is False


def test_metrics_count_requests_logins_timers_and_the_outbox_in_prometheus_text(client, services, settings, clock):
    add_user(services.uow(), "sara", PASSWORD, ["sagsbehandler"], clock.now(), team="Team Nord", email="s@k.test")
    with services.uow() as uow:
        sara = Actor.of(uow.session.query(User).filter_by(username="sara").one())
    open_case(services.uow(), sara, NewCase(ydelse="SEL § 85"), clock.now())
    clock.advance(days=70)  # past the 8-week frist: its warning timer is due, and nobody swept
    client.post("/api/v1/auth/token", json={"username": "sara", "password": "forkert"})
    client.post("/api/v1/auth/token", json={"username": "sara", "password": PASSWORD})
    before = samples(client.get("/metrics"))
    assert before["sagsflow_requests_total{endpoint=auth.token,method=POST,status=200}"] == 1
    assert before["sagsflow_request_duration_seconds_count{endpoint=auth.token,method=POST}"] == 2
    assert before["sagsflow_login_failures_total{status=401,via=api}"] == 1
    assert before["sagsflow_login_failures_recent"] == 1
    assert before["sagsflow_timers_due"] == 1 and before["sagsflow_timer_lag_seconds"] > 86400
    assert before["sagsflow_outbox_pending"] == 0 and before["sagsflow_outbox_failed"] == 0
    jobs = make_jobs(services, settings)
    jobs.sweep()
    jobs.escalate()  # the passed frister enqueue mails
    after = samples(client.get("/metrics"))
    assert after["sagsflow_timers_due"] == 0 and after["sagsflow_timer_lag_seconds"] == 0
    assert after["sagsflow_outbox_pending"] >= 1
    assert after["sagsflow_scheduler_heartbeat_age_seconds"] == 0


def test_metrics_show_how_often_a_worker_found_the_workflow_in_its_cache(client, services, settings, clock):
    """A second worker process (its own app, services and cache, the same database) must load the state."""
    add_user(services.uow(), "sara", PASSWORD, ["sagsbehandler"], clock.now(), team="Team Nord")
    sara = Api.login(client, "sara")
    task_id = sara.only_task(sara.open_case()["id"])["id"]
    task_id = sara.complete(task_id, henvendelse())["next_tasks"][0]["id"]
    task_id = sara.complete(task_id, udredning())["next_tasks"][0]["id"]
    first = samples(client.get("/metrics"))
    assert first["sagsflow_workflow_cache_total{result=hit}"] == 2
    assert first.get("sagsflow_workflow_cache_total{result=miss}", 0) == 0
    other_worker = create_app(settings, bootstrap(settings, clock=clock, passwords=Passwords.fast_for_tests()))
    elsewhere = Api(other_worker.test_client(), sara.token)
    elsewhere.complete(task_id, partshoering())
    second = samples(other_worker.test_client().get("/metrics"))
    assert second["sagsflow_workflow_cache_total{result=miss}"] == 1
    assert second.get("sagsflow_workflow_cache_total{result=hit}", 0) == 0


def test_metrics_want_the_bearer_token_when_one_is_set(settings, services):
    client = create_app(dataclasses.replace(settings, metrics_token="hemmeligt"), services).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer forkert"}).status_code == 401
    response = client.get("/metrics", headers={"Authorization": "Bearer hemmeligt"})
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert list(text_string_to_metric_families(response.get_data(as_text=True)))


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/metrics"])
def test_operations_endpoints_need_no_login_and_carry_a_request_id(client, path):
    response = client.get(path, headers={"X-Request-ID": "lb-1234"})
    assert response.status_code in (200, 503) and response.headers["X-Request-ID"] == "lb-1234"
