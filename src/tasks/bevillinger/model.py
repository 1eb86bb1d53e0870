"""The bevilling and its statuses."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, enum_column


class BevillingStatus(StrEnum):
    AKTIV = "aktiv"
    OPHOERT = "ophoert"
    ERSTATTET = "erstattet"


STATUS_DA = {BevillingStatus.AKTIV: "Aktiv", BevillingStatus.OPHOERT: "Ophørt", BevillingStatus.ERSTATTET: "Erstattet"}


class Bevilling(Base):
    __tablename__ = "bevillinger"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("afgoerelser.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("afgoerelser.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("bevillinger.id"))
    ydelse: Mapped[str] = mapped_column(String(40))
    serviceniveau: Mapped[str] = mapped_column(String(100))
    omfang: Mapped[str] = mapped_column(String(200))
    leverandoer: Mapped[str] = mapped_column(String(200))
    start: Mapped[date]
    slut: Mapped[date | None]
    status: Mapped[BevillingStatus] = mapped_column(enum_column(BevillingStatus), default=BevillingStatus.AKTIV)
    egenbetaling: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    katalog_version: Mapped[int | None]  # the ydelser catalogue version the serviceniveau and omfang came from
    maalgruppe: Mapped[str | None] = mapped_column(String(60))  # the catalogue's målgruppe (§ 108 cadence)

    @property
    def is_active(self) -> bool:
        return self.status == BevillingStatus.AKTIV

    @property
    def omfang_i_ord(self) -> str:
        """The granted extent in words, e.g. 'Trin 3: gennemsnitligt 2,8 timers støtte om ugen …'."""
        if self.serviceniveau and self.omfang:
            return f"{self.serviceniveau}: {self.omfang}"
        return self.serviceniveau or self.omfang

    def stop(self, last_day: date, afgoerelse_id: int) -> None:
        """An afgørelse om ophør: the ydelse ends with ``last_day``."""
        self.status = BevillingStatus.OPHOERT
        self.slut = last_day
        self.ended_by_id = afgoerelse_id

    def replace_by(self, new: Bevilling, afgoerelse_id: int | None) -> None:
        """An afgørelse om ændring: this bevilling ends the day before the new one starts."""
        self.status = BevillingStatus.ERSTATTET
        self.slut = max(self.start, new.start - timedelta(days=1))
        self.ended_by_id = afgoerelse_id
        self.replaced_by_id = new.id
