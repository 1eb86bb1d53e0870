"""A refused stay: the krisecenter's decision not to admit (or to end) a stay, recorded on the stay's case."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class StayRefusal(Base):
    __tablename__ = "stay_refusals"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    refused_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime]
    registered_by: Mapped[str] = mapped_column(String(100))
