"""The published sagsbehandlingsfrister (retssikkerhedsloven § 3, stk. 2): what the citizen reads is what runs.

The page is made from the ``sagsbehandlingsfrist`` table in force — the very table every new case
reads its R1 frist from — so a procesejer's change (a new version, or a rollback) changes the
published page at the same moment as the frister of new cases.  No personal data: it is public.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.calendar import Period
from tasks.kvalitetsstandard.tables import current_tables, paragraph_order, ydelse_names
from tasks.service.uow import UnitOfWork

OTHER = "__alle_andre_ydelser__"  # matches only the table's default row


@dataclass(frozen=True)
class PublishedFrist:
    ydelse: str
    name: str
    frist: str  # e.g. "8 uger"


@dataclass(frozen=True)
class PublishedFrister:
    municipality: str
    frister: tuple[PublishedFrist, ...]
    other: str | None  # the frist of every ydelse not named (the table's default row)
    version: int | None  # the table's version in force


def published_frister(uow: UnitOfWork) -> PublishedFrister:
    with uow:
        tables = current_tables(uow)
        names = ydelse_names(uow)
    municipality = str(uow.standard.municipality.get("navn", "Kommunen"))
    if tables.frister is None:
        return PublishedFrister(municipality, (), None, None)
    rows = tuple(
        PublishedFrist(y, names.get(y, y), _label(tables.sagsbehandlingsfrist(y)))
        for y in sorted(tables.ydelser(), key=paragraph_order)
    )
    return PublishedFrister(municipality, rows, _label(tables.sagsbehandlingsfrist(OTHER)), tables.frister[0])


def _label(period: Period | None) -> str:
    return period.label_da() if period is not None else "-"
