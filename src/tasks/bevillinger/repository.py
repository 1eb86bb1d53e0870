"""Every query on bevillinger, in one place."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tasks.bevillinger.model import Bevilling, BevillingStatus

# Built once (the decision commands run them): building and cache-keying a statement costs about as much as
# running it on SQLite.
_FOR_CASE = select(Bevilling).where(Bevilling.case_id == bindparam("case_id")).order_by(Bevilling.id)
_ACTIVE = (
    select(Bevilling)
    .where(Bevilling.case_id == bindparam("case_id"), Bevilling.status == BevillingStatus.AKTIV)
    .order_by(Bevilling.id.desc())
)
_GRANTED_BY = select(Bevilling).where(Bevilling.granted_by_id == bindparam("afgoerelse_id"))
_ENDED_BY = select(Bevilling).where(Bevilling.ended_by_id == bindparam("afgoerelse_id"))


class BevillingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, bevilling: Bevilling) -> Bevilling:
        self._session.add(bevilling)
        self._session.flush()
        return bevilling

    def for_case(self, case_id: int) -> list[Bevilling]:
        return list(self._session.scalars(_FOR_CASE, {"case_id": case_id}))

    def active(self, case_id: int) -> Bevilling | None:
        return self._session.scalars(_ACTIVE, {"case_id": case_id}).first()

    def granted_by(self, afgoerelse_id: int) -> Bevilling | None:
        return self._session.scalar(_GRANTED_BY, {"afgoerelse_id": afgoerelse_id})

    def ended_by(self, afgoerelse_id: int) -> Bevilling | None:
        return self._session.scalar(_ENDED_BY, {"afgoerelse_id": afgoerelse_id})
