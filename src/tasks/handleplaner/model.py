"""The handleplan row."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, enum_column


class HandleplanStatus(StrEnum):
    TILBUDT = "tilbudt"
    ACCEPTERET = "accepteret"
    AFSLAAET = "afslaaet"


STATUS_DA = {
    HandleplanStatus.TILBUDT: "Tilbudt",
    HandleplanStatus.ACCEPTERET: "Accepteret",
    HandleplanStatus.AFSLAAET: "Afslået af borgeren",
}


class Handleplan(Base):
    __tablename__ = "handleplaner"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    status: Mapped[HandleplanStatus] = mapped_column(enum_column(HandleplanStatus))
    tilbudt_on: Mapped[date]
    besvaret_on: Mapped[date | None]
    maal: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"indsatsformaal", "maal"}]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))
