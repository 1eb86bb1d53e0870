"""Letters to the citizen (and the bundle for Ankestyrelsen) with their dispatch record."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
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


STATE_DA = {
    LetterState.AFVENTER: "Afventer afsendelse",
    LetterState.SENDT: "Sendt",
    LetterState.UDEN_KANAL: "Ikke sendt",
}


class Letter(Base):
    """A letter: its content is stored by the command that decided; the dispatch job dates it, renders the PDF
    and marks it sent.  The date, the receipt day and the klagefrist are set once, at the first dispatch, and
    never change (a retried dispatch sends the same PDF).

    The content and the PDF hold personal data: served only behind login to those who may see the case,
    and every read is access-logged."""

    __tablename__ = "letters"

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

    @property
    def is_dated(self) -> bool:
        return self.dispatched_at is not None

    def date_it(self, at: datetime, letter_date: date, received_on: date | None, klagefrist: date | None) -> None:
        """The first dispatch: the letter's date, when it counts as received and its klagefrist.  Once only."""
        if self.is_dated:
            return
        self.dispatched_at = at
        self.letter_date = letter_date
        self.received_on = received_on
        self.klagefrist_ends_on = klagefrist

    def store_pdf(self, pdf: bytes) -> None:
        self.pdf = pdf

    def mark_sent(self, at: datetime) -> None:
        self.state = LetterState.SENDT if self.channel is not None else LetterState.UDEN_KANAL
        self.sent_at = at

    def mark_failed(self, error: str) -> None:
        self.attempts += 1
        self.last_error = error[:500]
