"""The timer sweep fires a batch of instances in one transaction — first all together, and if one fails,
again each in its own SAVEPOINT: an instance that fails is undone alone — in the database and in what the
unit of work held for it (its workflow, its journal lines, its task rows and frister, its events) — and the
rest of the batch commits."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, select, update

from engine.models import ProcessInstance
from tasks import events
from tasks.accounts.model import User
from tasks.cases.model import Case
from tasks.cases.opening import NewCase, open_case
from tasks.cases.reading import get_case
from tasks.definitions.deployment import deploy_files
from tasks.drafts.model import Draft
from tasks.drafts.saving import save_draft
from tasks.frister.model import Deadline
from tasks.handlers import HANDLERS
from tasks.journal.model import JournalEntry
from tasks.service.actors import Actor
from tasks.service.messagebus import MessageBus
from tasks.work.model import HumanTask
from tasks.work.projection import apply_step
from tasks.work.timers import SweepResult, fire_batch, sweep_timers
from tests.conftest import TEST_PROCESSES
from tests.helpers import make_user, sql_sent

AFTER_THE_FRIST = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # every svarfrist (23 Nov + 7 days) has passed


@pytest.fixture
def sara(services) -> Actor:
    paths = [TEST_PROCESSES / "orientering_109.bpmn", TEST_PROCESSES / "timers" / "rute.bpmn"]
    deploy_files(services.uow(), paths, services.clock.now())
    make_user(services, "sara", "sagsbehandler")
    with services.uow() as uow:
        return Actor.of(uow.session.scalars(select(User).where(User.username == "sara")).one())


def open_rute(services, actor: Actor, rute: str) -> int:
    """A case waiting for its svarfrist; when it passes the diagram takes the route ``rute`` — and has
    none for anything but "rykker" and "luk" (the gateway then has no flow to take: the engine refuses)."""
    new = NewCase(process="timer_rute", details={"rute": rute})
    return open_case(services.uow(), actor, new, services.clock.now()).id


def instance_of(services, case_id: int) -> int:
    with services.uow() as uow:
        return uow.session.get_one(Case, case_id).instance_id


def stored(services, case_id: int) -> dict[str, Any]:
    """Everything the database holds about one case and its instance."""
    with services.uow() as uow:
        case = uow.session.get_one(Case, case_id)
        instance = uow.session.get_one(ProcessInstance, case.instance_id)
        return {
            "case": (case.status, case.closed_at),
            "instance": (instance.state, instance.status, instance.lock_version, instance.next_timer_at),
            "tasks": [
                (t.id, t.bpmn_id, t.status, t.active)
                for t in uow.session.scalars(
                    select(HumanTask).where(HumanTask.case_id == case_id).order_by(HumanTask.id)
                )
            ],
            "frister": [
                (d.id, d.state, d.closed_at)
                for d in uow.session.scalars(select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.id))
            ],
            "journal": [
                (e.id, e.action)
                for e in uow.session.scalars(
                    select(JournalEntry).where(JournalEntry.case_id == case_id).order_by(JournalEntry.id)
                )
            ],
        }


def timers_fired(services) -> list[int]:
    with services.uow() as uow:
        query = select(JournalEntry.case_id).where(JournalEntry.action == "timer_fired").order_by(JournalEntry.case_id)
        return list(uow.session.scalars(query))


def task_names(services, actor: Actor, case_id: int) -> list[str]:
    return sorted(t.name for t in get_case(services.uow(), actor, case_id).tasks)


@contextmanager
def commits(services) -> Iterator[list[int]]:
    """Every COMMIT on the services' engine inside the block."""
    seen: list[int] = []

    def record(_conn: object) -> None:
        seen.append(1)

    engine = services.session_factory.kw["bind"]
    event.listen(engine, "commit", record)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", record)


def test_a_batch_of_due_instances_fires_in_one_transaction(services, clock, sara):
    case_ids = [open_rute(services, sara, rute) for rute in ("rykker", "luk", "rykker", "luk", "rykker")]
    clock.set(AFTER_THE_FRIST)
    with commits(services) as committed, sql_sent(services) as sent:
        result = sweep_timers(services, clock.now(), batch=50)
    assert (result.fired, result.failed) == (5, 0)
    assert len(committed) == 1
    # Nothing failed, so no SAVEPOINT was needed (each one flushes), and the rows went out in one flush: the
    # five cancelled task rows in one statement.
    assert [s for s in sent if s.startswith("SAVEPOINT")] == []
    assert len([s for s in sent if s.startswith("UPDATE human_tasks SET")]) == 1
    assert timers_fired(services) == case_ids
    assert [task_names(services, sara, c) for c in case_ids] == [
        ["Ryk for svar"],
        [],
        ["Ryk for svar"],
        [],
        ["Ryk for svar"],
    ]
    assert sweep_timers(services, clock.now()).fired == 0


def test_a_batch_larger_than_the_batch_size_commits_once_per_batch(services, clock, sara):
    for _ in range(5):
        open_rute(services, sara, "rykker")
    clock.set(AFTER_THE_FRIST)
    with commits(services) as committed:
        assert sweep_timers(services, clock.now(), batch=2).fired == 5
    assert len(committed) == 3
    assert len(timers_fired(services)) == 5


def test_an_instance_the_engine_refuses_is_undone_alone_and_tried_again_by_the_next_sweep(
    services, clock, sara, caplog
):
    case_ids = [open_rute(services, sara, rute) for rute in ("rykker", "luk", "ukendt", "rykker", "luk")]
    broken = case_ids[2]
    broken_instance = instance_of(services, broken)
    before = stored(services, broken)
    cache = services.workflow.workflows
    clock.set(AFTER_THE_FRIST)

    with (
        caplog.at_level(logging.ERROR, logger="tasks.work.timers"),
        commits(services) as committed,
        sql_sent(services, transactions=True) as sent,
    ):
        result = sweep_timers(services, clock.now())
    assert (result.fired, result.failed) == (4, 1)
    assert len(committed) == 1  # the others committed together, the failed one inside the same batch
    # First the whole batch without savepoints (rolled back at the refusal), then each in its own.
    _, due, first_try, second_try, *_ = "|".join(sent).split("<begin>")
    assert due.startswith("|SELECT process_instances.id FROM")
    assert "SAVEPOINT" not in first_try and second_try.count("RELEASE SAVEPOINT") == 4
    assert stored(services, broken) == before  # state, tasks, frister and journal as they were
    assert timers_fired(services) == [c for c in case_ids if c != broken]
    assert task_names(services, sara, case_ids[0]) == ["Ryk for svar"]
    assert task_names(services, sara, case_ids[1]) == []
    assert task_names(services, sara, broken) == ["Registrér svar"]
    # Its workflow, moved on in memory before the engine refused, is not kept: the cache would hand it to the
    # next attempt as if it were the stored state (the rollback put lock_version back where it was).
    assert cache.take(broken_instance, before["instance"][2]) is None
    assert [r.getMessage() for r in caplog.records] == [
        f"Timer på instans {broken_instance} fejlede: rute_valg: "
        "Processen kunne ikke fortsætte ved 'Hvilken rute?' (rute_valg); SpiffWorkflow kunne ikke køre elementet"
    ]

    again = sweep_timers(services, clock.now())  # tried again, from the stored state; fails again
    assert (again.fired, again.failed) == (0, 1)
    assert stored(services, broken) == before
    assert len(timers_fired(services)) == 4  # nothing fired twice


def test_a_failing_handler_undoes_its_instance_with_the_journal_lines_and_frister_already_made(services, clock, sara):
    case_ids = [open_rute(services, sara, "rykker") for _ in range(3)]
    broken = case_ids[1]
    before = stored(services, broken)

    def refuse(event: events.TimerFired, _uow: object) -> None:
        if event.case.id == broken:
            raise RuntimeError("a handler that fails")

    # The narrowest seam: the real handlers, and after the journal's own handler for a fired timer (so that
    # instance's journal lines, its cancelled task and its closed frist are made first) one that raises.
    handlers = {**HANDLERS, events.TimerFired: (*HANDLERS[events.TimerFired], refuse)}
    failing = dataclasses.replace(services, bus=MessageBus(handlers))
    clock.set(AFTER_THE_FRIST)
    result = sweep_timers(failing, clock.now())
    assert (result.fired, result.failed) == (2, 1)
    assert stored(services, broken) == before
    assert timers_fired(services) == [case_ids[0], case_ids[2]]
    for case_id in (case_ids[0], case_ids[2]):
        journal = [action for _, action in stored(services, case_id)["journal"]]
        assert journal[-3:] == ["task_cancelled", "timer_fired", "task_created"]

    assert sweep_timers(services, clock.now()).fired == 1  # the next sweep, with handlers that work
    assert task_names(services, sara, broken) == ["Ryk for svar"]
    assert timers_fired(services) == case_ids


def test_instances_of_different_diagrams_fire_in_one_batch_and_none_twice(services, clock, sara):
    new_stay = NewCase(process="orientering_109", stay_started_on=date(2026, 11, 23))
    stay = open_case(services.uow(), sara, new_stay, clock.now()).id
    broken, rykker = (open_rute(services, sara, r) for r in ("ukendt", "rykker"))
    clock.set(AFTER_THE_FRIST)
    assert sweep_timers(services, clock.now()) == SweepResult(fired=2, failed=1)
    assert sweep_timers(services, clock.now()) == SweepResult(fired=0, failed=1)  # only the broken one is tried
    assert task_names(services, sara, stay) == ["Ryk krisecentret for orientering"]
    assert task_names(services, sara, rykker) == ["Ryk for svar"]
    assert timers_fired(services) == sorted([stay, rykker])
    assert broken not in timers_fired(services)


def test_work_undone_by_a_savepoint_can_be_done_again_in_the_same_unit_of_work(services, clock, sara):
    """``UnitOfWork.savepoint`` on its own: what the failed block left in memory is not reused by the next try."""
    case_id = open_rute(services, sara, "rykker")
    instance_id = instance_of(services, case_id)
    clock.set(AFTER_THE_FRIST)
    now = clock.now()

    def fire(uow, fail: bool) -> None:
        with uow.savepoint():
            case, instance = uow.session.get_one(Case, case_id), uow.session.get_one(ProcessInstance, instance_id)
            apply_step(uow, case, instance, uow.instances.fire_timers(instance, now), now)
            uow.dispatch()  # the handlers run: journal lines pending, the svar frist closed, the rykker opened
            if fail:
                raise RuntimeError("undone")

    with services.uow() as uow:
        with pytest.raises(RuntimeError):
            fire(uow, fail=True)
        svar = uow.tasks.active_for_instance(instance_id)
        assert [(t.bpmn_id, t.status) for t in svar] == [("svar", "open")]  # the rykker row it added is gone
        assert [d.closed_at for d in uow.deadlines.open_for_task(svar[0])] == [None]  # the frist it closed is open
        fire(uow, fail=False)
        uow.commit()
    after = stored(services, case_id)
    assert [(bpmn_id, status) for _, bpmn_id, status, _ in after["tasks"]] == [
        ("svar", "cancelled"),
        ("rykker", "open"),
    ]
    assert [state for _, state, _ in after["frister"]] == ["met"]
    assert [action for _, action in after["journal"]].count("timer_fired") == 1
    assert after["instance"][3] is None  # nothing left to fire


def test_frister_added_after_a_mark_are_forgotten_on_restore(services, clock, sara):
    case_id = open_rute(services, sara, "rykker")
    with services.uow() as uow:
        svar = uow.session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one()
        opened = uow.deadlines.open_for_task(svar)
        mark = uow.deadlines.mark()
        uow.deadlines.add(Deadline(case=svar.case, task=svar, rule_id="x", rule="Ekstra", due_at=clock.now()))
        assert len(uow.deadlines.open_for_task(svar)) == len(opened) + 1
        uow.deadlines.restore(mark)
        assert uow.deadlines.open_for_task(svar) == opened


def test_a_failed_savepoint_forgets_the_frister_its_block_added_and_the_unit_of_work_goes_on(services, clock, sara):
    case_id = open_rute(services, sara, "rykker")
    with services.uow() as uow:
        svar = uow.session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)).one()
        opened = uow.deadlines.open_for_task(svar)
        with pytest.raises(RuntimeError), uow.savepoint():
            uow.deadlines.add(Deadline(case=svar.case, task=svar, rule_id="x", rule="Ekstra", due_at=clock.now()))
            raise RuntimeError("the block fails after adding a frist")
        assert uow.deadlines.open_for_task(svar) == opened  # not the rolled-back one, which would be written
        uow.commit()
    with services.uow() as uow:
        assert uow.session.scalars(select(Deadline.rule).where(Deadline.case_id == case_id)).all() == [
            d.rule for d in opened
        ]


def test_a_batch_reads_its_instances_cases_task_rows_and_frister_in_one_statement_each(services, clock, sara):
    case_ids = [open_rute(services, sara, "rykker") for _ in range(4)]
    instance_ids = [instance_of(services, c) for c in case_ids]
    clock.set(AFTER_THE_FRIST)
    with sql_sent(services) as sent:
        outcomes = fire_batch(services.uow(), instance_ids, clock.now())
    assert outcomes == dict.fromkeys(instance_ids, True)
    selects = [s for s in sent if s.startswith("SELECT")]
    assert len([s for s in selects if "FROM process_instances" in s or "FROM cases" in s]) == 1
    assert len([s for s in selects if "FROM human_tasks" in s]) == 1
    assert len([s for s in selects if "FROM deadlines" in s]) == 1
    assert len([s for s in sent if s.startswith("INSERT INTO journal")]) == 1


class Crash(BaseException):
    """The process dies (not an error the sweep may catch: it is no Exception)."""


def test_a_crash_in_the_middle_of_a_batch_commits_none_of_it_and_the_next_sweep_fires_all(services, clock, sara):
    case_ids = [open_rute(services, sara, "rykker") for _ in range(3)]
    before = [stored(services, c) for c in case_ids]

    def crash(event: events.TimerFired, _uow: object) -> None:
        if event.case.id == case_ids[1]:
            raise Crash

    handlers = {**HANDLERS, events.TimerFired: (*HANDLERS[events.TimerFired], crash)}
    clock.set(AFTER_THE_FRIST)
    with pytest.raises(Crash):
        sweep_timers(dataclasses.replace(services, bus=MessageBus(handlers)), clock.now())
    assert [stored(services, c) for c in case_ids] == before  # the first instance fired, but never committed
    assert sweep_timers(services, clock.now()).fired == 3
    assert timers_fired(services) == case_ids


def test_the_drafts_of_the_tasks_a_batch_closed_go_in_one_statement_and_a_failed_instance_keeps_its_own(
    services, clock, sara
):
    case_ids = [open_rute(services, sara, rute) for rute in ("rykker", "ukendt", "luk")]
    for case_id in case_ids:
        (task,) = get_case(services.uow(), sara, case_id).tasks
        save_draft(services.uow(), sara, task.id, {"note": "skrevet før fristen"}, clock.now())
    clock.set(AFTER_THE_FRIST)

    with sql_sent(services, transactions=True) as sent:
        result = sweep_timers(services, clock.now())
    assert (result.fired, result.failed) == (2, 1)
    _, _, first_try, second_try, *_ = "|".join(sent).split("<begin>")
    assert "SAVEPOINT" not in first_try and second_try.count("RELEASE SAVEPOINT") == 2  # each instance alone
    assert second_try.count("DELETE FROM drafts") == 1
    with services.uow() as uow:
        left = uow.session.execute(select(HumanTask.case_id, Draft.data).join(Draft, Draft.task_id == HumanTask.id))
        assert left.tuples().all() == [(case_ids[1], {"note": "skrevet før fristen"})]


def test_what_a_rolled_back_savepoint_queued_for_the_commit_is_not_written(services):
    written: list[list[int]] = []

    def write(_uow: object, items: list[int]) -> None:
        written.append(items)

    with services.uow() as uow:
        uow.write_at_commit(write, 1)
        with pytest.raises(RuntimeError), uow.savepoint():
            uow.write_at_commit(write, 2)
            raise RuntimeError("en handler fejlede")
        with uow.savepoint():
            uow.write_at_commit(write, 3)
        assert written == []  # nothing before the commit
        uow.commit()
    assert written == [[1, 3]]  # once, with everything that was not rolled back


def test_a_batch_writes_its_instances_together_each_row_checked_against_its_version(services, clock, sara):
    case_ids = [open_rute(services, sara, rute) for rute in ("rykker", "luk", "rykker")]
    before = [stored(services, c)["instance"] for c in case_ids]
    clock.set(AFTER_THE_FRIST)
    with sql_sent(services) as sent:
        assert sweep_timers(services, clock.now()).fired == 3
    # One statement per set of changed columns: the two still running, and the one that ended (its status too).
    written = [s for s in sent if s.startswith("UPDATE process_instances")]
    assert len(written) == 2 and sum(s.startswith("UPDATE process_instances SET status") for s in written) == 1
    assert all("WHERE process_instances.id = " in s and "AND process_instances.lock_version = " in s for s in written)
    after = [stored(services, c)["instance"] for c in case_ids]
    for (state, _, version, _), (state_after, _, version_after, _) in zip(before, after, strict=True):
        assert state_after != state and version_after == version + 1
    assert [status for _, status, _, _ in after] == ["running", "completed", "running"]
    assert [task_names(services, sara, c) for c in case_ids] == [["Ryk for svar"], [], ["Ryk for svar"]]


def test_an_instance_written_by_another_command_since_the_batch_read_it_is_not_overwritten(
    services, clock, sara, caplog
):
    case_ids = [open_rute(services, sara, "rykker") for _ in range(3)]
    raced = instance_of(services, case_ids[1])
    before = stored(services, case_ids[1])

    def another_writer(event: events.TimerFired, uow: Any) -> None:
        """As if another command had stored the instance after the batch read it (the batch holds its row
        lock, so this is the version check's own test: the write goes round the session)."""
        if event.case.id == case_ids[1]:
            table = ProcessInstance.__table__
            bump = update(table).where(table.c.id == raced).values(lock_version=table.c.lock_version + 1)
            uow.session.connection().execute(bump)

    handlers = {**HANDLERS, events.TimerFired: (*HANDLERS[events.TimerFired], another_writer)}
    clock.set(AFTER_THE_FRIST)
    with caplog.at_level(logging.ERROR, logger="tasks.work.timers"):
        result = sweep_timers(dataclasses.replace(services, bus=MessageBus(handlers)), clock.now())
    assert (result.fired, result.failed) == (2, 1)
    (logged,) = [r.getMessage() for r in caplog.records]
    assert logged.startswith(f"Timer på instans {raced} fejlede: StaleDataError")
    assert stored(services, case_ids[1]) == before  # neither the batch's state nor the other writer's bump
    assert timers_fired(services) == [case_ids[0], case_ids[2]]
    assert sweep_timers(services, clock.now()).fired == 1  # the next sweep fires it
