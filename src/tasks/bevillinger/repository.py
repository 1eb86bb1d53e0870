"""Every query on bevillinger, in one place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.bevillinger.model import Bevilling, BevillingStatus


class BevillingRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, bevilling: Bevilling) -> Bevilling:
        self._session.add(bevilling)
        self._session.flush()
        return bevilling

    def for_case(self, case_id: int) -> list[Bevilling]:
        query = select(Bevilling).where(Bevilling.case_id == case_id).order_by(Bevilling.id)
        return list(self._session.scalars(query))

    def active(self, case_id: int) -> Bevilling | None:
        query = (
            select(Bevilling)
            .where(Bevilling.case_id == case_id, Bevilling.status == BevillingStatus.AKTIV)
            .order_by(Bevilling.id.desc())
        )
        return self._session.scalars(query).first()

    def granted_by(self, afgoerelse_id: int) -> Bevilling | None:
        return self._session.scalar(select(Bevilling).where(Bevilling.granted_by_id == afgoerelse_id))

    def ended_by(self, afgoerelse_id: int) -> Bevilling | None:
        return self._session.scalar(select(Bevilling).where(Bevilling.ended_by_id == afgoerelse_id))
