"""What a pathway reads out of its process data when a bevilling is set up or changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class GrantFacts:
    ydelse: str
    serviceniveau: str
    omfang: str
    leverandoer: str
    start: date
    slut: date | None = None
    egenbetaling: str | None = None
    first_opfoelgning: date | None = None
    handleplan_tilbudt: bool | None = None
