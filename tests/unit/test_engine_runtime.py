"""The engine alone (no database): loops stay correct and small, state round-trips, errors name elements."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.diagrams import DiagramError, parse_diagram
from engine.runtime import ProcessError, Runtime

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


def test_a_script_in_python_is_refused_at_deploy_time_with_the_element_named():
    with pytest.raises(DiagramError) as refused:
        parse_diagram(LOOP.replace("runder = runder + 1", "import os"))
    assert refused.value.problems[0].element_id == "taeller"
    assert "'Tæl' (taeller)" in refused.value.problems[0].message
    assert "Python, ikke FEEL" in refused.value.problems[0].message


def test_a_failing_script_stops_the_command_with_the_element_named():
    diagram = parse_diagram(LOOP.replace("runder = runder + 1", "runder = runder / 0"))
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    with pytest.raises(ProcessError) as failure:
        runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert failure.value.element_id == "taeller"
    assert "Division med nul" in str(failure.value)


def test_a_syntax_error_in_a_condition_is_refused_at_parse_time_naming_the_flow():
    broken = LOOP.replace("fortsaet = true", "fortsaet === true")
    with pytest.raises(DiagramError) as refused:
        parse_diagram(broken)
    assert refused.value.problems[0].element_id == "f5"


def test_the_old_python_condition_is_refused_with_the_feel_form_shown():
    with pytest.raises(DiagramError) as refused:
        parse_diagram(LOOP.replace("fortsaet = true", "fortsaet == True"))
    message = refused.value.problems[0].message
    assert refused.value.problems[0].element_id == "f5"
    assert "ét = i FEEL" in message and "true" in message and 'udfald = "afslag"' in message


def test_a_condition_that_gives_no_boolean_stops_the_command_naming_the_flow():
    diagram = parse_diagram(LOOP.replace("fortsaet = true", "fortsaet"))
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    with pytest.raises(ProcessError) as failure:
        runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": "ja"}, NOW)
    assert failure.value.element_id == "f5"
    assert "tekst, ikke sand/falsk" in str(failure.value)


def test_a_script_sees_its_own_earlier_lines_and_writes_nothing_when_a_line_fails():
    script = "runder = runder + 1\nloft = runder * 10\nrunder = if loft > 20 then 0 else runder"
    diagram = parse_diagram(LOOP.replace("runder = runder + 1", script))
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 2}, NOW)
    step = runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert step.data["runder"] == 0 and step.data["loft"] == 30
