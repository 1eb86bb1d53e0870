"""The stored state reads back exactly as the standard library's JSON would have kept it, whichever
encoder wrote it: dates, Danish text, and the numbers orjson would change (NaN, beyond 64 bits)."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

from engine.diagrams import parse_diagram
from engine.runtime import Runtime

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LOOP = (Path(__file__).resolve().parents[1] / "processes" / "loop.bpmn").read_text(encoding="utf-8")


def _round_trip(data: dict) -> tuple[str, dict]:
    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": True, **data}, NOW)
    state = runtime.dump(workflow)
    again = runtime.load(diagram, state)
    assert runtime.dump(again) == state  # stable: what is read back is written the same way
    return state, dict(again.last_task.data)


def test_text_dates_and_nested_data_come_back_as_they_went_in():
    data = {"note": "Æblegrød på Østerbro", "dato": date(2026, 11, 23), "liste": [1, 2.5, None, {"a": True}]}
    state, back = _round_trip(data)
    assert {k: back[k] for k in data} == data
    assert json.loads(state)["serializer_version"]


def test_a_number_that_is_not_finite_or_beyond_64_bits_is_kept_as_the_standard_library_keeps_it():
    state, back = _round_trip({"nan": float("nan"), "stor": 2**70, "uendelig": float("inf")})
    assert "NaN" in state and str(2**70) in state
    assert math.isnan(back["nan"]) and back["uendelig"] == math.inf
    assert back["stor"] == 2**70 and isinstance(back["stor"], int)


def test_a_state_the_standard_library_wrote_reads_back_the_same_and_is_then_written_compactly():
    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, _ = runtime.start(diagram, {"runder": 0, "note": "Åbo"}, NOW)
    compact = runtime.dump(workflow)
    legacy = json.dumps(json.loads(compact))  # as states were written before orjson
    again = runtime.load(diagram, legacy)
    assert runtime.dump(again) == compact


def test_a_loaded_state_names_each_task_by_one_id_that_its_parent_and_children_share():
    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0}, NOW)
    runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": True}, NOW)
    again = runtime.load(diagram, runtime.dump(workflow))
    assert set(again.tasks) == set(workflow.tasks)
    for task_id, task in again.tasks.items():
        assert task.id == task_id and isinstance(task.id, UUID)
        assert all(again.tasks[child].parent is task for child in task._children)
    ready = runtime.snapshot_ready(again, diagram)
    assert [t.spiff_id for t in ready] == [t.spiff_id for t in runtime.snapshot_ready(workflow, diagram)]


def test_a_loaded_task_owns_its_lists_and_dicts_as_it_did_before_it_was_stored():
    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, step = runtime.start(diagram, {"runder": 0, "liste": [1, 2], "ting": {"a": 1}}, NOW)
    runtime.complete(workflow, diagram, step.ready[0].spiff_id, {"fortsaet": True}, NOW)
    again = runtime.load(diagram, runtime.dump(workflow))
    child = again.last_task
    parent = child.parent
    assert child.data["liste"] == parent.data["liste"] == [1, 2]
    child.data["liste"].append(3)
    child.data["ting"]["b"] = 2
    assert parent.data["liste"] == [1, 2] and parent.data["ting"] == {"a": 1}
