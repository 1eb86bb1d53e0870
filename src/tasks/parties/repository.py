"""Every query on parties, in one place."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tasks.parties.model import Party, PartyKind

# Built once (every letter reads them): building and cache-keying a statement costs about as much as running it.
_OF_CASE = select(Party).where(Party.case_id == bindparam("case_id")).order_by(Party.id)
_OF_KIND = _OF_CASE.where(Party.kind == bindparam("kind"))


class PartyRepository:
    """Per unit of work.  Whether a party was added in this command is remembered: a letter's read of the parties
    needs no flush of everything else the command changed when none was (a party's case and kind never change,
    and a party is never deleted)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._added = False

    def add(self, party: Party) -> Party:
        self._session.add(party)
        self._added = True
        return party

    def citizen(self, case_id: int) -> Party | None:
        return self._session.scalars(_OF_KIND, {"case_id": case_id, "kind": PartyKind.BORGER}).first()

    def representatives(self, case_id: int) -> list[Party]:
        return list(self._session.scalars(_OF_KIND, {"case_id": case_id, "kind": PartyKind.REPRAESENTANT}))

    def citizen_and_representatives(self, case_id: int) -> tuple[Party | None, list[Party]]:
        """``citizen`` and ``representatives`` in one read (what every letter needs)."""
        if self._added:
            parties = list(self._session.scalars(_OF_CASE, {"case_id": case_id}))
        else:
            with self._session.no_autoflush:
                parties = list(self._session.scalars(_OF_CASE, {"case_id": case_id}))
        citizen = next((p for p in parties if p.kind == PartyKind.BORGER), None)
        return citizen, [p for p in parties if p.kind == PartyKind.REPRAESENTANT]
