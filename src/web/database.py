"""Create the database schema with Alembic and wire the services."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate(database_url: str) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    command.upgrade(alembic_config(database_url), "head")


def schema_is_current(session_factory: sessionmaker) -> bool:
    """Whether the database's Alembic revision is the newest one shipped (raises when unreachable)."""
    with session_factory.kw["bind"].connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == _heads()


@lru_cache(maxsize=1)
def _heads() -> set[str]:
    return set(ScriptDirectory(str(MIGRATIONS)).get_heads())


def dispose(engine: Engine) -> None:
    engine.dispose()
