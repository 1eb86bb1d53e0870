"""Shared fixtures: a real database per test (SQLite file, or PostgreSQL when configured),
a frozen clock, the services, the Flask app and an API client that logs in as demo users."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from engine.clock import FrozenClock
from tasks.uow import Services
from web.app import build_services, create_app
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


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate once; every test copies the migrated file (the schema is the same for all)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    if POSTGRES_URL:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES_URL}{'&' if '?' in POSTGRES_URL else '?'}options=-csearch_path%3D{schema}"
        migrate(url)
        yield url
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        path = tmp_path / "sagsflow.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, processes_dir=PROCESSES, secret_key="test")


@pytest.fixture
def services(settings: Settings, clock: FrozenClock) -> Iterator[Services]:
    services = build_services(settings, clock)
    deploy_processes(services, PROCESSES)
    yield services
    services.session_factory.kw["bind"].dispose()


@pytest.fixture
def app(settings: Settings, services: Services):
    return create_app(settings, services)


@pytest.fixture
def client(app):
    return app.test_client()
