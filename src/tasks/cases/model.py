"""The case (sag): one pathway run for one citizen, with the personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class Case(Base):
    """A sag: one pathway run for one citizen.  Personal data lives here, never in the engine state."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), unique=True)
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40))
    ydelse: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime]
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    citizen_cpr: Mapped[str | None] = mapped_column(String(11))
    citizen_name: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
