"""Runaway diagrams and bad values are stopped by the engine, named, and leave it usable.

Each test is written as the attack: a process that never waits, a cycle timer that never rests,
state that grows without end, a frist in year 9999.  The command must stop quickly with a Danish
ProcessError naming the element, and the next command must work.  Time is injected: no sleeping.
"""

from __future__ import annotations

import html
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import engine.diagram_checks as diagram_checks
from engine.diagrams import DiagramError, parse_diagram
from engine.errors import ProcessError, RunawayProcess, StateTooLarge
from engine.events import TimerFired, UserTaskClosed
from engine.limits import EngineLimits
from engine.runtime import Runtime

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LOOP = (Path(__file__).resolve().parents[1] / "processes" / "loop.bpmn").read_text(encoding="utf-8")
SMALL = EngineLimits(max_steps=300, max_seconds=60)

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://x">
"""

SELF_CALL = (
    HEADER
    + """<bpmn:process id="selv" name="Selv" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="kald_selv" name="Kald mig selv" calledElement="selv">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:callActivity>
    <bpmn:endEvent id="slut"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="kald_selv"/>
    <bpmn:sequenceFlow id="f2" sourceRef="kald_selv" targetRef="slut"/>
  </bpmn:process>
</bpmn:definitions>"""
)

BUSY_LOOP = (
    HEADER
    + """<bpmn:process id="travl" name="Travl" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="samle"><bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:scriptTask id="tael" name="Tæl op"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>n = n + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="igen" default="f5"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f4</bpmn:outgoing><bpmn:outgoing>f5</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="slut"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="samle"/>
    <bpmn:sequenceFlow id="f2" sourceRef="samle" targetRef="tael"/>
    <bpmn:sequenceFlow id="f3" sourceRef="tael" targetRef="igen"/>
    <bpmn:sequenceFlow id="f4" sourceRef="igen" targetRef="samle">
      <bpmn:conditionExpression>n &gt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="igen" targetRef="slut"/>
  </bpmn:process>
</bpmn:definitions>"""
)


def timed(
    timer: str, *, kind: str = "timeCycle", interrupting: str = "false", due: str | None = None, then: str = "userTask"
) -> str:
    """A user task with a boundary timer that leads to a reminder (a user task, or a script that runs at once)."""
    due_property = f'<spiffworkflow:property name="due" value="{html.escape(due)}"/>' if due else ""
    script = "<bpmn:script>mindet = true</bpmn:script>" if then == "scriptTask" else ""
    return (
        HEADER
        + f"""<bpmn:process id="timet" name="Timet" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="arbejd" name="Arbejd">
      <bpmn:extensionElements><spiffworkflow:properties>{due_property}</spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="paamind" name="Påmindelse" attachedToRef="arbejd" cancelActivity="{interrupting}">
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition id="paamind_timer"><bpmn:{kind}>{timer}</bpmn:{kind}></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:{then} id="husk" name="Husk">
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>{script}</bpmn:{then}>
    <bpmn:endEvent id="slut"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="husket"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="arbejd"/>
    <bpmn:sequenceFlow id="f2" sourceRef="arbejd" targetRef="slut"/>
    <bpmn:sequenceFlow id="f3" sourceRef="paamind" targetRef="husk"/>
    <bpmn:sequenceFlow id="f4" sourceRef="husk" targetRef="husket"/>
  </bpmn:process>
</bpmn:definitions>"""
    )


def still_works(runtime: Runtime) -> None:
    """The next command after a stopped one runs normally."""
    fine = parse_diagram(LOOP)
    workflow, step = runtime.start(fine, {"runder": 0}, NOW)
    step = runtime.complete(workflow, fine, step.ready[0].spiff_id, {"fortsaet": False}, NOW)
    assert step.finished and step.data["runder"] == 1


def test_deploy_refuses_a_call_activity_that_calls_its_own_process():
    with pytest.raises(DiagramError) as refused:
        parse_diagram(SELF_CALL)
    problem = refused.value.problems[0]
    assert problem.element_id == "kald_selv" and "rekursivt (selv → selv)" in problem.message


def test_a_self_calling_call_activity_that_slipped_past_deploy_is_stopped_by_the_step_budget(monkeypatch):
    monkeypatch.setattr(diagram_checks, "recursion_problems", lambda tree: [])
    diagram = parse_diagram(SELF_CALL)
    runtime = Runtime(SMALL)
    with pytest.raises(RunawayProcess) as stopped:
        runtime.start(diagram, {}, NOW)
    assert "indlejret over 20 niveauer" in str(stopped.value) and stopped.value.element_id
    still_works(runtime)


def test_a_gateway_loop_around_a_script_is_stopped_naming_the_element():
    diagram = parse_diagram(BUSY_LOOP)
    runtime = Runtime(SMALL)
    with pytest.raises(RunawayProcess) as stopped:
        runtime.start(diagram, {"n": 1}, NOW)
    assert stopped.value.element_id in {"samle", "tael", "igen"}
    assert "Processen stoppede ikke" in str(stopped.value) and "løkke uden ventepunkt" in str(stopped.value)
    still_works(runtime)


def test_the_time_budget_uses_an_injected_monotonic_clock():
    ticks = itertools.count(step=0.5)  # every reading is half a second later; nobody sleeps
    runtime = Runtime(EngineLimits(max_steps=1_000_000, max_seconds=5), monotonic=lambda: next(ticks))
    with pytest.raises(RunawayProcess, match="over 5 sekunder"):
        runtime.start(parse_diagram(BUSY_LOOP), {"n": 1}, NOW)


def test_a_cycle_timer_of_r_pt0s_is_refused_at_deploy_and_stopped_at_run_time(monkeypatch):
    with pytest.raises(DiagramError) as refused:
        parse_diagram(timed('"R/PT0S"'), limits=EngineLimits())
    assert refused.value.problems[0].element_id == "paamind"
    assert "mindst 1 time" in refused.value.problems[0].message
    diagram = parse_diagram(timed('"R/PT0S"'))  # a stored version is re-read without the deploy check
    runtime = Runtime()
    with pytest.raises(ProcessError) as stopped:
        runtime.start(diagram, {}, NOW)
    assert stopped.value.element_id == "paamind" and "gentages for tit" in str(stopped.value)
    still_works(runtime)


def test_a_computed_cycle_is_checked_at_run_time():
    diagram = parse_diagram(timed('"R/PT" + sekunder + "S"'))
    with pytest.raises(ProcessError) as stopped:
        Runtime().start(diagram, {"sekunder": "1"}, NOW)
    assert stopped.value.element_id == "paamind"


def test_an_overdue_cycle_fires_at_most_the_cap_per_command_and_catches_up_later():
    runtime = Runtime(EngineLimits(min_cycle_seconds=3600, max_cycle_firings=10))
    diagram = parse_diagram(timed('"R/PT1H"', then="scriptTask"))
    workflow, step = runtime.start(diagram, {}, NOW)
    later = NOW + timedelta(hours=25)
    first = runtime.fire_timers(workflow, diagram, later)
    assert sum(isinstance(e, TimerFired) for e in first.events) == 10
    assert first.next_timer_at <= later  # the rest is still due: the next sweep fires it
    second = runtime.fire_timers(workflow, diagram, later)
    third = runtime.fire_timers(workflow, diagram, later)
    fired = [sum(isinstance(e, TimerFired) for e in s.events) for s in (second, third)]
    assert fired == [10, 4] and third.next_timer_at == later  # 24 hourly firings were due (1 h ... 24 h)


def test_state_over_the_cap_is_refused_naming_its_size_and_nothing_is_stored():
    runtime = Runtime(EngineLimits(max_state_bytes=50_000))
    diagram = parse_diagram(LOOP)
    workflow, _ = runtime.start(diagram, {"runder": 0, "bilag": "x" * 60_000}, NOW)
    with pytest.raises(StateTooLarge) as refused:
        runtime.dump(workflow)
    assert refused.value.size > 60_000 and "højst 0,1 MB" in str(refused.value)


@pytest.mark.parametrize(
    ("due", "words"),
    [
        ('"9999-12-31"', "uden for årene"),
        ('deadline(start: "9999-12-31", days: 1)', "kan ikke beregnes"),
        ('"i morgen"', "ikke en dato"),
        ("antal", "skal give en dato"),
        ("mangler", "gav null"),
    ],
)
def test_a_bad_due_stops_the_command_naming_the_task_instead_of_being_ignored(due, words):
    diagram = parse_diagram(timed('"R/P1D"', due=due))
    with pytest.raises(ProcessError) as stopped:
        Runtime().start(diagram, {"antal": 3}, NOW)
    assert stopped.value.element_id == "arbejd" and words in str(stopped.value)


@pytest.mark.parametrize(
    ("timer", "kind", "words"),
    [
        ('"i morgen"', "timeDate", "ikke en dato"),
        ('"9999-01-01T00:00:00+00:00"', "timeDate", "uden for årene"),
        ('"P99999Y"', "timeDuration", "for lang"),
        ('"-P1D"', "timeDuration", "negativ"),
        ('"R/P1D/P1D"', "timeCycle", "præcis én varighed"),
    ],
)
def test_a_bad_timer_value_stops_the_command_naming_the_timer(timer, kind, words):
    diagram = parse_diagram(timed(timer, kind=kind, interrupting="true"))
    with pytest.raises(ProcessError) as stopped:
        Runtime().start(diagram, {}, NOW)
    assert stopped.value.element_id == "paamind" and words in str(stopped.value)


def test_events_say_whether_a_user_task_was_completed_or_cancelled():
    runtime = Runtime()
    diagram = parse_diagram(timed('"P2D"', kind="timeDuration", interrupting="true"))
    workflow, step = runtime.start(diagram, {}, NOW)
    arbejd = step.ready[0]
    fired = runtime.fire_timers(workflow, diagram, NOW + timedelta(days=3))
    assert UserTaskClosed(arbejd.spiff_id, "arbejd", "cancelled") in fired.events
    assert fired.fired_timers == ("paamind",) and "paamind" in fired.completed
    husk = fired.ready[0]
    done = runtime.complete(workflow, diagram, husk.spiff_id, {}, NOW + timedelta(days=3))
    assert UserTaskClosed(husk.spiff_id, "husk", "completed") in done.events
    assert done.finished and done.end_event == "husket"
