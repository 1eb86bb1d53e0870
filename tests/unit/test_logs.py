"""Logs are JSON lines with a request id, and a CPR number never reaches them."""

from __future__ import annotations

import io
import json
import logging

from tests.log_watch import CprWatch
from web.logs import CprRedactingFilter, RedactingJsonFormatter, RequestIdFilter, redact_cpr


def isolated_logger(name: str) -> tuple[logging.Logger, io.StringIO]:
    """A logger that does not propagate to the root: this test's CPR numbers stay out of the run's logs."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(RedactingJsonFormatter("%(levelname)s %(name)s %(message)s %(request_id)s"))
    handler.addFilter(RequestIdFilter())
    handler.addFilter(CprRedactingFilter())
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, out


def test_cpr_shaped_text_is_redacted_in_messages_arguments_and_tracebacks():
    logger, out = isolated_logger("test.redaction")
    logger.info("Borger %s på sag %s", "010203-1234", "S-2026-0001")
    logger.warning("uden bindestreg 0102031234 og med mellemrum 010203 1234")
    try:
        raise ValueError("ugyldigt CPR 311299-9999")
    except ValueError:
        logger.exception("fejl")
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert "S-2026-0001" in lines[0]["message"] and lines[0]["request_id"] == "-"
    assert "010203" not in out.getvalue() and "311299" not in out.getvalue()
    assert "[CPR fjernet]" in lines[1]["message"] and "[CPR fjernet]" in lines[2]["exc_info"]


def test_numbers_that_are_not_cpr_shaped_stay():
    assert redact_cpr("sag 42, version 1764512345, 2026-11-23") == "sag 42, version 1764512345, 2026-11-23"


def test_the_run_wide_check_fails_on_a_logged_cpr_number_and_passes_clean_logs():
    watch = CprWatch()
    clean = logging.LogRecord("x", logging.INFO, __file__, 1, "Sag %s oprettet", ("S-1",), None)
    watch.handle(clean)
    assert watch.verdict() is None
    leaked = logging.LogRecord("x", logging.INFO, __file__, 1, "CPR %s", ("010203-1234",), None)
    watch.handle(leaked)
    verdict = watch.verdict()
    assert verdict is not None and "CPR-nummer" in verdict and "010203-1234" not in verdict
