"""How an afgørelse is shown: a plain value, safe after the session closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tasks.afgoerelser.model import KIND_DA, UDFALD_DA, Afgoerelse


@dataclass(frozen=True)
class AfgoerelseView:
    id: int
    kind: str
    udfald: str
    ydelse: str | None
    decided_at: datetime
    letter_id: int | None
    kind_da: str
    udfald_da: str
    serviceniveau: str | None
    period_start: date | None
    period_end: date | None
    decided_by: str | None
    begrundelse_regler: str
    begrundelse_faktiske_forhold: str
    begrundelse_hovedhensyn: str
    partshoering: str
    partshoering_da: str
    afvigelse: bool
    afvigelse_grunde: str | None
    afvigelse_begrundelse: str | None

    @classmethod
    def of(cls, row: Afgoerelse) -> AfgoerelseView:
        decider = row.decided_by
        return cls(
            id=row.id,
            kind=row.kind.value,
            udfald=row.udfald.value,
            ydelse=row.ydelse,
            decided_at=row.decided_at,
            letter_id=row.letter_id,
            kind_da=KIND_DA[row.kind],
            udfald_da=UDFALD_DA[row.udfald],
            serviceniveau=row.serviceniveau,
            period_start=row.period_start,
            period_end=row.period_end,
            decided_by=(decider.full_name or decider.username) if decider is not None else None,
            begrundelse_regler=row.begrundelse_regler,
            begrundelse_faktiske_forhold=row.begrundelse_faktiske_forhold,
            begrundelse_hovedhensyn=row.begrundelse_hovedhensyn,
            partshoering=row.partshoering.value,
            partshoering_da=row.partshoering_da,
            afvigelse=row.afvigelse,
            afvigelse_grunde=row.afvigelse_grunde,
            afvigelse_begrundelse=row.afvigelse_begrundelse,
        )
