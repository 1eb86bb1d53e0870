"""Read a case's letters back: the list and one PDF.  Both are personal data, so both are access-logged.

A letter that is not dispatched yet has no PDF: the endpoint answers at once with a draft, rendered
from the stored content and clearly marked, and stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine import calendar
from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.letters.model import Letter
from tasks.letters.pdf import FontsMissing, render
from tasks.letters.printing import printed, stored
from tasks.service.actors import Actor
from tasks.service.errors import NotFound, Unavailable
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class LetterView:
    id: int
    kind: str
    title: str
    created_at: datetime
    klagefrist_ends_on: date | None
    channel: str | None
    state: str
    dispatched_at: datetime | None
    letter_date: date | None
    received_on: date | None
    attempts: int = 0
    last_error: str | None = None
    copy_of_id: int | None = None  # a representative's copy of that letter
    copy_to: str | None = None  # the representative (name and relation)

    @classmethod
    def of(cls, row: Letter) -> LetterView:
        return cls(
            row.id,
            row.kind,
            row.title,
            row.created_at,
            row.klagefrist_ends_on,
            row.channel.value if row.channel is not None else None,
            row.state.value,
            row.dispatched_at,
            row.letter_date,
            row.received_on,
            row.attempts,
            row.last_error,
            row.copy_of_id,
            (row.content or {}).get("copy_to"),
        )


def list_letters(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:breve") -> list[LetterView]:
    """The case's letters (their titles name the citizen's matter), access-logged like every read."""
    with uow:
        case = visible_case(uow, actor, case_id)
        letters = [LetterView.of(r) for r in uow.letters.for_case(case.id)]
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return letters


def letter_pdf(
    uow: UnitOfWork, actor: Actor, case_id: int, letter_id: int, purpose: str = "api:brev"
) -> tuple[str, bytes]:
    """The PDF (a marked draft when not dispatched yet) and a file name without personal data; access-logged."""
    with uow:
        case = visible_case(uow, actor, case_id)
        row = uow.letters.of_case(case.id, letter_id, with_pdf=True)
        if row is None:
            raise NotFound("Brevet findes ikke")
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        draft = row.pdf is None
        pdf = pdf_or_draft(row, uow)
        filename = f"{case.reference}-{row.kind}-{row.id}{'-kladde' if draft else ''}.pdf"
        uow.commit()
    return filename, pdf


def pdf_or_draft(row: Letter, uow: UnitOfWork) -> bytes:
    """The dispatched PDF, or a marked draft rendered now for a letter still waiting for the dispatch job."""
    if row.pdf is not None:
        return row.pdf
    body, _, _ = stored(row)
    try:
        return render(body, printed(row, calendar.local_date(uow.clock.now())), uow.fonts)
    except FontsMissing as exc:
        raise Unavailable(f"Brevet kan ikke dannes lige nu: {exc}") from exc
