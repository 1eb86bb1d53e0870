"""What every API request body must be before a view sees it: JSON, not absurdly nested, real text.

- A body that is not JSON would otherwise be read as "no fields given" and use the defaults.
- NUL characters and lone UTF-16 surrogates (``"\\ud800"``) are refused: PostgreSQL cannot store
  them in text, and no field needs one.
- Nesting deeper than ``MAX_DEPTH`` is refused before any code walks it recursively.
"""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

MAX_DEPTH = 32


def check_api_request() -> None:
    if not request.path.startswith("/api/v1"):
        return
    if "\x00" in request.path or any("\x00" in v for v in request.args.values()):
        raise BadRequest("NUL-tegn er ikke tilladt")
    if request.method not in ("POST", "PUT", "PATCH") or not request.content_length:
        return
    if request.mimetype.startswith("multipart/"):
        return  # uploads: their own checks
    if not request.is_json:
        raise UnsupportedMediaType("Brug Content-Type: application/json")
    body = request.get_data(cache=True)
    if b"\x00" in body or b"\\u0000" in body:
        raise BadRequest("NUL-tegn er ikke tilladt")
    _check(request.get_json(silent=True), 0)


def _check(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise BadRequest(f"Indholdet er indlejret for dybt (højst {MAX_DEPTH} niveauer)")
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest("Teksten indeholder et ugyldigt tegn (en enlig surrogat)") from None
