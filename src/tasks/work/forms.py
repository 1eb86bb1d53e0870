"""Validate submitted form data against a task's JSON Schema, with Danish field-level messages.

Most submissions are valid, so each schema is first compiled once for ``jsonschema_rs`` (Rust, a few µs
per form instead of a few hundred): when it says valid, that is the answer.  Anything it refuses, and any
schema it might judge differently from Python's ``jsonschema`` (see ``_fast_validator``), goes through
``jsonschema``, which builds the Danish messages — so the errors a user sees are exactly those of before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

_FORMATS = FormatChecker()
# Formats where jsonschema_rs is at least as strict as jsonschema (date: the same RFC 3339 full-date;
# date-time and email: jsonschema checks them loosely or not at all).  Where jsonschema_rs refuses more,
# jsonschema has the last word, so a "valid" from jsonschema_rs never accepts what jsonschema refuses.
_SAFE_FORMATS = frozenset({"date", "date-time", "email"})
# Keywords whose meaning could differ between the two (regular expression dialects): jsonschema only.
_UNSAFE_KEYWORDS = frozenset({"pattern", "patternProperties", "propertyNames", "$dynamicRef"})
_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def form_errors(schema: dict[str, Any], data: Any) -> dict[str, list[str]]:
    """Map each offending field path (dotted, e.g. 'livsomraader.mobilitet.niveau') to messages."""
    fast = _COMPILED.get(schema)
    if fast is not None:
        try:
            if fast.is_valid(data):
                return {}
        except Exception:  # e.g. a number beyond 64 bits: let jsonschema judge
            pass
    validator = Draft202012Validator(schema, format_checker=_FORMATS)
    errors: dict[str, list[str]] = {}
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path, message = _describe(error)
        errors.setdefault(path or "_form", []).append(message)
    return errors


class _CompiledSchemas:
    """Compiled validators by schema object (the forms are parsed once per deployed version and shared)."""

    def __init__(self, capacity: int = 512) -> None:
        self._items: OrderedDict[int, tuple[dict[str, Any], Any]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def get(self, schema: dict[str, Any]) -> Any:
        key = id(schema)
        with self._lock:
            entry = self._items.get(key)
            if entry is not None and entry[0] is schema:
                self._items.move_to_end(key)
                return entry[1]
        validator = _fast_validator(schema)
        with self._lock:
            self._items[key] = (schema, validator)  # the schema is kept alive, so its id stays its own
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return validator


def _fast_validator(schema: dict[str, Any]) -> Any:
    """A jsonschema_rs validator, or None when the schema uses what the two could judge differently."""
    if not _safe(schema):
        return None
    try:
        return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    except Exception:  # a schema jsonschema_rs cannot compile: jsonschema only
        return None


def _safe(node: Any) -> bool:
    if isinstance(node, dict):
        if _UNSAFE_KEYWORDS & node.keys():
            return False
        if isinstance(node.get("format"), str) and node["format"] not in _SAFE_FORMATS:
            return False
        if isinstance(node.get("$schema"), str) and node["$schema"] != _DRAFT:
            return False
        return all(_safe(value) for value in node.values())
    if isinstance(node, list):
        return all(_safe(item) for item in node)
    return True


_COMPILED = _CompiledSchemas()


def _describe(error: ValidationError) -> tuple[str, str]:
    path = ".".join(str(p) for p in error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return (f"{path}.{missing}" if path else missing), "Feltet skal udfyldes"
    if kind == "additionalProperties":
        extra = ", ".join(sorted(set(error.instance) - set(error.schema.get("properties", {}))))
        return path, f"Ukendte felter: {extra}"
    if kind == "type":
        return path, f"Forkert type: forventede {_TYPE_DA.get(str(error.validator_value), error.validator_value)}"
    if kind in ("enum", "oneOf", "const"):
        return path, "Vælg en af de mulige værdier"
    if kind == "format":
        return path, _FORMAT_DA.get(str(error.validator_value), "Ugyldigt format")
    if kind == "pattern":
        return path, error.schema.get("description") or "Ugyldigt format"
    if kind == "minLength":
        return path, "Feltet skal udfyldes" if error.validator_value == 1 else f"Mindst {error.validator_value} tegn"
    if kind == "maxLength":
        return path, f"Højst {error.validator_value} tegn"
    if kind == "minimum":
        return path, f"Mindst {error.validator_value}"
    if kind == "maximum":
        return path, f"Højst {error.validator_value}"
    return path, error.message


_TYPE_DA = {
    "string": "tekst",
    "integer": "heltal",
    "number": "tal",
    "boolean": "ja/nej",
    "object": "objekt",
    "array": "liste",
}
_FORMAT_DA = {
    "date": "Ugyldig dato (brug ÅÅÅÅ-MM-DD)",
    "date-time": "Ugyldigt tidspunkt",
    "email": "Ugyldig e-mailadresse",
}
