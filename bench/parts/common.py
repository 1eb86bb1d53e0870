"""What every part of the benchmark shares: the start moment, the pathway's form data, services on a database."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, make_url, select, text

from engine.clock import FrozenClock
from tasks.accounts.model import User
from tasks.accounts.passwords import Passwords
from tasks.service.actors import Actor
from tasks.service.services import Services
from tests.helpers import (
    afgoerelse,
    bevilling,
    henvendelse,
    make_user,
    opfoelgning,
    ophoer_uden_partshoering,
    partshoering,
    udredning,
)
from web.bootstrap import bootstrap
from web.config import Settings
from web.database import migrate
from web.startup import deploy_processes

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PATHWAY = [
    henvendelse(),
    udredning(),
    partshoering(),
    {"svar_modtaget": "2026-11-30"},
    afgoerelse("bevilling"),
    bevilling(),
    opfoelgning(continues=False),
    *ophoer_uden_partshoering(),  # an ophør is an afgørelse of its own (case record I)
]


def fresh_database(base_url: str | None, folder: Path, name: str) -> str:
    """A new empty database: a SQLite file in ``folder``, or a new database on the PostgreSQL server."""
    if base_url is None:
        return f"sqlite:///{folder / f'{name}.db'}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def new_services(url: str) -> tuple[Services, Actor]:
    """Migrated, the shipped processes deployed, one sagsbehandler 'bench' in Team 1."""
    migrate(url)
    services = bootstrap(Settings(database_url=url), clock=FrozenClock(START), passwords=Passwords.fast_for_tests())
    deploy_processes(services, ROOT / "processes")
    make_user(services, "bench", "sagsbehandler", team="Team 1")
    with services.uow() as uow:
        actor = Actor.of(uow.session.scalars(select(User).where(User.username == "bench")).one())
    return services, actor


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float]) -> list[float]:
    """The lowest and highest of a phase's rounds, to print beside their median."""
    return [round(min(values), 1), round(max(values), 1)]
