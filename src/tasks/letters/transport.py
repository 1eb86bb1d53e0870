"""How a letter leaves: what the dispatch job hands a channel, and what a channel may answer.

A transport gets the dated letter with its PDF and a stable message id, and either returns (the
letter is delivered), raises ``TransportError`` (not now: retried later with the same id, date and
PDF) or ``Undeliverable`` (never: the letter is marked failed for a person to act on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from tasks.letters.model import LetterChannel


@dataclass(frozen=True)
class Outgoing:
    """One letter on its way: the same ``message_uuid`` on every retry, so the receiver knows a repeat."""

    letter_id: int
    channel: LetterChannel | None
    letter_date: date
    pdf: bytes = field(repr=False)
    message_uuid: str = ""
    kind: str = ""
    title: str = ""
    reference: str = ""  # the case's reference
    recipient_cpr: str | None = field(default=None, repr=False)  # 10 digits; never logged
    recipient_name: str = field(default="", repr=False)
    prepared_at: datetime | None = None


class TransportError(Exception):
    """The channel did not take the letter now; it stays waiting and is retried with the same date and PDF."""


class Undeliverable(TransportError):
    """The channel will never take this letter as it is (no CPR number, refused by the receiver)."""


class Transport(Protocol):
    def send(self, letter: Outgoing) -> None: ...


class RecordOnly:
    """No Digital Post endpoint configured (a laptop, the demo): the letter is recorded as sent."""

    def send(self, letter: Outgoing) -> None:
        return None
