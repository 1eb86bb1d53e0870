"""The journal: every state change of a case, append-only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base
from tasks.work.model import HumanTask


class JournalEntry(Base):
    """Every state change of a case: who, what, when, on which process version.  Append-only."""

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"))
    task_name: Mapped[str | None] = mapped_column(String(200))
    process_version: Mapped[int]
    message: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    task: Mapped[HumanTask | None] = relationship()
