"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when configured),
a frozen clock, the services, the Flask app and an API client that logs in as demo users."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from engine.clock import FrozenClock
from tasks.accounts.passwords import Passwords
from tasks.service.services import Services
from tests.helpers import Api, make_user
from tests.smtp import SmtpServer
from web.app import create_app
from web.bootstrap import bootstrap
from web.config import Settings
from web.database import migrate
from web.startup import deploy_processes

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = ROOT / "processes"
TEST_PROCESSES = ROOT / "tests" / "processes"
POSTGRES_URL = os.environ.get("SAGSFLOW_TEST_POSTGRES_URL")
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="session", autouse=True)
def no_cpr_in_logs() -> Iterator[None]:
    """Every record the whole run logs at INFO or above passes a CPR check (tests/log_watch.py)."""
    import logging

    from tests.log_watch import CprWatch

    watch, root = CprWatch(), logging.getLogger()
    old_level = root.level
    root.addHandler(watch)
    root.setLevel(logging.INFO)
    logging.getLogger("spiff").setLevel(logging.WARNING)
    yield
    root.removeHandler(watch)
    root.setLevel(old_level)
    if verdict := watch.verdict():
        pytest.fail(verdict)


@pytest.fixture(autouse=True)
def no_lasting_log_handlers() -> Iterator[None]:
    """A CLI test configures the service's JSON log handler on the root logger; take it off again."""
    yield
    import logging

    from web.logs import HANDLER_NAME

    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)


@pytest.fixture(autouse=True)
def ready_tasks_match_the_walk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """In every test, every lookup of ready tasks (``engine.spiff.ready_tasks``, found in the flat task maps)
    is checked against SpiffWorkflow's own walk of the tree: the same tasks in the same order.  A mismatch is
    recorded and fails the test at the end (an assertion inside the engine could be caught as a failing
    instance)."""
    from SpiffWorkflow.util.task import TaskState

    import engine.runtime
    import engine.spiff

    fast, mismatches = engine.spiff.ready_tasks, []

    def checked(workflow: object, manual: bool | None = None) -> list[object]:
        found = fast(workflow, manual)
        walked = workflow.get_tasks(state=TaskState.READY, manual=manual)  # type: ignore[attr-defined]
        if found != walked:
            mismatches.append((manual, [t.task_spec.name for t in found], [t.task_spec.name for t in walked]))
        return found

    monkeypatch.setattr(engine.spiff, "ready_tasks", checked)
    monkeypatch.setattr(engine.runtime, "ready_tasks", checked)
    yield
    assert not mismatches, f"ready_tasks differs from SpiffWorkflow's walk: {mismatches[:3]}"


@dataclass(frozen=True)
class Templates:
    """Databases prepared once per test session; every test gets a fresh copy of one of them."""

    empty: str  # migrated only
    deployed: str  # migrated, with the shipped processes and decision tables deployed


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    if POSTGRES_URL:
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        names = Templates(f"tpl_empty_{uuid.uuid4().hex[:8]}", f"tpl_deployed_{uuid.uuid4().hex[:8]}")
        for name in (names.empty, names.deployed):
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            migrate(_pg_database(name))
        _deploy_shipped(_pg_database(names.deployed))
        yield names
        for name in (names.empty, names.deployed):
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        folder = tmp_path_factory.mktemp("templates")
        empty, deployed = folder / "empty.db", folder / "deployed.db"
        migrate(f"sqlite:///{empty}")
        shutil.copy(empty, deployed)
        _deploy_shipped(f"sqlite:///{deployed}")
        yield Templates(str(empty), str(deployed))


def _pg_database(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _deploy_shipped(url: str) -> None:
    services = bootstrap(Settings(database_url=url, processes_dir=PROCESSES), clock=FrozenClock(START))
    deploy_processes(services, PROCESSES)
    services.session_factory.kw["bind"].dispose()


def _fresh_copy(template: str, tmp_path: Path) -> Iterator[str]:
    if POSTGRES_URL:
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        yield _pg_database(name)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path / "sagsflow.db"
        shutil.copy(template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def empty_database_url(tmp_path: Path, templates: Templates) -> Iterator[str]:
    """A migrated database with nothing deployed."""
    yield from _fresh_copy(templates.empty, tmp_path)


@pytest.fixture
def database_url(tmp_path: Path, templates: Templates) -> Iterator[str]:
    """A migrated database with the shipped processes and tables deployed (as after the first start)."""
    yield from _fresh_copy(templates.deployed, tmp_path)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, processes_dir=PROCESSES, secret_key="test")


@pytest.fixture
def services(settings: Settings, clock: FrozenClock) -> Iterator[Services]:
    services = bootstrap(settings, clock=clock, passwords=Passwords.fast_for_tests())
    yield services
    services.session_factory.kw["bind"].dispose()


@pytest.fixture
def app(settings: Settings, services: Services):
    return create_app(settings, services)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sara(services: Services, client) -> Api:
    """The API as Sara, a sagsbehandler in Team Nord (most tests' main character)."""
    make_user(services, "sara", "sagsbehandler")
    return Api.login(client, "sara")


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
