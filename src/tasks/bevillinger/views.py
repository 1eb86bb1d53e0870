"""How a bevilling is shown: a plain value, safe after the session closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tasks.bevillinger.model import STATUS_DA, Bevilling


@dataclass(frozen=True)
class BevillingView:
    id: int
    ydelse: str
    serviceniveau: str
    omfang: str  # the granted extent in words: "Trin 3: gennemsnitligt 2,8 timers støtte om ugen …"
    leverandoer: str
    start: date
    slut: date | None
    status: str
    status_da: str
    egenbetaling: str | None

    @classmethod
    def of(cls, row: Bevilling) -> BevillingView:
        return cls(
            id=row.id,
            ydelse=row.ydelse,
            serviceniveau=row.serviceniveau,
            omfang=row.omfang_i_ord,
            leverandoer=row.leverandoer,
            start=row.start,
            slut=row.slut,
            status=row.status.value,
            status_da=STATUS_DA[row.status],
            egenbetaling=row.egenbetaling,
        )
