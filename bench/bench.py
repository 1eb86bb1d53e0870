"""Sagsflow benchmark: run with `make bench` (or `python bench/bench.py`).

Prints, in one run, on the shipped sagsbehandling.bpmn:
  1. instances/s driven through the whole pathway by raw SpiffWorkflow in memory,
  2. the same through Sagsflow's service layer with the database (SQLite file), and the ratio,
  3. the inbox query's median and p95 latency with 100 000 open tasks seeded,
  4. the state size after 1 and after 1 000 opfølgning rounds,
  5. timers: time to fire 10 000 due timers, and one sweep's cost with 100 000 instances not due,
  6. the FEEL evaluator's cost per call: a condition, a deadline() call, a DMN table.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine import feel  # noqa: E402
from engine.clock import FrozenClock  # noqa: E402
from engine.decisions import parse_decision  # noqa: E402
from engine.diagrams import parse_diagram  # noqa: E402
from engine.instances import WorkflowCache  # noqa: E402
from engine.models import ProcessInstance  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.spiff import engine_time  # noqa: E402
from tasks.accounts.model import User  # noqa: E402
from tasks.cases.model import Case  # noqa: E402
from tasks.cases.opening import NewCase, open_case  # noqa: E402
from tasks.cases.reading import get_case  # noqa: E402
from tasks.kvalitetsstandard.settings import load_standard  # noqa: E402
from tasks.pathways.sagsbehandling import start_data as case_start_data  # noqa: E402
from tasks.service.actors import Actor  # noqa: E402
from tasks.work.completion import complete_task  # noqa: E402
from tasks.work.inbox import InboxFilter, list_tasks  # noqa: E402
from tasks.work.model import NO_DUE, HumanTask  # noqa: E402
from tasks.work.timers import sweep_timers  # noqa: E402
from tests.helpers import (  # noqa: E402
    afgoerelse,
    bevilling,
    henvendelse,
    make_user,
    opfoelgning,
    partshoering,
    udredning,
)
from web.bootstrap import bootstrap  # noqa: E402
from web.config import Settings  # noqa: E402
from web.database import migrate  # noqa: E402
from web.startup import deploy_processes  # noqa: E402

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
START_DATA = {
    "ydelse": "SEL § 85",
    **case_start_data("SEL § 85", START, load_standard(ROOT / "processes")),
}
PATHWAY = [
    henvendelse(),
    udredning(),
    partshoering(),
    {"svar_modtaget": "2026-11-30"},
    afgoerelse("bevilling"),
    bevilling(),
    opfoelgning(continues=False),
]


def raw_in_memory(n: int) -> float:
    """Instances/s with plain SpiffWorkflow (do_engine_steps): same diagram, same data, FEEL script engine."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    from engine.feel.spiff_engine import FeelScriptEngine

    diagram = parse_diagram((ROOT / "processes" / "sagsbehandling.bpmn").read_text(encoding="utf-8"))
    script_engine = FeelScriptEngine(conditions=diagram.condition_owners)
    started = time.perf_counter()
    with engine_time(START):
        for _ in range(n):
            workflow = BpmnWorkflow(diagram.spec, diagram.subprocess_specs, script_engine=script_engine)
            workflow.task_tree.data.update(START_DATA)
            workflow.do_engine_steps()
            for data in PATHWAY:
                task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
                task.set_data(**data)
                task.run()
                workflow.do_engine_steps()
            assert workflow.is_completed()
    return n / (time.perf_counter() - started)


def runtime_in_memory(n: int) -> float:
    """Instances/s through Sagsflow's engine runtime (budget, events, Step per command), no database."""
    diagram = parse_diagram((ROOT / "processes" / "sagsbehandling.bpmn").read_text(encoding="utf-8"))
    runtime = Runtime()
    workflow, _ = runtime.start(diagram, START_DATA, START)  # warm the caches outside the timing
    started = time.perf_counter()
    for _ in range(n):
        workflow, step = runtime.start(diagram, START_DATA, START)
        for data in PATHWAY:
            step = runtime.complete(workflow, diagram, step.ready[0].spiff_id, data, START)
        assert step.finished
    return n / (time.perf_counter() - started)


def feel_call_microseconds(n: int) -> dict[str, float]:
    """The FEEL evaluator's cost per call (parsed once and cached, as in the engine)."""
    context = {"udfald": "bevilling", "ydelse": "SEL § 85", "received_on": "2026-11-23"}
    condition = feel.expression('udfald = "afslag"')
    deadline = feel.expression("deadline(start: received_on, weeks: 4)")
    table = parse_decision((ROOT / "processes" / "kvalitetsstandard" / "opfoelgningskadence.dmn").read_text("utf-8"))
    calls = {
        "condition": lambda: condition.evaluate(context),
        "deadline": lambda: deadline.evaluate(context),
        "dmn": lambda: table.evaluate(context),  # uncached: every rule's cells are tested
    }
    costs = {}
    for name, call in calls.items():
        call()
        started = time.perf_counter()
        for _ in range(n):
            call()
        costs[name] = (time.perf_counter() - started) / n * 1e6
    return costs


def new_services(folder: Path):
    url = f"sqlite:///{folder / 'bench.db'}"
    migrate(url)
    services = bootstrap(Settings(database_url=url), clock=FrozenClock(START))
    deploy_processes(services, ROOT / "processes")
    make_user(services, "bench", "sagsbehandler", team="Team 1")
    with services.uow() as uow:
        actor = Actor.of(uow.session.scalar(select(User).where(User.username == "bench")))
    return services, actor


def persisted(services, actor, n: int) -> float:
    """Instances/s through open_case + complete_task: one transaction per command, SQLite file."""
    now = services.clock.now()
    started = time.perf_counter()
    for _ in range(n):
        case = open_case(services.uow(), actor, NewCase(ydelse="SEL § 85"), now)
        task_id = case.tasks[0].id
        for data in PATHWAY:
            result = complete_task(services.uow(), actor, task_id, data, now)
            task_id = result.next_tasks[0].id if result.next_tasks else None
        assert result.case_status == "closed"
    return n / (time.perf_counter() - started)


def seed_open_tasks(services, count: int, teams: int = 10) -> None:
    """Bulk-insert ``count`` open tasks over ``teams`` teams, with varied frister."""
    now = services.clock.now()
    with services.uow() as uow:
        version_id = uow.definitions.active("sagsbehandling").id
        user_id = uow.session.scalar(select(User.id))
        first = (uow.session.scalar(select(ProcessInstance.id).order_by(ProcessInstance.id.desc())) or 0) + 1
        chunk = 10_000
        for offset in range(0, count, chunk):
            ids = range(first + offset, first + min(offset + chunk, count))
            uow.session.execute(
                insert(ProcessInstance),
                [
                    {
                        "id": i,
                        "version_id": version_id,
                        "status": "running",
                        "state": "{}",
                        "lock_version": 1,
                        "task_count": 1,
                        "started_at": now,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            uow.session.execute(
                insert(Case),
                [
                    {
                        "id": i,
                        "reference": f"BENCH-{i}",
                        "process_key": "sagsbehandling",
                        "instance_id": i,
                        "team": f"Team {i % teams}",
                        "status": "open",
                        "title": "",
                        "received_at": now,
                        "opened_at": now,
                        "opened_by_id": user_id,
                        "details": {},
                    }
                    for i in ids
                ],
            )
            uow.session.execute(
                insert(HumanTask),
                [
                    {
                        "case_id": i,
                        "instance_id": i,
                        "spiff_task_id": f"bench-{i}",
                        "bpmn_id": "udredning",
                        "name": "Udredning (VUM 2.0)",
                        "role": "sagsbehandler" if i % 5 else "faglig_konsulent",
                        "team": f"Team {i % teams}",
                        "form": None,
                        "status": "open",
                        "active": True,
                        "due_at": None if i % 7 == 0 else now + timedelta(hours=i % 2000),
                        "sort_due": NO_DUE if i % 7 == 0 else now + timedelta(hours=i % 2000),
                        "created_at": now,
                    }
                    for i in ids
                ],
            )
        uow.commit()


def inbox_latency(services, actor, runs: int = 300) -> tuple[float, float]:
    timings = []
    for i in range(runs):
        wanted = InboxFilter() if i % 2 == 0 else InboxFilter(due_before=START + timedelta(days=30))
        started = time.perf_counter()
        tasks = list_tasks(services.uow(), actor, wanted)
        timings.append((time.perf_counter() - started) * 1000)
        assert tasks
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def state_sizes(services, actor) -> dict[int, tuple[int, int]]:
    now = services.clock.now()
    case = open_case(services.uow(), actor, NewCase(ydelse="SEL § 108"), now)
    for data in PATHWAY[:-1]:
        complete_task(services.uow(), actor, case.tasks[0].id, data, now)
        case = get_case(services.uow(), actor, case.id)
    sizes = {}
    for round_number in range(1, 1001):
        complete_task(services.uow(), actor, case.tasks[0].id, opfoelgning(continues=True), now)
        case = get_case(services.uow(), actor, case.id)
        if round_number in (1, 1000):
            with services.uow() as uow:
                instance_id = uow.session.get(Case, case.id).instance_id
                instance = uow.session.get(ProcessInstance, instance_id)
                sizes[round_number] = (len(instance.state), instance.task_count)
    return sizes


def timers(services, actor, due: int, idle: int) -> tuple[float, float]:
    """Fire ``due`` partshøring timers; then time one sweep over ``idle`` instances not due."""
    clock = services.clock
    now = clock.now()
    for _ in range(due):
        case = open_case(services.uow(), actor, NewCase(ydelse="SEL § 85"), now)
        for data in PATHWAY[:3]:
            case_task = complete_task(services.uow(), actor, case.tasks[0].id, data, now)
            case = get_case(services.uow(), actor, case.id)
        del case_task
    with services.uow() as uow:
        uow.session.execute(
            ProcessInstance.__table__.update()
            .where(ProcessInstance.state == "{}")
            .values(next_timer_at=now + timedelta(days=3650))
        )
        uow.commit()
    # cold cache: measure loads too
    services = dataclasses.replace(services, workflow=dataclasses.replace(services.workflow, workflows=WorkflowCache()))
    started = time.perf_counter()
    result = sweep_timers(services, now + timedelta(days=30))
    fire_seconds = time.perf_counter() - started
    assert result.fired == due, result
    started = time.perf_counter()
    sweep_timers(services, now + timedelta(days=31))
    idle_ms = (time.perf_counter() - started) * 1000
    del idle
    return fire_seconds, idle_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--open-tasks", type=int, default=100_000)
    parser.add_argument("--timers", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="small numbers, for a smoke run")
    args = parser.parse_args()
    if args.quick:
        args.instances, args.open_tasks, args.timers = 20, 2_000, 50

    with tempfile.TemporaryDirectory() as tmp:
        services, actor = new_services(Path(tmp))
        raw = raw_in_memory(args.instances)
        engine_only = runtime_in_memory(args.instances)
        costs = feel_call_microseconds(20_000 if not args.quick else 500)
        db = persisted(services, actor, args.instances)
        print(f"pathway, raw SpiffWorkflow in memory : {raw:8.1f} instances/s")
        print(f"pathway, Sagsflow runtime in memory   : {engine_only:8.1f} instances/s")
        print(f'FEEL condition udfald = "afslag"     : {costs["condition"]:8.2f} µs per call')
        print(f"FEEL deadline(start: .., weeks: 4)    : {costs['deadline']:8.2f} µs per call")
        print(f"FEEL DMN table (11 rules), uncached   : {costs['dmn']:8.2f} µs per call")
        print("  (the removed worker process          :   143    µs per call, README's previous figure)")
        print(f"pathway, Sagsflow service layer + DB  : {db:8.1f} instances/s  (ratio {db / raw:.0%})")
        sizes = state_sizes(services, actor)
        print(f"state after 1 round                   : {sizes[1][0]:8d} bytes, {sizes[1][1]} tasks")
        print(f"state after 1000 rounds               : {sizes[1000][0]:8d} bytes, {sizes[1000][1]} tasks")
    with tempfile.TemporaryDirectory() as tmp:
        services, actor = new_services(Path(tmp))
        seed_open_tasks(services, args.open_tasks)
        median, p95 = inbox_latency(services, actor)
        print(f"inbox, {args.open_tasks} open tasks           : median {median:.2f} ms, p95 {p95:.2f} ms")
        fire_seconds, idle_ms = timers(services, actor, args.timers, args.open_tasks)
        print(
            f"fire {args.timers} due timers               : {fire_seconds:.2f} s ({args.timers / fire_seconds:.0f}/s)"
        )
        print(f"one sweep, {args.open_tasks} instances not due : {idle_ms:.2f} ms")


if __name__ == "__main__":
    main()
