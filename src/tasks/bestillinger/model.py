"""A bestilling and the statuses its leverandør owes before each opfølgning."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class Bestilling(Base):
    __tablename__ = "bestillinger"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    bevilling_id: Mapped[int | None] = mapped_column(ForeignKey("bevillinger.id"))
    leverandoer_id: Mapped[str] = mapped_column(String(60))  # the register's id ("" for one outside the register)
    leverandoer_navn: Mapped[str] = mapped_column(String(200))
    ydelse: Mapped[str] = mapped_column(String(40))
    indsats: Mapped[str] = mapped_column(String(500))
    formaal: Mapped[str] = mapped_column(Text)
    maal: Mapped[str] = mapped_column(Text)
    omfang: Mapped[str] = mapped_column(String(300))
    start: Mapped[date]
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(100))


class BestillingStatus(Base):
    """The leverandør's status before one opfølgning: due ``due_on``, received ``received_on``."""

    __tablename__ = "bestilling_statusser"

    id: Mapped[int] = mapped_column(primary_key=True)
    bestilling_id: Mapped[int] = mapped_column(ForeignKey("bestillinger.id"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    opfoelgning_on: Mapped[date]
    due_on: Mapped[date]
    received_on: Mapped[date | None]
    tekst: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime | None]
    recorded_by: Mapped[str | None] = mapped_column(String(100))

    def receive(self, on: date, text: str, by: str, at: datetime) -> None:
        self.received_on, self.tekst, self.recorded_by, self.recorded_at = on, text, by, at
