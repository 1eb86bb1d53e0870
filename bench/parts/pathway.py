"""The main pathway driven three ways: raw SpiffWorkflow in memory, Sagsflow's runtime in memory, and the
service layer on a database (every command its own transaction) — the ratio the performance goal is about."""

from __future__ import annotations

import time

from bench.parts.common import PATHWAY, ROOT, START
from engine import feel
from engine.decisions import parse_decision
from engine.diagrams import parse_diagram
from engine.models import ProcessInstance
from engine.runtime import Runtime
from engine.spiff import engine_time
from tasks.cases.model import Case
from tasks.cases.opening import NewCase, open_case
from tasks.cases.reading import get_case
from tasks.kvalitetsstandard.settings import load_standard
from tasks.pathways.sagsbehandling import start_data
from tasks.work.completion import complete_task
from tests.helpers import opfoelgning

START_DATA = {"ydelse": "SEL § 85", **start_data("SEL § 85", START, load_standard(ROOT / "processes"))}


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


def state_sizes(services, actor) -> dict[int, tuple[int, int]]:
    now = services.clock.now()
    case = open_case(services.uow(), actor, NewCase(ydelse="SEL § 108"), now)
    for data in PATHWAY[:6]:  # to the first opfølgning
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
