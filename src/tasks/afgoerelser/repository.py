"""Every query on afgørelser, in one place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.afgoerelser.model import Afgoerelse


class AfgoerelseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, afgoerelse: Afgoerelse) -> Afgoerelse:
        self._session.add(afgoerelse)
        self._session.flush()
        return afgoerelse

    def get(self, afgoerelse_id: int) -> Afgoerelse | None:
        return self._session.get(Afgoerelse, afgoerelse_id)

    def for_case(self, case_id: int) -> list[Afgoerelse]:
        query = select(Afgoerelse).where(Afgoerelse.case_id == case_id).order_by(Afgoerelse.id)
        return list(self._session.scalars(query))

    def latest(self, case_id: int) -> Afgoerelse | None:
        query = select(Afgoerelse).where(Afgoerelse.case_id == case_id).order_by(Afgoerelse.id.desc()).limit(1)
        return self._session.scalar(query)

    def awaiting_grant_letter(self, case_id: int) -> Afgoerelse | None:
        """The newest granting afgørelse whose letter waits for its bevilling to be set up."""
        for afgoerelse in reversed(self.for_case(case_id)):
            if afgoerelse.grants and afgoerelse.awaits_letter:
                return afgoerelse
        return None
