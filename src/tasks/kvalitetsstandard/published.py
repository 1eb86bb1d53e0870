"""The published sagsbehandlingsfrister (retssikkerhedsloven § 3, stk. 2): what the citizen reads is what runs.

The page is made from the ``sagsbehandlingsfrist`` table in force — the very table every new case
reads its R1 frist from — so a procesejer's change (a new version, or a rollback) changes the
published page at the same moment as the frister of new cases.  No personal data: it is public.
"""

from __future__ import annotations

from dataclasses import dataclass

from tasks.kvalitetsstandard.coherence import FRISTER
from tasks.kvalitetsstandard.tables import current_tables, paragraph_order, ydelse_names
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class PublishedFrist:
    ydelse: str
    name: str
    frist: str  # e.g. "8 uger"


@dataclass(frozen=True)
class PublishedFrister:
    """Every ydelse of the table in force with its frist; there is no default row (an unknown ydelse is refused)."""

    municipality: str
    frister: tuple[PublishedFrist, ...]
    version: int | None  # the table's version in force


def published_frister(uow: UnitOfWork) -> PublishedFrister:
    with uow:
        tables = current_tables(uow)
        names = ydelse_names(uow)
    municipality = str(uow.standard.municipality.get("navn", "Kommunen"))
    if not tables.has(FRISTER):
        return PublishedFrister(municipality, (), None)
    rows = tuple(
        PublishedFrist(y, names.get(y, y), tables.sagsbehandlingsfrist(y).label_da())
        for y in sorted(tables.ydelser(), key=paragraph_order)
    )
    return PublishedFrister(municipality, rows, tables.found[FRISTER][0])
