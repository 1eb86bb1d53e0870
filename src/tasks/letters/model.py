"""Letters to the citizen (and the bundle for Ankestyrelsen) with their dispatch record."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from pypdf import PdfReader, PdfWriter
from sqlalchemy import JSON, Date, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, enum_column


class LetterChannel(StrEnum):
    """How a letter reaches its recipient; each has its own receipt rule for the klagefrist (R4)."""

    DIGITAL_POST = "digital_post"
    FYSISK_POST = "fysisk_post"  # citizens exempt from Digital Post (fritaget)


CHANNEL_DA = {LetterChannel.DIGITAL_POST: "Digital Post", LetterChannel.FYSISK_POST: "Fysisk post"}


class LetterState(StrEnum):
    AFVENTER = "afventer"  # written by the command, waiting for the dispatch job
    SENDT = "sendt"  # dated, rendered and handed to its channel
    UDEN_KANAL = "uden_kanal"  # dated and rendered for the case file; no channel (an anonymous case)
    FEJLET = "fejlet"  # the channel refused it for good (or after the last retry): someone must act
    TILBAGEHOLDT = "tilbageholdt"  # held for manual handling (adressebeskyttelse): never in the print batch


STATE_DA = {
    LetterState.AFVENTER: "Afventer afsendelse",
    LetterState.SENDT: "Sendt",
    LetterState.UDEN_KANAL: "Ikke sendt",
    LetterState.FEJLET: "Afsendelse fejlet",
    LetterState.TILBAGEHOLDT: "Tilbageholdt til manuel håndtering",
}

MAX_ATTEMPTS = 20  # with the backoff below: about a day of retries before a letter is given up
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """How long a letter waits after its ``attempts``-th failed try: 30 s, 1 min, 2 min ... at most 1 hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


class Letter(Base):
    """A letter: its content is stored by the command that decided; the dispatch job dates it, renders the PDF
    and marks it sent.  The date, the receipt day and the klagefrist are set once, at the first dispatch, and
    never change (a retried dispatch sends the same PDF).

    The content and the PDF hold personal data: served only behind login to those who may see the case,
    and every read is access-logged."""

    __tablename__ = "letters"
    __table_args__ = (UniqueConstraint("copy_of_id", "party_id", name="uq_letters_copy_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    content: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    channel: Mapped[LetterChannel | None] = mapped_column(enum_column(LetterChannel))
    state: Mapped[LetterState] = mapped_column(enum_column(LetterState), index=True, default=LetterState.AFVENTER)
    dispatched_at: Mapped[datetime | None]
    letter_date: Mapped[date | None]
    received_on: Mapped[date | None]
    klagefrist_ends_on: Mapped[date | None]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    message_uuid: Mapped[str | None] = mapped_column(String(36), unique=True)
    next_attempt_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    print_batch_id: Mapped[int | None] = mapped_column(ForeignKey("print_batches.id"))
    copy_of_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))  # a representative's copy of it
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))  # the representative a copy goes to

    @property
    def is_copy(self) -> bool:
        return self.copy_of_id is not None

    @property
    def is_dated(self) -> bool:
        return self.dispatched_at is not None

    def date_it(
        self, at: datetime, letter_date: date, received_on: date | None, klagefrist: date | None, message_uuid: str
    ) -> None:
        """The first dispatch: the letter's date, when it counts as received, its klagefrist and the message id
        every retry sends.  Once only."""
        if self.is_dated:
            return
        self.message_uuid = message_uuid
        self.dispatched_at = at
        self.letter_date = letter_date
        self.received_on = received_on
        self.klagefrist_ends_on = klagefrist

    def ensure_message_uuid(self, message_uuid: str) -> None:
        if self.message_uuid is None:
            self.message_uuid = message_uuid

    def store_pdf(self, pdf: bytes) -> None:
        self.pdf = pdf

    def take(self, until: datetime) -> None:
        """A scheduler owns the letter until ``until``; if it dies the lease runs out and another retries."""
        self.lease_until = until

    def mark_sent(self, at: datetime, print_batch_id: int | None = None) -> None:
        self.state = LetterState.SENDT if self.channel is not None else LetterState.UDEN_KANAL
        self.sent_at = at
        self.lease_until = None
        self.next_attempt_at = None
        self.print_batch_id = print_batch_id

    def mark_failed(self, error: str, at: datetime, *, permanent: bool = False) -> None:
        """A failed try: retried after the backoff, or given up (``fejlet``) when it can never succeed or
        after the last retry."""
        self.attempts += 1
        self.last_error = error[:500]
        self.lease_until = None
        self.next_attempt_at = at + backoff(self.attempts)
        if permanent or self.attempts >= MAX_ATTEMPTS:
            self.state = LetterState.FEJLET

    def hold(self, reason: str) -> None:
        """Not sent: kept, dated and rendered, for a person to deliver by hand (the reason says why)."""
        self.state = LetterState.TILBAGEHOLDT
        self.last_error = reason[:500]
        self.lease_until = None
        self.next_attempt_at = None

    def send_again(self) -> None:
        """A failed letter back in the queue: same date, PDF and message id (a receiver that did get it answers
        409, so it is never delivered twice); the retries start over."""
        self.state = LetterState.AFVENTER
        self.attempts = 0
        self.next_attempt_at = None
        self.lease_until = None


class PrintBatch(Base):
    """The day's physical post as one PDF."""

    __tablename__ = "print_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    letters: Mapped[int] = mapped_column(Integer, default=0)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    def add(self, address_page: bytes, letter_pdf: bytes, at: datetime) -> None:
        """Append an address page and the letter behind the letters already in the batch."""
        writer = PdfWriter()
        for part in (self.pdf, address_page, letter_pdf):
            if part:
                writer.append(PdfReader(io.BytesIO(part)))
        out = io.BytesIO()
        writer.write(out)
        self.pdf = out.getvalue()
        self.letters += 1
        self.updated_at = at
