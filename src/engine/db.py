"""Database plumbing shared by every layer: the declarative base, UTC datetimes, engine creation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, create_engine, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# An execution option of a unit of work that only reads (``UnitOfWork.read_only``).
READ_ONLY = "sagsflow_read_only"


def read_only_options(dialect_name: str) -> dict[str, Any]:
    """The connection options of a unit of work that only reads.

    SQLite: a plain (deferred) BEGIN instead of BEGIN IMMEDIATE (see ``make_engine``).  PostgreSQL: no
    transaction at all (autocommit), which saves the BEGIN and ROLLBACK round trips around a page's one
    query.  Under READ COMMITTED, PostgreSQL's default and ours, each statement reads its own snapshot
    inside a transaction too, so a reader sees exactly what it saw before.  Nothing may write through
    such a connection (``ReadOnlySession``)."""
    if dialect_name == "postgresql":
        return {READ_ONLY: True, "isolation_level": "AUTOCOMMIT"}
    return {READ_ONLY: True}


class ReadOnlyViolation(RuntimeError):
    """A unit of work declared read-only tried to write (a programming error, never a user's)."""


class ReadOnlySession(Session):
    """The session of a unit of work that only reads: it refuses to flush changes or to send DML.

    Its connection is in autocommit on PostgreSQL, where a stray write would be stored at once instead of
    rolled back with the command, so the write must not be sent at all.  (The guard is on this class only:
    the other sessions pay nothing for it.)"""


@event.listens_for(ReadOnlySession, "before_flush")
def _no_flush_when_read_only(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyViolation("a read-only unit of work cannot write")


@event.listens_for(ReadOnlySession, "do_orm_execute")
def _no_dml_when_read_only(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise ReadOnlyViolation("a read-only unit of work cannot write")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime()}


@dataclass(frozen=True)
class PoolSettings:
    """The connection pool of a server database (PostgreSQL), per process.

    A process holds at most ``size + max_overflow`` connections: give it at least one per thread that runs
    commands (gunicorn's threads; a scheduler's timer workers and one more).  A command waits ``timeout``
    seconds for a free connection before it fails; connections older than ``recycle`` seconds are
    replaced (a firewall or PgBouncer may drop idle ones)."""

    size: int = 5
    max_overflow: int = 5
    timeout: int = 30
    recycle: int = 1800


def make_engine(url: str, pool: PoolSettings | None = None, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout so writers queue, not fail."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's BEGIN (below) decide when a transaction starts.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # BEGIN IMMEDIATE takes the write lock up front: two writers serialise instead of
            # one failing late with "database is locked" after reading stale data.  A reader
            # (READ_ONLY) takes no lock and reads WAL's snapshot beside the writer.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

        return engine
    pool = pool or PoolSettings()
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", pool.size)
    kwargs.setdefault("max_overflow", pool.max_overflow)
    kwargs.setdefault("pool_timeout", pool.timeout)
    kwargs.setdefault("pool_recycle", pool.recycle)
    return create_engine(url, **kwargs)


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


def enum_column(enum_type: type[StrEnum], length: int = 20) -> SAEnum:
    """A StrEnum stored as its value in a VARCHAR (no database enum type, no migration per new value)."""
    return SAEnum(
        enum_type,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
