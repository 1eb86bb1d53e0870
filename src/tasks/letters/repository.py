"""Every query on letters, in one place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, undefer

from tasks.letters.model import Letter, LetterState


class LetterRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, letter: Letter) -> Letter:
        self._session.add(letter)
        self._session.flush()
        return letter

    def for_case(self, case_id: int) -> list[Letter]:
        return list(self._session.scalars(select(Letter).where(Letter.case_id == case_id).order_by(Letter.id)))

    def for_cases(self, case_ids: list[int]) -> list[Letter]:
        query = select(Letter).where(Letter.case_id.in_(case_ids)).order_by(Letter.created_at, Letter.id)
        return list(self._session.scalars(query))

    def of_case(
        self, case_id: int, letter_id: int, *, with_pdf: bool = False, for_update: bool = False
    ) -> Letter | None:
        query = select(Letter).where(Letter.id == letter_id, Letter.case_id == case_id)
        if with_pdf:
            query = query.options(undefer(Letter.pdf))
        if for_update:
            query = query.with_for_update(of=Letter)
        return self._session.scalar(query)

    def has_kind(self, case_id: int, kinds: tuple[str, ...]) -> bool:
        query = select(Letter.id).where(Letter.case_id == case_id, Letter.kind.in_(kinds)).limit(1)
        return self._session.scalar(query) is not None

    def due_ids(self, now: datetime, limit: int) -> list[int]:
        """Waiting letters whose retry time has come and that no live scheduler holds."""
        query = select(Letter.id).where(*_due(now)).order_by(Letter.id).limit(limit)
        return list(self._session.scalars(query))

    def lock_due(self, letter_id: int, now: datetime) -> Letter | None:
        """The letter, locked, if it is still due (SKIP LOCKED: two schedulers never take the same)."""
        query = (
            select(Letter)
            .where(Letter.id == letter_id, *_due(now))
            .options(undefer(Letter.pdf))
            .with_for_update(skip_locked=True, of=Letter)
        )
        return self._session.scalar(query)

    def lock_pending(self, letter_id: int) -> Letter | None:
        """The letter, locked, if it still waits for dispatch (SKIP LOCKED: two schedulers never take the same)."""
        query = (
            select(Letter)
            .where(Letter.id == letter_id, Letter.state == LetterState.AFVENTER)
            .options(undefer(Letter.pdf))
            .with_for_update(skip_locked=True, of=Letter)
        )
        return self._session.scalar(query)


def _due(now: datetime) -> tuple:
    return (
        Letter.state == LetterState.AFVENTER,
        or_(Letter.next_attempt_at.is_(None), Letter.next_attempt_at <= now),
        or_(Letter.lease_until.is_(None), Letter.lease_until <= now),
    )
