"""A dump reuses the dict of every task that did not change since the last dump, and still writes exactly what a
full conversion writes: after each command of the main pathway, and when data changes in place behind the
engine's back (a nested value, a completed task's copy, a value of another type that looks the same)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from engine import spiff
from engine.diagrams import parse_diagram
from engine.runtime import Runtime
from engine.spiff import BpmnWorkflow, StateCodec
from tasks.kvalitetsstandard.settings import load_standard
from tasks.pathways.sagsbehandling import start_data
from tests.helpers import henvendelse, partshoering, udredning

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
LOOP = (ROOT / "tests" / "processes" / "loop.bpmn").read_text(encoding="utf-8")


def _full(codec: StateCodec, workflow: BpmnWorkflow) -> str:
    """The state as a conversion of every task writes it (no fragment reused)."""
    serializer = codec._serializer
    serializer.registry._encoder_mode = True
    try:
        dct = serializer.to_dict(workflow)
    finally:
        serializer.registry._encoder_mode = False
    dct[serializer.VERSION_KEY] = serializer.VERSION
    return orjson.dumps(dct, default=codec._default, option=spiff._ORJSON_OPTIONS).decode("utf-8")


def _dump(runtime: Runtime, workflow: BpmnWorkflow) -> str:
    state = runtime.dump(workflow)
    assert state == _full(runtime._codec, workflow)
    return state


def test_every_dump_along_the_main_pathway_is_what_a_full_conversion_writes():
    diagram = parse_diagram((ROOT / "processes" / "sagsbehandling.bpmn").read_text(encoding="utf-8"))
    runtime = Runtime()
    data = {"ydelse": "SEL § 85", **start_data("SEL § 85", NOW, load_standard(ROOT / "processes"))}
    workflow, step = runtime.start(diagram, data, NOW)
    _dump(runtime, workflow)
    steps = [henvendelse(), udredning(), partshoering()]
    for form in steps:
        step = runtime.complete(workflow, diagram, step.ready[0].spiff_id, form, NOW)
        _dump(runtime, workflow)
        _dump(runtime, runtime.load(diagram, _dump(runtime, workflow)))  # a loaded workflow has no fragments yet
    assert workflow.tasks


def test_a_change_made_in_place_is_written():
    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0, "liste": [1, {"a": 1}]}, NOW)
    runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": True}, NOW)
    before = _dump(runtime, workflow)
    finished = [t for t in workflow.tasks.values() if t.parent is not None and t.data]
    assert finished
    changes: list[Any] = [
        lambda d: d["liste"][1].update(a=2),  # nested, shared with the parent's copy or not
        lambda d: d.update(ny="værdi"),
        lambda d: d.update(ny=date(2026, 1, 2)),  # a date where text was
        lambda d: d.update(ny="\x00date:datetime.date(2026, 1, 2)"),  # text that looks like the date's fingerprint
        lambda d: d.update(ny=1),
        lambda d: d.update(ny=True),
        lambda d: d.update(ny=1.0),
        lambda d: d.pop("ny", None),
    ]
    for change in changes:
        for task in finished:
            change(task.data)
            _dump(runtime, workflow)
    assert _dump(runtime, workflow) != before


def test_a_value_the_fingerprint_cannot_tell_apart_is_converted_every_time():
    class Code(str):
        pass

    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    task = workflow.get_tasks()[-1]
    task.data["kode"] = Code("A")
    with pytest.raises(TypeError):
        spiff._fingerprint(task.data)
    _dump(runtime, workflow)
