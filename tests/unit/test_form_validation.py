"""Form validation answers exactly as jsonschema does: the compiled fast path only ever says "valid" where
jsonschema says so too, and every refusal carries jsonschema's Danish messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from tasks.work.forms import _COMPILED, form_errors

FORMS = sorted((Path(__file__).resolve().parents[2] / "processes" / "forms").glob("*.schema.json"))
SAMPLES: list[Any] = [
    {},
    [],
    "tekst",
    {"x": 1},
    {"dato": "2026-02-30"},
    {"dato": "2026-11-23"},
    {"email": "a@"},
]


def _python_errors(schema: dict[str, Any], data: Any) -> bool:
    return any(True for _ in Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data))


def _samples(schema: dict[str, Any]) -> list[Any]:
    """The fixed samples, plus one value of each wrong and right kind per field of the form."""
    fields = schema.get("properties") or {}
    samples = list(SAMPLES)
    for value in (None, 0, 1.5, "", "x", "2026-11-23", True, [], {}):
        samples.append({name: value for name in fields})
        samples.extend({name: value} for name in fields)
    return samples


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_a_shipped_form_is_judged_as_jsonschema_judges_it(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    for data in _samples(schema):
        assert (form_errors(schema, data) != {}) == _python_errors(schema, data), data


def test_every_shipped_form_without_a_pattern_takes_the_compiled_path() -> None:
    for path in FORMS:
        schema = json.loads(path.read_text(encoding="utf-8"))
        compiled = _COMPILED.get(schema)
        assert (compiled is None) == ('"pattern"' in path.read_text(encoding="utf-8")), path.name


def test_formats_jsonschema_checks_loosely_are_left_to_jsonschema() -> None:
    schema = {"type": "object", "properties": {"e": {"type": "string", "format": "email"}}}
    assert form_errors(schema, {"e": "a@"}) == {}  # jsonschema only asks for an @
    assert form_errors(schema, {"e": 5}) == {"e": ["Forkert type: forventede tekst"]}


def test_a_regular_expression_is_left_to_jsonschema() -> None:
    schema = {"type": "object", "properties": {"p": {"type": "string", "pattern": "^a$"}}}
    assert _COMPILED.get(schema) is None
    assert form_errors(schema, {"p": "a\n"}) == {}  # Python's $ matches before a final newline
