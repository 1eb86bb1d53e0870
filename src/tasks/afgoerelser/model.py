"""The afgørelse: one final decision on a case, with its begrundelse and partshøring."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, enum_column
from tasks.accounts.model import User
from tasks.service.danish import long_date


class AfgoerelseKind(StrEnum):
    """What is decided."""

    ANSOEGNING = "ansoegning"
    AENDRING = "aendring"
    OPHOER = "ophoer"
    GENVURDERING = "genvurdering"


class Udfald(StrEnum):
    """The result.  An ophør is recorded as ``afslag``: continued help is refused."""

    BEVILLING = "bevilling"
    DELVIS_BEVILLING = "delvis_bevilling"
    AFSLAG = "afslag"
    MEDHOLD = "medhold"
    DELVIS_MEDHOLD = "delvis_medhold"
    FASTHOLDT = "fastholdt"

    @property
    def grants(self) -> bool:
        return self in (Udfald.BEVILLING, Udfald.DELVIS_BEVILLING)


UDFALD_DA = {
    Udfald.BEVILLING: "Bevilling",
    Udfald.DELVIS_BEVILLING: "Delvis bevilling",
    Udfald.AFSLAG: "Afslag",
    Udfald.MEDHOLD: "Medhold",
    Udfald.DELVIS_MEDHOLD: "Delvis medhold",
    Udfald.FASTHOLDT: "Fastholdt",
}
KIND_DA = {
    AfgoerelseKind.ANSOEGNING: "Ansøgning",
    AfgoerelseKind.AENDRING: "Ændring af bevilling",
    AfgoerelseKind.OPHOER: "Ophør af ydelse",
    AfgoerelseKind.GENVURDERING: "Genvurdering efter klage",
}


class PartshoeringStatus(StrEnum):
    GENNEMFOERT = "gennemfoert"  # the citizen was heard (FVL § 19, stk. 1)
    UNDTAGET = "undtaget"  # an exception of FVL § 19, stk. 2 (or stk. 1: nothing to the citizen's detriment)
    IKKE_RELEVANT = "ikke_relevant"  # a genvurdering: the klage is the citizen's own statement


class Afgoerelse(Base):
    __tablename__ = "afgoerelser"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[AfgoerelseKind] = mapped_column(enum_column(AfgoerelseKind))
    udfald: Mapped[Udfald] = mapped_column(enum_column(Udfald))
    ydelse: Mapped[str | None] = mapped_column(String(40))
    serviceniveau: Mapped[str | None] = mapped_column(String(300))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    begrundelse_regler: Mapped[str] = mapped_column(Text)
    begrundelse_faktiske_forhold: Mapped[str] = mapped_column(Text)
    begrundelse_hovedhensyn: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime]
    partshoering: Mapped[PartshoeringStatus] = mapped_column(enum_column(PartshoeringStatus))
    partshoering_sendt: Mapped[date | None]
    partshoering_undtagelse: Mapped[str | None] = mapped_column(String(200))
    partshoering_begrundelse: Mapped[str | None] = mapped_column(Text)
    afvigelse: Mapped[bool] = mapped_column(Boolean, default=False)
    afvigelse_grunde: Mapped[str | None] = mapped_column(Text)  # what Sagsflow found against the catalogue
    afvigelse_begrundelse: Mapped[str | None] = mapped_column(Text)  # the caseworker's reason for deviating
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letters.id"))

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def grants(self) -> bool:
        return self.udfald.grants and self.kind in (AfgoerelseKind.ANSOEGNING, AfgoerelseKind.AENDRING)

    @property
    def awaits_letter(self) -> bool:
        return self.letter_id is None

    def settle_grant(self, serviceniveau: str, start: date, end: date | None) -> None:
        """The bevilling is set up: the afgørelse states exactly what was granted and for how long."""
        self.serviceniveau = serviceniveau
        self.period_start = start
        self.period_end = end

    def attach_letter(self, letter_id: int) -> None:
        self.letter_id = letter_id

    @property
    def partshoering_da(self) -> str:
        if self.partshoering == PartshoeringStatus.GENNEMFOERT:
            sent = f" (sendt {long_date(self.partshoering_sendt)})" if self.partshoering_sendt else ""
            return f"Partshøring gennemført{sent}"
        if self.partshoering == PartshoeringStatus.UNDTAGET:
            return f"Partshøring undladt: {self.partshoering_undtagelse} – {self.partshoering_begrundelse}"
        return "Partshøring ikke relevant"
