"""Read a case's letters back: the list and one PDF.  Both are personal data, so both are access-logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import undefer

from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.letters.model import Letter
from tasks.service.actors import Actor
from tasks.service.errors import NotFound
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class LetterView:
    id: int
    kind: str
    title: str
    created_at: datetime
    klagefrist_ends_on: date | None

    @classmethod
    def of(cls, row: Letter) -> LetterView:
        return cls(row.id, row.kind, row.title, row.created_at, row.klagefrist_ends_on)


def list_letters(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:breve") -> list[LetterView]:
    """The case's letters (their titles name the citizen's matter), access-logged like every read."""
    with uow:
        case = visible_case(uow, actor, case_id)
        rows = uow.session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id))
        letters = [LetterView.of(r) for r in rows]
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return letters


def letter_pdf(
    uow: UnitOfWork, actor: Actor, case_id: int, letter_id: int, purpose: str = "api:brev"
) -> tuple[str, bytes]:
    """The PDF and a file name without personal data; the read is access-logged."""
    with uow:
        case = visible_case(uow, actor, case_id)
        row = uow.session.scalar(
            select(Letter).where(Letter.id == letter_id, Letter.case_id == case.id).options(undefer(Letter.pdf))
        )
        if row is None:
            raise NotFound("Brevet findes ikke")
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        filename, pdf = f"{case.reference}-{row.kind}-{row.id}.pdf", row.pdf
        uow.commit()
    return filename, pdf
