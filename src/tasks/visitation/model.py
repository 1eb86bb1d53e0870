"""The visitationsudvalg's meetings and the indstillinger on their agendas."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, enum_column
from tasks.cases.model import Case


class IndstillingStatus(StrEnum):
    AFVENTER = "afventer"
    GODKENDT = "godkendt"
    AFVIST = "afvist"


STATUS_DA = {
    IndstillingStatus.AFVENTER: "Afventer mødet",
    IndstillingStatus.GODKENDT: "Indstillingen fulgt",
    IndstillingStatus.AFVIST: "Indstillingen ikke fulgt",
}


class Visitationsmoede(Base):
    __tablename__ = "visitationsmoeder"

    id: Mapped[int] = mapped_column(primary_key=True)
    moede_dato: Mapped[date] = mapped_column(unique=True)
    created_at: Mapped[datetime]


class Indstilling(Base):
    """One case on a meeting's agenda: the sagsbehandler's written indstilling and the udvalg's decision."""

    __tablename__ = "indstillinger"

    id: Mapped[int] = mapped_column(primary_key=True)
    moede_id: Mapped[int] = mapped_column(ForeignKey("visitationsmoeder.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"))
    ydelse: Mapped[str] = mapped_column(String(40))
    serviceniveau: Mapped[str | None] = mapped_column(String(100))
    aarligt_beloeb: Mapped[int | None]
    status: Mapped[IndstillingStatus] = mapped_column(
        enum_column(IndstillingStatus), default=IndstillingStatus.AFVENTER
    )
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(100))
    kommentar: Mapped[str | None] = mapped_column(Text)

    moede: Mapped[Visitationsmoede] = relationship()
    case: Mapped[Case] = relationship()

    def decide(self, approved: bool, by: str, at: datetime, comment: str) -> None:
        self.status = IndstillingStatus.GODKENDT if approved else IndstillingStatus.AFVIST
        self.decided_by, self.decided_at, self.kommentar = by, at, comment or None
