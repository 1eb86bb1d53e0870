"""The engine alone (no database): loops stay correct and small, state round-trips, guard holds."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.diagrams import DiagramError, parse_diagram
from engine.expressions import UnsafeExpression, check_source
from engine.runtime import ProcessError, Runtime
from engine.script_worker import Limits, ScriptFailed, ScriptWorker

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LOOP = (Path(__file__).resolve().parents[1] / "processes" / "loop.bpmn").read_text(encoding="utf-8")


def test_a_loop_of_1500_rounds_keeps_running_and_its_tree_stays_small():
    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    sizes = []
    for _ in range(1500):
        step = runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": True}, NOW)
        workflow = runtime.load(diagram, runtime.dump(workflow))
        sizes.append(len(workflow.tasks))
    assert [t.bpmn_id for t in step.ready] == ["runde"]
    assert not step.finished
    assert max(sizes[-500:]) <= 150
    step = runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert step.finished and step.end_event == "slut"
    assert step.data["runder"] == 1501


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').getcwd()",
        "().__class__.__base__.__subclasses__()",
        "open('/etc/hostname').read()",
        "[c for c in ().__class__.__mro__]",
        "x._secret",
    ],
)
def test_escape_attempts_in_expressions_are_refused(source):
    with pytest.raises((UnsafeExpression, NameError)):
        check_source(source, "eval")
        eval(source, {"__builtins__": {}})  # only reached when the guard let it through


def test_a_script_that_imports_is_refused_at_deploy_time_with_the_element_named():
    with pytest.raises(DiagramError) as refused:
        parse_diagram(LOOP.replace("runder = runder + 1", "import os"))
    assert refused.value.problems[0].element_id == "taeller"
    assert "import" in refused.value.problems[0].message


def test_a_failing_script_stops_the_command_with_the_element_named():
    diagram = parse_diagram(LOOP.replace("runder = runder + 1", "runder = runder / 0"))
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    with pytest.raises(ProcessError) as failure:
        runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert failure.value.element_id == "taeller"


def test_a_syntax_error_in_a_condition_is_refused_at_parse_time_naming_the_flow():
    broken = LOOP.replace("fortsaet == True", "fortsaet === True")
    with pytest.raises(DiagramError) as refused:
        parse_diagram(broken)
    assert refused.value.problems[0].element_id == "f5"


@pytest.mark.parametrize(
    ("script", "words"),
    [
        ("while True:\n    runder = runder + 1", "while"),
        ("runder = 10 ** 10 ** 10", "potens"),
        ("runder = open('/etc/passwd')", None),
    ],
)
def test_endless_loops_and_huge_numbers_are_refused_before_they_run(script, words):
    if words is None:
        diagram = parse_diagram(LOOP.replace("runder = runder + 1", script))
        runtime = Runtime()
        workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
        with pytest.raises(ProcessError):
            runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
        return
    with pytest.raises(DiagramError) as refused:
        parse_diagram(LOOP.replace("runder = runder + 1", script))
    assert words in refused.value.problems[0].message


def test_a_huge_range_is_stopped_at_run_time():
    diagram = parse_diagram(LOOP.replace("runder = runder + 1", "runder = len([x for x in range(10000000)])"))
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    with pytest.raises(ProcessError) as failure:
        runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert failure.value.element_id == "taeller"


LIMITED = ScriptWorker(Limits(cpu_seconds=1, memory_bytes=512 * 2**20, wall_seconds=10))


@pytest.mark.parametrize(
    ("script", "words"),
    [
        # no nested loop node, so the guard lets it through; 10^10 additions
        ("runder = sum(sum(range(100000)) for i in range(100000))", "CPU-tid"),
        ("runder = len('x' * 2000000000)", "hukommelse"),
        ("runder = len([0] * 1000000000)", "hukommelse"),
    ],
)
def test_code_that_passes_the_guard_is_stopped_by_the_worker_limits(script, words):
    diagram = parse_diagram(LOOP.replace("runder = runder + 1", script))
    runtime = Runtime(worker=LIMITED)
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    with pytest.raises(ProcessError) as failure:
        runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert failure.value.element_id == "taeller"
    assert words in str(failure.value)
    # The worker was replaced: the next command runs normally.
    fine = parse_diagram(LOOP)
    workflow, step = runtime.start(fine, {"runder": 0}, NOW)
    step = runtime.complete(workflow, fine, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert step.finished and step.data["runder"] == 1


def test_the_worker_has_no_file_access_and_reports_the_diagrams_own_errors():
    with pytest.raises(ScriptFailed, match="NameError: name 'open' is not defined"):
        LIMITED.call("eval", "open('/etc/passwd').read()", {}, None)
    with pytest.raises(ScriptFailed, match="ZeroDivisionError"):
        LIMITED.call("exec", "x = 1 / 0", {}, None)
    assert LIMITED.call("exec", "x = a + 1", {"a": 1}, None)[1] == {"a": 1, "x": 2}


@pytest.mark.parametrize(
    ("expression", "trivial"),
    [
        ('udfald == "afslag"', True),
        ("sagsbehandlingsfrist_varsel", True),
        ('sparring and not aendret and naeste <= "2027-01-01"', True),
        ("deadline(x, days=3)", False),  # a call: the worker
        ("'x' * 2000000000", False),  # an operator that allocates: the worker
        ("a[0]", False),
    ],
)
def test_only_constant_time_expressions_skip_the_worker(expression, trivial):
    from engine.expressions import is_trivial

    assert is_trivial(expression) is trivial


def test_a_script_may_not_hand_back_more_data_than_a_case_stores():
    with pytest.raises(ScriptFailed, match="for stort"):
        LIMITED.call("exec", "x = 'x' * 3000000", {}, None)
    assert LIMITED.call("eval", "1 + 1", {}, None)[0] == 2
