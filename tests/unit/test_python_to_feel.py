"""The migration's translator: old Python expressions of stored versions become the FEEL we ship."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import feel
from engine.diagrams import parse_diagram
from migrations import python_to_feel as translate
from tasks.cases.process_data import SYSTEM_DATA_NAMES as PROCESS_DATA_NAMES
from tasks.definitions.deployment import read_forms

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "tests" / "processes" / "legacy" / "sagsbehandling_python.bpmn"


@pytest.mark.parametrize(
    ("python", "expected"),
    [
        ('udfald == "afslag"', 'udfald = "afslag"'),
        ("afvigelse == True", "afvigelse = true"),
        ("not x", "not(x)"),
        ("a if b else c", "if b then a else c"),
        ("1 < x <= 3", "1 < x and x <= 3"),
        ('x in ("a", "b")', 'x in ["a", "b"]'),
        ("x is None", "x = null"),
        ('sag["borger"]', "sag.borger"),
        ("-(a + b) * c", "-(a + b) * c"),
        ("deadline(received_on, weeks=4)", "deadline(start: received_on, weeks: 4)"),
        ("deadline(naeste)", "deadline(naeste)"),
    ],
)
def test_expressions(python, expected):
    assert translate.expression(python) == expected
    assert feel.check_expression(expected, feel.VALUE) == []


@pytest.mark.parametrize(
    "python",
    ["x.upper()", "__import__('os')", "[c for c in x]", "a ** 2", "len(x)", "lambda: 1", "(y := 2)"],
)
def test_what_has_no_feel_form_is_untranslatable(python):
    with pytest.raises(translate.Untranslatable):
        translate.expression(python)


def test_if_blocks_become_conditional_assignments_with_the_same_meaning():
    script = "if a > 1:\n    a = 0\n    b = 2\nelse:\n    b = 3\nrunder += 1"
    feel_script = translate.script(script)
    assert feel_script.splitlines()[0] == "betingelse_1 = a > 1"
    for a in (0, 5):
        expected: dict = {"a": a, "runder": 1}
        exec(script, {}, expected)  # noqa: S102 - the test compares with Python's own meaning
        result = feel.script(feel_script).run({"a": a, "runder": 1})
        assert {k: result.get(k, a if k == "a" else None) for k in ("a", "b", "runder")} == {
            k: expected[k] for k in ("a", "b", "runder")
        }


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('"SEL § 85"', '"SEL § 85"'),
        ("-", "-"),
        ("> 100000", "> 100000"),
        ("10000 < ? <= 100000", "(10000..100000]"),
        ("'x'", '"x"'),
        ('"a", "b"', '"a", "b"'),
    ],
)
def test_decision_table_cells(cell, expected):
    assert translate.unary_test(cell) == expected


def test_the_old_shipped_diagram_becomes_the_feel_we_ship_and_deploys():
    translated = translate.bpmn(LEGACY.read_text(encoding="utf-8"))
    forms = read_forms(ROOT / "processes" / "forms")
    parsed = parse_diagram(translated, forms, data_names=PROCESS_DATA_NAMES)
    shipped = parse_diagram((ROOT / "processes" / "sagsbehandling.bpmn").read_text(encoding="utf-8"))
    # The shipped diagram has grown since (the ændring/ophør afgørelse, case record I); what the old one had, it
    # still has, in the same FEEL.
    shipped_dues = {t.bpmn_id: t.due_expression for t in shipped.user_tasks}
    assert {t.bpmn_id: t.due_expression for t in parsed.user_tasks} == {
        t.bpmn_id: shipped_dues[t.bpmn_id] for t in parsed.user_tasks
    }
    scripts = {s.bpmn_id: s.script for s in parsed.spec.task_specs.values() if hasattr(s, "script")}
    shipped_scripts = {s.bpmn_id: s.script for s in shipped.spec.task_specs.values() if hasattr(s, "script")}
    for bpmn_id, script in scripts.items():
        assert set(script.splitlines()) <= set(shipped_scripts[bpmn_id].splitlines()), bpmn_id
