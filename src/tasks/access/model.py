"""The access log table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class AccessLogEntry(Base):
    """Who read which case's personal data, when, and through what.  Append-only: the application
    has no way to change or delete a row (no endpoint, no service function)."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_case", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(100))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    purpose: Mapped[str] = mapped_column(String(100))
