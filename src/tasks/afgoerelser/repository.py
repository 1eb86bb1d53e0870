"""Every query on afgørelser, in one place."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tasks.afgoerelser.model import Afgoerelse

# Built once (the decision commands run it): building and cache-keying a statement costs about as much as
# running it on SQLite.
_FOR_CASE = select(Afgoerelse).where(Afgoerelse.case_id == bindparam("case_id")).order_by(Afgoerelse.id)


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
        return list(self._session.scalars(_FOR_CASE, {"case_id": case_id}))

    def latest(self, case_id: int) -> Afgoerelse | None:
        query = select(Afgoerelse).where(Afgoerelse.case_id == case_id).order_by(Afgoerelse.id.desc()).limit(1)
        return self._session.scalar(query)

    def awaiting_grant_letter(self, case_id: int) -> Afgoerelse | None:
        """The newest granting afgørelse whose letter waits for its bevilling to be set up."""
        for afgoerelse in reversed(self.for_case(case_id)):
            if afgoerelse.grants and afgoerelse.awaits_letter:
                return afgoerelse
        return None
