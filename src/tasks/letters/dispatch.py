"""The dispatch job: date each waiting letter, render its PDF, hand it to its channel, mark it sent.

Rendering happens here, outside the command that decided.  Each letter is handled in two short
transactions with the transport between them, so no lock is held while a letter travels:

1. under a row lock (SKIP LOCKED: several schedulers never take the same letter) the letter is dated
   — its date, the day it counts as received on its channel and its klagefrist (R4) — and its PDF is
   rendered and stored, once: a letter dated before keeps its date and PDF;
2. the transport gets the stored PDF (Digital Post, a print batch: issue 20; here it only records);
3. the letter is marked sent.

A crash or a failed transport between 1 and 3 leaves the letter waiting with its date and PDF, so the
retry sends exactly what was dated before and never prints a different date.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from engine import calendar
from tasks.events import LetterDispatched
from tasks.letters.model import Letter, LetterChannel
from tasks.letters.pdf import FontsMissing, LetterFonts, render
from tasks.letters.printing import dates_for, printed, stored
from tasks.service.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    """What a transport needs: which letter, how, and the PDF (a stable id for the same letter on every retry)."""

    letter_id: int
    channel: LetterChannel | None
    letter_date: date
    pdf: bytes


class TransportError(Exception):
    """The channel did not take the letter; it stays waiting and is retried with the same date and PDF."""


class Transport(Protocol):
    def send(self, letter: Outgoing) -> None: ...


class RecordOnly:
    """Until Digital Post and the print batch are connected (issue 20): the letter is recorded as sent."""

    def send(self, letter: Outgoing) -> None:
        return None


@dataclass(frozen=True)
class DispatchResult:
    sent: int
    failed: int


def dispatch_letters(services: Services, now: datetime, transport: Transport | None = None) -> DispatchResult:
    """Dispatch every waiting letter; one letter's failure never stops the others."""
    transport = transport or RecordOnly()
    sent = failed = 0
    with services.uow() as uow:
        waiting = uow.letters.pending_ids(limit=200)
    for letter_id in waiting:
        try:
            outgoing = _date_and_render(services, letter_id, now)
        except FontsMissing as exc:
            log.error("Brev %s kunne ikke dannes: %s", letter_id, exc)
            return DispatchResult(sent, failed + 1)
        if outgoing is None:
            continue
        try:
            transport.send(outgoing)
        except TransportError as exc:
            _record_failure(services, letter_id, str(exc))
            failed += 1
            continue
        _mark_sent(services, letter_id, now)
        sent += 1
    return DispatchResult(sent, failed)


def _date_and_render(services: Services, letter_id: int, now: datetime) -> Outgoing | None:
    with services.uow() as uow:
        letter = uow.letters.lock_pending(letter_id)
        if letter is None:
            return None
        if not letter.is_dated:
            letter_date = calendar.local_date(now)
            received, klagefrist = dates_for(letter_date, letter.channel)
            letter.date_it(now, letter_date, received, klagefrist)
        if letter.pdf is None:
            letter.store_pdf(_render(letter, uow.fonts))
        outgoing = Outgoing(
            letter.id, letter.channel, letter.letter_date or calendar.local_date(now), letter.pdf or b""
        )
        uow.commit()
    return outgoing


def _render(letter: Letter, fonts: LetterFonts) -> bytes:
    body, _, _ = stored(letter)
    today = letter.letter_date or calendar.local_date(letter.created_at)
    return render(body, printed(letter, today), fonts)


def _mark_sent(services: Services, letter_id: int, now: datetime) -> None:
    with services.uow() as uow:
        letter = uow.letters.lock_pending(letter_id)
        if letter is not None:
            letter.mark_sent(now)
            case = uow.cases.get(letter.case_id)
            if case is not None:
                uow.publish(LetterDispatched(case, now, letter))
        uow.commit()


def _record_failure(services: Services, letter_id: int, error: str) -> None:
    with services.uow() as uow:
        letter = uow.letters.lock_pending(letter_id)
        if letter is not None:
            letter.mark_failed(error)
        uow.commit()
    log.warning("Brev %s blev ikke afsendt; det prøves igen med samme dato", letter_id)
