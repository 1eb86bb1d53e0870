"""The engine finds ready tasks in the flat task maps (engine.spiff.ready_tasks) instead of walking the tree.

Every test in the suite also checks each lookup against SpiffWorkflow's walk (conftest); these tests make
sure the cases where the two could part are met: parallel branches, and a task inside a subprocess."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from SpiffWorkflow.util.task import TaskState

from engine.diagrams import parse_diagram
from engine.runtime import Runtime
from engine.spiff import ready_tasks

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs"
                  targetNamespace="http://sagsflow.test/parallel">
  <bpmn:process id="parallel" name="Parallelt" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:parallelGateway id="split">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:parallelGateway>
    <bpmn:scriptTask id="a" name="A"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
      <bpmn:script>spor = [1]</bpmn:script></bpmn:scriptTask>
    <bpmn:scriptTask id="b" name="B"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
      <bpmn:script>b = 2</bpmn:script></bpmn:scriptTask>
    <bpmn:userTask id="ua" name="Ydre opgave"><bpmn:incoming>f4</bpmn:incoming><bpmn:outgoing>f6</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:subProcess id="sp" name="Delproces"><bpmn:incoming>f5</bpmn:incoming><bpmn:outgoing>f7</bpmn:outgoing>
      <bpmn:startEvent id="sp_start"><bpmn:outgoing>s1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:userTask id="inner" name="Indre opgave"><bpmn:incoming>s1</bpmn:incoming><bpmn:outgoing>s2</bpmn:outgoing>
      </bpmn:userTask>
      <bpmn:endEvent id="sp_end"><bpmn:incoming>s2</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="s1" sourceRef="sp_start" targetRef="inner"/>
      <bpmn:sequenceFlow id="s2" sourceRef="inner" targetRef="sp_end"/>
    </bpmn:subProcess>
    <bpmn:parallelGateway id="join">
      <bpmn:incoming>f6</bpmn:incoming><bpmn:incoming>f7</bpmn:incoming><bpmn:outgoing>f8</bpmn:outgoing>
    </bpmn:parallelGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f8</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split"/>
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="a"/>
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="b"/>
    <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="ua"/>
    <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="sp"/>
    <bpmn:sequenceFlow id="f6" sourceRef="ua" targetRef="join"/>
    <bpmn:sequenceFlow id="f7" sourceRef="sp" targetRef="join"/>
    <bpmn:sequenceFlow id="f8" sourceRef="join" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


# The same process with the subprocess's branch first: its task comes first in the walk, although the flat maps
# hold it after the top workflow's own tasks.
# (SpiffWorkflow orders a gateway's branches as the sequence flows come in the file.)
F2 = '    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="a"/>\n'
SUBPROCESS_FIRST = DIAGRAM.replace(F2, "").replace("</bpmn:process>", F2 + "  </bpmn:process>")


def names(tasks: list) -> list[str]:
    return [t.task_spec.bpmn_id for t in tasks]


def test_parallel_branches_run_both_and_their_user_tasks_come_in_the_trees_order():
    diagram = parse_diagram(DIAGRAM)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {}, NOW)

    assert [t.bpmn_id for t in step.ready] == ["ua", "inner"]
    assert names(ready_tasks(workflow, manual=True)) == names(workflow.get_tasks(state=TaskState.READY, manual=True))
    assert ready_tasks(workflow, manual=False) == []


def test_ready_tasks_at_different_depths_come_in_the_walks_order_without_asking_the_walk(monkeypatch):
    diagram = parse_diagram(SUBPROCESS_FIRST)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {}, NOW)
    walked = names(workflow.get_tasks(state=TaskState.READY, manual=True))
    monkeypatch.setattr(type(workflow), "get_tasks", lambda *a, **k: pytest.fail("the walk was asked"))

    assert [t.bpmn_id for t in step.ready] == ["inner", "ua"] == walked
    assert names(ready_tasks(workflow, manual=True)) == walked


def test_the_one_ready_task_inside_a_subprocess_is_found_and_completing_it_ends_the_process():
    diagram = parse_diagram(DIAGRAM)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {}, NOW)
    outer = next(t for t in step.ready if t.bpmn_id == "ua")
    step = runtime.complete(workflow, diagram, outer.spiff_id, {}, NOW)

    assert [t.bpmn_id for t in step.ready] == ["inner"]
    assert names(ready_tasks(workflow)) == ["inner"]  # in the subprocess's own task map, not the top one's
    assert all(t.task_spec.bpmn_id != "inner" for t in workflow.tasks.values())

    step = runtime.complete(workflow, diagram, step.ready[0].spiff_id, {}, NOW)
    assert step.finished and step.end_event == "end"
    assert step.data["spor"] == [1] and step.data["b"] == 2
