"""What a pathway reads out of its process data when a decision activity ends: the facts of an afgørelse.

Plain values, no database: the pathway modules build them (they know their diagram's fields), the
handlers here store them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tasks.afgoerelser.model import AfgoerelseKind, PartshoeringStatus, Udfald


@dataclass(frozen=True)
class Begrundelse:
    """Forvaltningsloven § 24: the rules applied, the facts relied on, the main considerations."""

    regler: str
    faktiske_forhold: str
    hovedhensyn: str


@dataclass(frozen=True)
class PartshoeringFacts:
    status: PartshoeringStatus
    sendt: date | None = None
    undtagelse: str | None = None
    begrundelse: str | None = None
    svar_modtaget: date | None = None


@dataclass(frozen=True)
class DecisionFacts:
    kind: AfgoerelseKind
    udfald: Udfald
    ydelse: str | None
    begrundelse: Begrundelse
    partshoering: PartshoeringFacts
    decided_in: str  # the user task whose completer made the decision
    afvigelse: bool = False
    afvigelse_grunde: str | None = None  # the deviations found against the catalogue
    afvigelse_begrundelse: str | None = None  # the caseworker's reason
    ophoer_on: date | None = None  # an ophør: the last day with the ydelse
