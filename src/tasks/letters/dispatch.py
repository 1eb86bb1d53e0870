"""The dispatch job: date each waiting letter, render its PDF, hand it to its channel, mark it sent.

Rendering happens here, outside the command that decided.  Each letter is handled in short
transactions with the network call between them, so no lock is held while a letter travels:

1. under a row lock (SKIP LOCKED: several schedulers never take the same letter) the letter is dated
   — its date, the day it counts as received on its channel, its klagefrist (R4) and its MeMo message
   id — and its PDF is rendered and stored, once: a letter dated before keeps its date, id and PDF.
   The scheduler takes a lease on it (``LEASE``) and commits;
2. a Digital Post letter goes to the transport (``digital_post.DigitalPost``; ``RecordOnly`` when no
   endpoint is configured), with no transaction open;
3. the letter is marked sent — a physical-post letter is put in the day's print batch in the same
   transaction (``print_batch.py``), so it is in the batch exactly when it is marked sent.

A crash between 1 and 3 leaves the letter waiting with its date, id and PDF; when the lease has run
out it is sent again with the same message id, which the receiver recognises (it answers 409 or 2xx
and the letter counts as delivered): nothing is lost and the citizen gets one letter.  A failed try
is retried with backoff (30 s doubling to 1 hour; ``Letter.mark_failed``); a letter the channel can
never take, or still failing after the last retry, is marked ``fejlet`` and shown as such.

When a letter to the citizen is marked sent, each representative's copy is made in the same
transaction (``copies.py``) and dispatched in the same run; physical post about a citizen with
address protection is held (``tilbageholdt``), never put in the shared print batch.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine import calendar
from tasks.cases.model import Case
from tasks.events import LetterDispatched
from tasks.letters.copies import NO_ADDRESS_REASON, PROTECTED_REASON, copy_without_address, make_copies, must_hold
from tasks.letters.model import Letter, LetterChannel
from tasks.letters.pdf import FontsMissing, LetterFonts, render
from tasks.letters.print_batch import put_in_batch
from tasks.letters.printing import dates_for, printed, stored
from tasks.letters.transport import Outgoing, RecordOnly, Transport, TransportError, Undeliverable
from tasks.service.actors import SYSTEM
from tasks.service.services import Services
from tasks.service.uow import UnitOfWork

__all__ = ["DispatchResult", "Outgoing", "RecordOnly", "Transport", "TransportError", "dispatch_letters"]

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # longer than the transport's timeout: a live scheduler always records first


@dataclass(frozen=True)
class DispatchResult:
    sent: int
    failed: int


def dispatch_letters(services: Services, now: datetime, transport: Transport | None = None) -> DispatchResult:
    """Dispatch every letter that is due; one letter's failure never stops the others."""
    transport = transport or RecordOnly()
    sent = failed = 0
    seen: set[int] = set()
    while waiting := _due(services, now, seen):  # copies made while sending are due in the same run
        seen.update(waiting)
        for letter_id in waiting:
            try:
                outgoing = _take(services, letter_id, now)
            except FontsMissing as exc:
                log.error("Brev %s kunne ikke dannes: %s", letter_id, exc)
                return DispatchResult(sent, failed + 1)
            if outgoing is None:
                continue
            if outgoing.channel == LetterChannel.DIGITAL_POST:
                try:
                    transport.send(outgoing)
                except TransportError as exc:
                    _record_failure(services, letter_id, exc, now)
                    failed += 1
                    continue
            sent += _mark_sent(services, letter_id, now)
    return DispatchResult(sent, failed)


def _due(services: Services, now: datetime, seen: set[int]) -> list[int]:
    with services.uow() as uow:
        return [i for i in uow.letters.due_ids(now, limit=200 + len(seen)) if i not in seen][:200]


def message_uuid(services: Services, letter_id: int) -> str:
    """The letter's MeMo message id: a name-based UUID of the installation and the letter, fixed at dating."""
    return str(uuid.uuid5(services.installation_id, f"sagsflow-letter:{letter_id}"))


def _take(services: Services, letter_id: int, now: datetime) -> Outgoing | None:
    with services.uow() as uow:
        letter = uow.letters.lock_due(letter_id, now)
        if letter is None:
            return None
        if not letter.is_dated:
            letter_date = calendar.local_date(now)
            received, klagefrist = dates_for(letter_date, letter.channel)
            letter.date_it(now, letter_date, received, klagefrist, message_uuid(services, letter.id))
        letter.ensure_message_uuid(message_uuid(services, letter.id))  # a letter dated before migration 0013
        if letter.pdf is None:
            letter.store_pdf(_render(letter, uow.fonts))
        letter.take(now + LEASE)
        outgoing = _outgoing(uow, letter, now)
        uow.commit()
    return outgoing


def _outgoing(uow: UnitOfWork, letter: Letter, now: datetime) -> Outgoing:
    case = uow.cases.get(letter.case_id)
    cpr = _citizen_cpr(uow, case) if case is not None else None
    body, _, _ = stored(letter)
    return Outgoing(
        letter.id,
        letter.channel,
        letter.letter_date or calendar.local_date(now),
        letter.pdf or b"",
        message_uuid=letter.message_uuid or "",
        kind=letter.kind,
        title=letter.title,
        reference=case.reference if case is not None else "",
        recipient_cpr=cpr.replace("-", "") if cpr else None,
        recipient_name=body.recipient[0] if body.recipient else "",
        prepared_at=now,
    )


def _citizen_cpr(uow: UnitOfWork, case: Case) -> str | None:
    if case.citizen_cpr or case.parent_case_id is None:
        return case.citizen_cpr
    parent = uow.cases.get(case.parent_case_id)
    return parent.citizen_cpr if parent is not None else None


def _render(letter: Letter, fonts: LetterFonts) -> bytes:
    body, _, _ = stored(letter)
    today = letter.letter_date or calendar.local_date(letter.created_at)
    return render(body, printed(letter, today), fonts)


def _mark_sent(services: Services, letter_id: int, now: datetime) -> int:
    """Mark the letter sent (a physical letter into the day's batch) and make the representatives' copies, in one
    transaction; or hold it (adressebeskyttelse).  1 when it was sent."""
    with services.uow() as uow:
        letter = uow.letters.lock_pending(letter_id)
        if letter is None:
            return 0
        case = uow.cases.get(letter.case_id)
        if must_hold(uow, letter):
            _hold(uow, letter, case, now)
            uow.commit()
            return 0
        if copy_without_address(uow, letter):  # never an envelope without an address in the batch
            letter.mark_failed(NO_ADDRESS_REASON, now, permanent=True)
            uow.commit()
            return 0
        batch_id = None
        if letter.channel == LetterChannel.FYSISK_POST:
            body, _, _ = stored(letter)
            batch_id = put_in_batch(uow, letter, body, calendar.local_date(now), now).id
        letter.mark_sent(now, batch_id)
        make_copies(uow, letter, services.installation_id, now)
        if case is not None:
            uow.publish(LetterDispatched(case, now, letter))
        uow.commit()
    return 1


def _hold(uow: UnitOfWork, letter: Letter, case: Case | None, now: datetime) -> None:
    letter.hold(PROTECTED_REASON)
    if case is not None:
        message = f"Brev tilbageholdt: {letter.title}. {PROTECTED_REASON}"
        uow.journal.record(
            case, actor=SYSTEM, action="letter_held", at=now, message=message, details={"letter_id": letter.id}
        )


def _record_failure(services: Services, letter_id: int, error: TransportError, now: datetime) -> None:
    with services.uow() as uow:
        letter = uow.letters.lock_pending(letter_id)
        if letter is None:
            return
        letter.mark_failed(str(error), now, permanent=isinstance(error, Undeliverable))
        state, attempts = letter.state.value, letter.attempts
        uow.commit()
    log.warning("Brev %s blev ikke afsendt (forsøg %s, %s): %s", letter_id, attempts, state, error)
