"""One notification for one user; ``key`` makes producing it twice a no-op (a scan that runs again)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base, enum_column


class NotificationKind(StrEnum):
    ASSIGNED = "assigned"
    FRIST_NEAR = "frist_near"
    FRIST_OVERDUE = "frist_overdue"
    APPROVAL_DECIDED = "approval_decided"
    CASE_MOVED = "case_moved"
    COMPLAINT = "complaint"

    @property
    def label_da(self) -> str:
        return {
            "assigned": "Tildelt dig",
            "frist_near": "Frist nærmer sig",
            "frist_overdue": "Frist overskredet",
            "approval_decided": "Afvigelse afgjort",
            "case_moved": "Sag flyttet",
            "complaint": "Klage",
        }[self.value]


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[NotificationKind] = mapped_column(enum_column(NotificationKind, 30))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"))
    message: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    def mark_read(self, at: datetime) -> None:
        if self.read_at is None:
            self.read_at = at
