"""Validate submitted form data against a task's JSON Schema, with Danish field-level messages."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

_FORMATS = FormatChecker()


def form_errors(schema: dict[str, Any], data: Any) -> dict[str, list[str]]:
    """Map each offending field path (dotted, e.g. 'livsomraader.mobilitet.niveau') to messages."""
    validator = Draft202012Validator(schema, format_checker=_FORMATS)
    errors: dict[str, list[str]] = {}
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path, message = _describe(error)
        errors.setdefault(path or "_form", []).append(message)
    return errors


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
