"""Two writers at once: one wins, the other gets a clean conflict; nothing is lost or doubled."""

from __future__ import annotations

import threading
import time
from uuid import UUID

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm.exc import StaleDataError

from engine.db import ReadOnlyViolation
from engine.models import ProcessInstance
from tasks.cases.opening import NewCase, open_case
from tasks.journal.model import JournalEntry
from tasks.service.actors import Actor
from tasks.service.errors import Conflict
from tasks.work.completion import complete_task
from tasks.work.inbox import InboxFilter, list_tasks
from tasks.work.model import HumanTask
from tests.conftest import POSTGRES_URL
from tests.helpers import actor, henvendelse, make_user


def test_two_users_completing_the_same_task_at_once_complete_it_exactly_once(services):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "soeren", "sagsbehandler")
    sara, soeren = actor(services, "sara"), actor(services, "soeren")
    case = open_case(services.uow(), sara, NewCase(title="Samtidig", ydelse="SEL § 85"), services.clock.now())
    task_id = case.tasks[0].id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(who: Actor) -> None:
        barrier.wait()
        try:
            complete_task(services.uow(), who, task_id, henvendelse(), services.clock.now())
            outcomes.append("completed")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(a,)) for a in (sara, soeren)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["completed", "conflict"]
    with services.uow() as uow:
        completions = uow.session.scalar(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.action == "task_completed")
        )
        open_rows = uow.session.scalars(select(HumanTask.name).where(HumanTask.active.is_(True))).all()
    assert completions == 1
    assert open_rows == ["Udredning (VUM 2.0)"]


def test_the_inbox_answers_while_another_command_holds_the_write_lock_and_shows_what_was_committed(services):
    """A reader takes no write lock (``UnitOfWork.read_only``): on SQLite, where a writer's transaction holds
    the database's write lock from BEGIN, the inbox would otherwise wait for the writer (30 s busy timeout)."""
    make_user(services, "sara", "sagsbehandler")
    sara = actor(services, "sara")
    open_case(services.uow(), sara, NewCase(title="Læses", ydelse="SEL § 85"), services.clock.now())
    with services.uow() as writer:  # a command in flight: it has written and not committed
        row = writer.session.scalars(select(HumanTask).where(HumanTask.active.is_(True))).one()
        row.name = "Ændret, ikke gemt"
        writer.session.flush()

        tasks = list_tasks(services.uow(), sara, InboxFilter())

        assert [t.name for t in tasks] == ["Vurdér henvendelse"]  # the committed name, not the writer's


def test_a_read_only_command_cannot_commit(services):
    with pytest.raises(RuntimeError, match="read-only"), services.uow().read_only() as uow:
        uow.commit()


def test_a_read_only_command_cannot_write_and_the_data_stays_as_it_was(services):
    """On PostgreSQL a reader runs in autocommit, where a write would be stored at once: it is refused."""
    make_user(services, "sara", "sagsbehandler")
    sara = actor(services, "sara")
    open_case(services.uow(), sara, NewCase(title="Læses", ydelse="SEL § 85"), services.clock.now())

    with pytest.raises(ReadOnlyViolation), services.uow().read_only() as uow:
        uow.session.scalars(select(HumanTask)).one().name = "Skrevet af en læser"
        uow.session.flush()
    with pytest.raises(ReadOnlyViolation), services.uow().read_only() as uow:
        uow.session.execute(update(HumanTask).values(name="Skrevet af en læser"))
    with pytest.raises(ReadOnlyViolation), services.uow().read_only() as uow:
        uow.session.execute(delete(JournalEntry))

    assert [t.name for t in list_tasks(services.uow(), sara, InboxFilter())] == ["Vurdér henvendelse"]
    with services.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(JournalEntry)) > 0


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's transaction status")
def test_a_reader_on_postgresql_opens_no_transaction(services):
    """The inbox's one query needs no BEGIN and ROLLBACK around it: two round trips fewer per page."""
    with services.uow().read_only() as uow:
        assert uow.session.scalar(select(func.count()).select_from(HumanTask)) == 0
        driver = uow.session.connection().connection.dbapi_connection
        assert driver.info.transaction_status.name == "IDLE"
    with services.uow() as uow:  # a command's connection is in a transaction again
        uow.session.scalar(select(func.count()).select_from(HumanTask))
        driver = uow.session.connection().connection.dbapi_connection
        assert driver.info.transaction_status.name == "INTRANS"


def test_an_instance_moved_on_by_another_writer_is_not_overwritten(services):
    """The engine's state is written with a version-checked UPDATE (``lock_version``): a command that read the
    instance before another writer moved it on stores nothing and fails."""
    make_user(services, "sara", "sagsbehandler")
    sara = actor(services, "sara")
    case = open_case(services.uow(), sara, NewCase(title="Forældet", ydelse="SEL § 85"), services.clock.now())
    with services.uow() as uow:
        task = uow.session.get_one(HumanTask, case.tasks[0].id)
        instance = uow.instances.get(task.instance_id)
        read_version = instance.lock_version
        # Another writer's commit, behind this command's back (its object still holds the version it read).
        uow.session.connection().execute(
            update(ProcessInstance).where(ProcessInstance.id == instance.id).values(lock_version=read_version + 1)
        )
        uow.instances.complete_task(instance, UUID(task.spiff_task_id), henvendelse(), services.clock.now())
        with pytest.raises(StaleDataError):  # the UPDATE matched no row: the other writer's state stays
            uow.session.flush()


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's row locks")
def test_a_completion_waits_for_the_instance_before_it_locks_the_task_a_timer_may_change(services):
    """A timer sweep (or a message) locks the instance, then changes its tasks; a completion that locked its task
    first and then waited for the instance would deadlock with it (PostgreSQL aborts one after a second).  The
    completion locks the instance first: while a sweep holds the instance, the task stays free for the sweep."""
    make_user(services, "sara", "sagsbehandler")
    sara = actor(services, "sara")
    case = open_case(
        services.uow(), sara, NewCase(title="Timer og afslutning", ydelse="SEL § 85"), services.clock.now()
    )
    task_id = case.tasks[0].id
    engine = services.session_factory.kw["bind"]
    outcome: list[object] = []
    with engine.connect() as sweep:
        instance_id = sweep.scalar(select(HumanTask.instance_id).where(HumanTask.id == task_id))
        sweep.execute(select(ProcessInstance.id).where(ProcessInstance.id == instance_id).with_for_update())

        def complete() -> None:
            outcome.append(complete_task(services.uow(), sara, task_id, henvendelse(), services.clock.now()))

        worker = threading.Thread(target=complete)
        worker.start()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as watcher:
            waiting = (
                select(func.count())
                .select_from(text("pg_stat_activity"))
                .where(text("wait_event_type = 'Lock' AND datname = current_database()"))
            )
            deadline = time.monotonic() + 30
            while watcher.scalar(waiting) == 0:  # until the completion waits for the instance
                assert time.monotonic() < deadline, "the completion never waited for the instance"
        # What the sweep does next: change the task (here: lock it, without waiting).
        sweep.execute(select(HumanTask.id).where(HumanTask.id == task_id).with_for_update(nowait=True))
        sweep.commit()
    worker.join()
    assert [type(o).__name__ for o in outcome] == ["Completed"]
