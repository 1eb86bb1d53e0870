"""Durable timers: boundary timers fire on time from the sweep, once, across restarts and racing sweeps."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tasks.accounts.model import User
from tasks.cases.opening import NewCase, open_case
from tasks.cases.reading import get_case
from tasks.definitions.deployment import deploy_files
from tasks.journal.model import JournalEntry
from tasks.service.actors import Actor
from tasks.work.completion import complete_task
from tasks.work.timers import sweep_timers
from tests.conftest import POSTGRES_URL, TEST_PROCESSES
from tests.helpers import make_user
from web.bootstrap import bootstrap


@pytest.fixture
def sara(services) -> Actor:
    deploy_files(services.uow(), sorted(TEST_PROCESSES.glob("*.bpmn")), services.clock.now())
    make_user(services, "sara", "sagsbehandler")
    with services.uow() as uow:
        return Actor.of(uow.session.scalar(select(User).where(User.username == "sara")))


def open_stay(services, actor, process: str, stay_started_on: str | None = None) -> int:
    started = date.fromisoformat(stay_started_on) if stay_started_on else None
    case = open_case(services.uow(), actor, NewCase(process=process, stay_started_on=started), services.clock.now())
    return case.id


def task_names(services, actor, case_id: int) -> list[str]:
    return sorted(t.name for t in get_case(services.uow(), actor, case_id).tasks)


def fired_count(services) -> int:
    with services.uow() as uow:
        query = select(func.count()).select_from(JournalEntry).where(JournalEntry.action == "timer_fired")
        return uow.session.scalar(query)


def test_interrupting_timer_three_hverdage_across_easter_cancels_the_task(services, clock, sara):
    clock.set(datetime(2026, 4, 1, 10, 0, tzinfo=UTC))  # Wednesday before Easter
    case_id = open_stay(services, sara, "orientering_109", stay_started_on="2026-04-01")
    task = get_case(services.uow(), sara, case_id).tasks[0]
    assert task.due_at == datetime(2026, 4, 9, 21, 59, 59, tzinfo=UTC)  # Thursday after Easter, 23:59:59 local
    assert task.frist_rule == "§ 109: orientering inden 3 hverdage"

    clock.set(datetime(2026, 4, 9, 21, 0, tzinfo=UTC))
    assert sweep_timers(services, clock.now()).fired == 0
    clock.set(datetime(2026, 4, 10, 6, 0, tzinfo=UTC))
    assert sweep_timers(services, clock.now()).fired == 1
    assert task_names(services, sara, case_id) == ["Ryk krisecentret for orientering"]
    case = get_case(services.uow(), sara, case_id)
    assert [(d.rule, d.state) for d in case.deadlines] == [("§ 109: orientering inden 3 hverdage", "met")]


def test_non_interrupting_timer_adds_a_reminder_and_keeps_the_task(services, clock, sara):
    case_id = open_stay(services, sara, "opholdsplan_110")
    clock.set(datetime(2026, 12, 8, 7, 0, tzinfo=UTC))  # received Mon 23 Nov + 14 days = Mon 7 Dec
    assert sweep_timers(services, clock.now()).fired == 1
    assert task_names(services, sara, case_id) == ["Påmindelse: opholdsplan mangler", "Udarbejd opholdsplan"]
    plan = next(t for t in get_case(services.uow(), sara, case_id).tasks if t.name == "Udarbejd opholdsplan")
    assert plan.frist_state == "overdue"
    complete_task(services.uow(), sara, plan.id, {}, clock.now())
    case = get_case(services.uow(), sara, case_id)
    assert [t.name for t in case.tasks] == ["Påmindelse: opholdsplan mangler"]
    assert [(d.rule_id, d.state) for d in case.deadlines] == [("task:opholdsplan", "late")]


def test_completing_before_the_frist_means_the_timer_never_fires(services, clock, sara):
    case_id = open_stay(services, sara, "klage_genvurdering")
    task = get_case(services.uow(), sara, case_id).tasks[0]
    assert task.due_at == datetime(2026, 12, 21, 22, 59, 59, tzinfo=UTC)  # 4 weeks after Monday 23 November
    complete_task(services.uow(), sara, task.id, {"note": "Fastholdt"}, clock.now())
    clock.set(datetime(2027, 6, 1, tzinfo=UTC))
    assert sweep_timers(services, clock.now()).fired == 0
    case = get_case(services.uow(), sara, case_id)
    assert case.status == "closed" and [d.state for d in case.deadlines] == ["met"]


def test_a_timer_due_during_a_scheduler_outage_fires_once_after_restart(services, settings, clock, sara):
    case_ids = [open_stay(services, sara, "orientering_109", stay_started_on="2026-11-23") for _ in range(3)]
    # The scheduler is down from now on; three hverdage pass (due Thursday 26 November, end of day).
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    restarted = bootstrap(settings, clock=clock)  # a new process: empty caches, same database
    assert sweep_timers(restarted, clock.now()).fired == 3
    assert sweep_timers(restarted, clock.now()).fired == 0
    assert sweep_timers(services, clock.now()).fired == 0
    assert fired_count(services) == 3
    for case_id in case_ids:
        assert task_names(restarted, sara, case_id) == ["Ryk krisecentret for orientering"]


@pytest.mark.skipif(not POSTGRES_URL, reason="two sweeping processes need PostgreSQL (SKIP LOCKED)")
def test_two_sweeps_racing_on_postgresql_fire_each_timer_once(services, settings, clock, sara):
    count = 12
    for _ in range(count):
        open_stay(services, sara, "orientering_109", stay_started_on="2026-11-23")
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    schedulers = [bootstrap(settings, clock=clock) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def sweep(scheduler) -> None:
        barrier.wait()
        results.append(sweep_timers(scheduler, clock.now()).fired)

    threads = [threading.Thread(target=sweep, args=(s,)) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == count
    assert fired_count(services) == count


def test_one_sweep_firing_from_several_threads_fires_each_timer_once(services, clock, sara):
    count = 9
    for _ in range(count):
        open_stay(services, sara, "orientering_109", stay_started_on="2026-11-23")
    clock.set(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert sweep_timers(services, clock.now(), batch=4, workers=3).fired == count
    assert sweep_timers(services, clock.now(), workers=3).fired == 0
    assert fired_count(services) == count
