"""Structured logs: one JSON object per line with the request id, and never a CPR number.

No code logs personal data on purpose (cases are named by id and reference); the redacting filter
is the safety net for the day someone does, e.g. in an exception message.  The tests check the
raw records of the whole run for CPR numbers (tests/conftest.py), so the net is never relied on.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

# DDMMYY, optional '-' or space, four digits; not part of a longer number.
CPR_PATTERN = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?!\d)")
REDACTED = "[CPR fjernet]"
HANDLER_NAME = "sagsflow"
request_log = logging.getLogger("sagsflow.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def redact_cpr(text: str) -> str:
    return CPR_PATTERN.sub(REDACTED, text)


class CprRedactingFilter(logging.Filter):
    """Replace anything CPR-shaped in the message (arguments merged in) and the exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if CPR_PATTERN.search(message):
            record.msg, record.args = redact_cpr(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_cpr(record.exc_text)
        return True


class RequestIdFilter(logging.Filter):
    """Every record carries the id of the request it was logged in ('-' outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class RedactingJsonFormatter(JsonFormatter):
    """The last line of defence: redact the whole formatted line (stack traces included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_cpr(super().format(record))


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (a test runner may swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(log_format: str = "json", level: int = logging.INFO) -> None:
    """Root handler on stderr: JSON lines (``json``) or readable text (``text``)."""
    handler = _StderrHandler(sys.stderr)
    if log_format == "text":
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    else:
        handler.setFormatter(
            RedactingJsonFormatter(
                "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                rename_fields={"levelname": "level", "asctime": "time", "name": "logger"},
            )
        )
    handler.addFilter(RequestIdFilter())
    handler.addFilter(CprRedactingFilter())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:  # configured again: replace ours only
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("spiff").setLevel(logging.WARNING)  # one line per engine state change is noise


def install_request_ids(app: Flask) -> None:
    """Take a sane X-Request-ID from the proxy or make one; echo it in the response."""

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _echo(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        # The path only: URLs carry ids, never personal data; query strings are left out all the same.
        request_log.info("%s %s %s %.1f ms", request.method, request.path, response.status_code, elapsed)
        return response
