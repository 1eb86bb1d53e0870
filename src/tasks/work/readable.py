"""A submitted form's data in words: each answer with the label its form gave it ("Livsområder › Mobilitet ›
Niveau": "C – Moderat problem"), so the case page, the API and the aktindsigt speak the form's own Danish."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Answer:
    label: str
    value: str


def answers(schema: dict[str, Any] | None, data: dict[str, Any]) -> list[Answer]:
    """Every answered field in the schema's order (unknown keys last, by their own name)."""
    if not schema:
        return [Answer(key, _plain(value)) for key, value in sorted(data.items())]
    found = _object(schema, schema, data, "")
    known = set((schema.get("properties") or {}).keys())
    found += [Answer(key, _plain(value)) for key, value in sorted(data.items()) if key not in known]
    return found


def _object(root: dict[str, Any], schema: dict[str, Any], data: dict[str, Any], parent: str) -> list[Answer]:
    found: list[Answer] = []
    for key, prop in (schema.get("properties") or {}).items():
        if key not in data:
            continue
        prop = resolve(root, prop)
        label = prop.get("title") or key.replace("_", " ").capitalize()
        full = f"{parent} › {label}" if parent else label
        value = data[key]
        if isinstance(value, dict) and prop.get("type") == "object":
            found += _object(root, prop, value, full)
        else:
            found.append(Answer(full, display(root, prop, value)))
    return found


def resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` (``#/$defs/niveau``); keys beside the ref (a title) win."""
    ref = schema.get("$ref")
    if not ref or not ref.startswith("#/"):
        return schema
    target: Any = root
    for part in ref[2:].split("/"):
        target = target.get(part, {})
    return {**resolve(root, target), **{k: v for k, v in schema.items() if k != "$ref"}}


def display(root: dict[str, Any], prop: dict[str, Any], value: Any) -> str:
    """One value as the form showed it: Ja/Nej, an option's title, a list of titles."""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, list):
        items = resolve(root, prop.get("items") or {})
        return ", ".join(display(root, items, v) for v in value)
    for choice in prop.get("oneOf") or prop.get("anyOf") or []:
        if isinstance(choice, dict) and choice.get("const") == value:
            return str(choice.get("title", value))
    return _plain(value)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)
