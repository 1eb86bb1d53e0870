"""Every query on parties, in one place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.parties.model import Party, PartyKind


class PartyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, party: Party) -> Party:
        self._session.add(party)
        return party

    def citizen(self, case_id: int) -> Party | None:
        query = select(Party).where(Party.case_id == case_id, Party.kind == PartyKind.BORGER).order_by(Party.id)
        return self._session.scalars(query).first()

    def representatives(self, case_id: int) -> list[Party]:
        query = select(Party).where(Party.case_id == case_id, Party.kind == PartyKind.REPRAESENTANT).order_by(Party.id)
        return list(self._session.scalars(query))
