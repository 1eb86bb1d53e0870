"""A task's JSON Schema as HTML form fields, and a submitted HTML form back into JSON.

The schema stays the single source of truth: the page renders from it and the service validates
against it (``tasks.forms``), so the browser never decides what is valid.  Field names are the
dotted paths the validator reports errors under (``livsomraader.mobilitet.niveau``), which is how an
error finds its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from werkzeug.datastructures import MultiDict

TEXTAREA_FROM = 300  # strings that may be longer than this get a textarea


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # group | text | textarea | date | integer | number | select | yesno | checkboxes
    required: bool = False
    description: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    children: tuple[Field, ...] = ()
    max_length: int | None = None

    @property
    def html_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def form_fields(schema: dict[str, Any]) -> tuple[Field, ...]:
    """The fields of an object schema, in the schema's order."""
    return _object_fields(schema, schema, prefix="")


def parse_submission(schema: dict[str, Any], form: MultiDict) -> dict[str, Any]:
    """Turn posted form fields into the JSON the schema describes.

    Empty inputs are left out, so the validator reports "Feltet skal udfyldes" for a required one;
    values that do not convert (``"tre"`` for an integer) are kept as text so it reports the type."""
    return _parse_object(form_fields(schema), form, required=True) or {}


def flat_values(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}}`` -> ``{"a.b": "1"}``: the values to put back into a re-rendered form."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            values.update(flat_values(value, f"{name}."))
        elif isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, list):
            values[name] = [str(v) for v in value]
        else:
            values[name] = "" if value is None else str(value)
    return values


def _object_fields(root: dict[str, Any], schema: dict[str, Any], prefix: str) -> tuple[Field, ...]:
    required = set(schema.get("required", []))
    return tuple(
        _field(root, _resolve(root, prop), f"{prefix}{key}", key, key in required)
        for key, prop in schema.get("properties", {}).items()
    )


def _field(root: dict[str, Any], schema: dict[str, Any], name: str, key: str, required: bool) -> Field:
    label = schema.get("title") or key.replace("_", " ").capitalize()
    common: dict[str, Any] = {
        "name": name,
        "label": label,
        "required": required,
        "description": schema.get("description"),
    }
    kind = schema.get("type")
    if kind == "object":
        return Field(kind="group", children=_object_fields(root, schema, f"{name}."), **common)
    if options := _options(schema):
        return Field(kind="select", options=options, **common)
    if kind == "boolean":
        return Field(kind="yesno", options=(("true", "Ja"), ("false", "Nej")), **common)
    if kind == "array":
        items = _resolve(root, schema.get("items", {}))
        return Field(kind="checkboxes", options=_options(items), **common)
    if kind in ("integer", "number"):
        return Field(kind=kind, **common)
    if schema.get("format") == "date":
        return Field(kind="date", **common)
    max_length = schema.get("maxLength")
    long_text = max_length is None or max_length > TEXTAREA_FROM
    return Field(kind="textarea" if long_text else "text", max_length=max_length, **common)


def _resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (``#/$defs/niveau``); keys beside the ref (a title) win."""
    ref = schema.get("$ref")
    if not ref or not ref.startswith("#/"):
        return schema
    target: Any = root
    for part in ref[2:].split("/"):
        target = target.get(part, {})
    return {**_resolve(root, target), **{k: v for k, v in schema.items() if k != "$ref"}}


def _options(schema: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    if "enum" in schema:
        return tuple((str(v), str(v)) for v in schema["enum"])
    choices = schema.get("oneOf") or schema.get("anyOf") or []
    if choices and all("const" in c for c in choices):
        return tuple((str(c["const"]), c.get("title", str(c["const"]))) for c in choices)
    return ()


def _parse_object(fields: tuple[Field, ...], form: MultiDict, *, required: bool) -> dict[str, Any] | None:
    result: dict[str, Any] = {}
    for f in fields:
        value = _parse_object(f.children, form, required=f.required) if f.kind == "group" else _parse_leaf(f, form)
        if value is not None:
            result[f.name.rsplit(".", 1)[-1]] = value
    # An empty optional group is left out; an empty required one stays, so its fields report.
    return result if result or required else None


def _parse_leaf(f: Field, form: MultiDict) -> Any:
    if f.kind == "checkboxes":
        chosen = [v for v in form.getlist(f.name) if v]
        return chosen or None
    raw = (form.get(f.name) or "").strip()
    if raw == "":
        return None
    if f.kind == "yesno":
        return {"true": True, "false": False}.get(raw, raw)
    if f.kind == "integer":
        return _number(raw, int)
    if f.kind == "number":
        return _number(raw, float)
    return raw


def _number(raw: str, convert: type) -> Any:
    try:
        return convert(raw.replace(",", "."))
    except ValueError:
        return raw


def field_labels(fields: tuple[Field, ...], parent: str = "") -> dict[str, str]:
    """Dotted name -> "Gruppe › Felt", for an error summary that names each field the way the form does."""
    labels: dict[str, str] = {}
    for f in fields:
        label = f"{parent} › {f.label}" if parent else f.label
        labels[f.name] = label
        labels.update(field_labels(f.children, label))
    return labels
