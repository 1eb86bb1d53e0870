"""The whole test run's logs must hold no CPR number: a handler on the root logger watches every record.

It sees the raw records (before the service's redacting filter), so a CPR number that the safety
net would have hidden in production still fails the run: the net must never be what saves us.
"""

from __future__ import annotations

import logging

from web.logs import CPR_PATTERN


class CprWatch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 — a broken format string is not our concern here
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]}"
        if CPR_PATTERN.search(text):
            self.found.append(f"{record.name}: {CPR_PATTERN.sub('<CPR>', text)[:200]}")

    def verdict(self) -> str | None:
        """None when clean, else what to tell (with the number itself masked)."""
        if not self.found:
            return None
        return f"{len(self.found)} logrecord(s) med et CPR-nummer: " + "; ".join(self.found[:5])
