"""A user's notifications: the list (newest first), the unread count for the header, marking them read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tasks.notifications.model import Notification
from tasks.service.actors import Actor
from tasks.service.errors import NotFound
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    kind_label: str
    message: str
    case_id: int | None
    task_id: int | None
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, row: Notification) -> NotificationView:
        return cls(
            row.id,
            row.kind.value,
            row.kind.label_da,
            row.message,
            row.case_id,
            row.task_id,
            row.created_at,
            row.read_at is not None,
        )


def list_notifications(uow: UnitOfWork, actor: Actor, limit: int = 100) -> list[NotificationView]:
    with uow.read_only():
        query = select(Notification).where(Notification.user_id == actor.id).order_by(Notification.id.desc())
        return [NotificationView.of(n) for n in uow.session.scalars(query.limit(limit))]


def unread_count(uow: UnitOfWork, actor: Actor) -> int:
    with uow.read_only():
        query = select(func.count()).select_from(Notification)
        query = query.where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        return int(uow.session.scalar(query) or 0)


def mark_read(uow: UnitOfWork, actor: Actor, notification_id: int | None, now: datetime) -> int:
    """Mark one (or, with None, every) notification of the actor read; returns how many changed."""
    with uow:
        query = select(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        if notification_id is not None:
            query = query.where(Notification.id == notification_id)
        rows = list(uow.session.scalars(query))
        if notification_id is not None and not rows:
            owned = uow.session.scalar(
                select(Notification.id).where(Notification.id == notification_id, Notification.user_id == actor.id)
            )
            if owned is None:
                raise NotFound("Notifikationen findes ikke")
        for row in rows:
            row.mark_read(now)
        uow.commit()
    return len(rows)
