"""Known escapes from Python sandboxes, deployed as every kind of expression: none reaches the host.

Each payload is tried as a gateway condition, a timer, a user task's due, a script assignment and
a decision-table cell (input expression, input entry, output entry).  It must be refused at deploy
(naming the element) or evaluate harmlessly; either way no file is written, no command runs and
no environment variable is read (a marker file and a secret in the environment are checked).
"""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime

import pytest

from engine.decisions import parse_decision
from engine.diagrams import DiagramError, parse_diagram
from engine.errors import ProcessError
from engine.runtime import Runtime

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SECRET = "hemmelig-nøgle-123"


def payloads(marker: str) -> dict[str, str]:
    touch = f"__import__('os').system('touch {marker}')"
    return {
        "import": touch,
        "import-dq": f'__import__("os").system("touch {marker}")',
        "generator-frame-walk": (
            "(g := (x for x in [1])).gi_frame.f_back.f_back.f_globals['os'].system('touch " + marker + "')"
        ),
        "generator-frame-feel-path": "(x for x in [1]).gi_frame.f_back.f_globals",
        "str-format-attributes": '"{0.__class__.__mro__}".format(udfald)',
        "subclasses-through-string": "''.__class__.__base__.__subclasses__()",
        "subclasses-feel-path": "udfald.__class__.__base__.__subclasses__",
        "catch-warnings": (
            "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'catch_warnings'][0]()"
            f"._module.__builtins__['__import__']('os').system('touch {marker}')"
        ),
        "comprehension": f"[__import__('os').system('touch {marker}') for i in [1]]",
        "walrus": f"(o := __import__('os')) and o.system('touch {marker}')",
        "f-string": f"f\"{{__import__('os').system('touch {marker}')}}\"",
        "getattr": f"getattr(__builtins__, '__import__')('os').system('touch {marker}')",
        "getattr-feel-call": 'getattr(udfald, "__class__")',
        "eval": f'eval("__import__(\\"os\\").system(\\"touch {marker}\\")")',
        "exec": f'exec("open(\\"{marker}\\", \\"w\\")")',
        "open": f'open("{marker}", "w")',
        "environ": "__import__('os').environ['SAGSFLOW_TEST_SECRET']",
        "environ-feel-path": "os.environ.SAGSFLOW_TEST_SECRET",
        "proc-environ": 'open("/proc/self/environ").read()',
        "pickle": "__import__('pickle').loads(b'cos\\nsystem\\n(S\\'id\\'\\ntR.')",
        "reduce": "udfald.__reduce_ex__(2)",
        "lambda": f"(lambda: __import__('os').system('touch {marker}'))()",
        "globals": "globals()['__builtins__']",
        "vars-feel-call": "vars(udfald)",
        "string-concat-to-code": '"__imp" + "ort__"',
        "context-dunder-key": "{__class__: 1}.__class__",
    }


def _diagram(condition: str = "true", timer: str = '"P1D"', due: str = '"2026-12-01"', script: str = "x = 1") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://x">
  <bpmn:process id="angreb" name="Angreb" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="regn" name="Regn"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{html.escape(script, quote=False)}</bpmn:script></bpmn:scriptTask>
    <bpmn:exclusiveGateway id="valg" default="f4"><bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:userTask id="opgave" name="Opgave">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="due" value="{html.escape(due)}"/>
      </spiffworkflow:properties></bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:boundaryEvent id="tid" name="Tid" attachedToRef="opgave"><bpmn:outgoing>f6</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>{html.escape(timer, quote=False)}</bpmn:timeDuration>
      </bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:endEvent id="slut"><bpmn:incoming>f5</bpmn:incoming><bpmn:incoming>f6</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="regn"/>
    <bpmn:sequenceFlow id="f2" sourceRef="regn" targetRef="valg"/>
    <bpmn:sequenceFlow id="f3" sourceRef="valg" targetRef="opgave">
      <bpmn:conditionExpression>{html.escape(condition, quote=False)}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="valg" targetRef="opgave"/>
    <bpmn:sequenceFlow id="f5" sourceRef="opgave" targetRef="slut"/>
    <bpmn:sequenceFlow id="f6" sourceRef="tid" targetRef="slut"/>
  </bpmn:process>
</bpmn:definitions>"""


def _table(input_expression: str = "udfald", entry: str = '"afslag"', output: str = '"8 uger"') -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="defs" name="T" namespace="x">
  <decision id="tabel" name="Tabel">
    <decisionTable id="tabel_t" hitPolicy="FIRST">
      <input id="i1"><inputExpression id="ie1">
        <text>{html.escape(input_expression, quote=False)}</text></inputExpression></input>
      <output id="o1" name="frist"/>
      <rule id="regel_1">
        <inputEntry id="r1_i"><text>{html.escape(entry, quote=False)}</text></inputEntry>
        <outputEntry id="r1_o"><text>{html.escape(output, quote=False)}</text></outputEntry>
      </rule>
      <rule id="regel_2"><inputEntry id="r2_i"><text>-</text></inputEntry>
        <outputEntry id="r2_o"><text>"1 uge"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""


PLACES = {
    "condition": ("f3", lambda p: _diagram(condition=p)),
    "timer": ("tid", lambda p: _diagram(timer=p)),
    "due": ("opgave", lambda p: _diagram(due=p)),
    "script": ("regn", lambda p: _diagram(script=f"x = {p}")),
}
CELLS = {
    "dmn-input-expression": ("i1", lambda p: _table(input_expression=p)),
    "dmn-input-entry": ("regel_1", lambda p: _table(entry=p)),
    "dmn-output-entry": ("regel_1", lambda p: _table(output=p)),
}
NAMES = sorted(payloads("m"))


@pytest.fixture
def marker(tmp_path, monkeypatch):
    monkeypatch.setenv("SAGSFLOW_TEST_SECRET", SECRET)
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "an expression wrote a file on the host"


def _harmless(value: object) -> None:
    assert SECRET not in repr(value), "an expression read the environment"


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("name", NAMES)
def test_an_escape_in_a_diagram_is_refused_at_deploy_or_runs_harmlessly(name, place, marker):
    payload = payloads(str(marker))[name]
    element, build = PLACES[place]
    try:
        diagram = parse_diagram(build(payload))
    except DiagramError as refused:
        assert refused.problems[0].element_id == element
        assert "Ugyldigt udtryk" in refused.problems[0].message
        _harmless(refused.problems)
        return
    try:  # accepted: it can only be FEEL reading dict keys, so it runs without touching anything
        workflow, step = Runtime().start(diagram, {"udfald": "afslag"}, NOW)
        _harmless(step.data)
        _harmless(step.ready)
    except ProcessError as stopped:
        assert stopped.element_id in (element, "f3", "valg")
        _harmless(stopped)


@pytest.mark.parametrize("cell", sorted(CELLS))
@pytest.mark.parametrize("name", NAMES)
def test_an_escape_in_a_decision_table_is_refused_at_deploy_or_runs_harmlessly(name, cell, marker):
    payload = payloads(str(marker))[name]
    element, build = CELLS[cell]
    try:
        table = parse_decision(build(payload))
    except DiagramError as refused:
        assert refused.problems[0].element_id == element
        _harmless(refused.problems)
        return
    try:
        _harmless(table.evaluate({"udfald": "afslag"}))
    except ProcessError as stopped:
        _harmless(stopped)


def test_the_feel_paths_that_do_parse_only_read_dict_keys():
    diagram = parse_diagram(_diagram(script="x = udfald.__class__.__base__\ny = os.environ.SAGSFLOW_TEST_SECRET"))
    workflow, step = Runtime().start(diagram, {"udfald": "afslag", "os": {"environ": "ikke det rigtige"}}, NOW)
    assert step.data["x"] is None  # a string has no keys; Python attributes are never looked up
    assert step.data["y"] is None  # 'os' is task data here: a dict without that key


def test_no_python_evaluator_is_left_in_the_engine():
    import re
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "src"
    pattern = re.compile(r"(?<![\w.])(eval|exec|compile)\(")
    offenders = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line.split("#")[0])
    ]
    assert offenders == []
    assert os.environ.get("SAGSFLOW_TEST_SECRET") is None
