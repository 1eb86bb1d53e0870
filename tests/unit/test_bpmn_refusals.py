"""SpiffWorkflow's own errors never pass through: an error nobody foresaw (even a Python error with an
object's repr) still comes back in Danish, naming the element from the parser's own frames."""

from __future__ import annotations

import re

import pytest
from SpiffWorkflow.spiff.parser.task_spec import SpiffTaskParser

from engine.diagrams import DiagramError, parse_diagram

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://x">
  <bpmn:process id="p" name="Proces" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:manualTask id="ring" name="Ring til borgeren">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:manualTask>
    <bpmn:endEvent id="slut"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ring" />
    <bpmn:sequenceFlow id="f2" sourceRef="ring" targetRef="slut" />
  </bpmn:process>
</bpmn:definitions>"""


@pytest.mark.parametrize(
    "error",
    [
        AttributeError("'NoneType' object has no attribute 'get' <lxml.etree._Element object at 0x7f3a1c2b9d80>"),
        KeyError("type"),
        TypeError("unsupported operand type(s) for +: 'int' and 'str'"),
    ],
    ids=["attribute-error-with-repr", "key-error", "type-error"],
)
def test_an_unforeseen_parser_error_is_danish_and_names_the_element(monkeypatch, error):
    original = SpiffTaskParser.create_task

    def broken(self):
        if self.node.get("id") == "ring":
            raise error
        return original(self)

    monkeypatch.setattr(SpiffTaskParser, "create_task", broken)
    with pytest.raises(DiagramError) as refused:
        parse_diagram(MODEL)
    problem = refused.value.problems[0]
    assert (problem.element_id, problem.element_name) == ("ring", "Ring til borgeren")
    assert problem.message.startswith("Den manuelle opgave 'Ring til borgeren' (ring) kan Sagsflow ikke køre")
    assert not re.search(r"0x[0-9a-f]+|object|NoneType|Error|operand", problem.message)


def test_a_manual_task_counts_as_a_user_task_and_needs_a_form_and_a_lane():
    parsed = parse_diagram(MODEL)
    assert [t.bpmn_id for t in parsed.user_tasks] == ["ring"]
    assert parsed.user_tasks[0].form is None and parsed.user_tasks[0].lane is None
