"""Who a task can be given to: active users who hold its role and may see its case (the rule ``assign`` enforces)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tasks.access.policy import can_see_case
from tasks.accounts.model import User, UserRole
from tasks.service.actors import Actor
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask


@dataclass(frozen=True)
class Colleague:
    username: str
    full_name: str

    @property
    def label(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username


def candidates(uow: UnitOfWork, task: HumanTask) -> list[Colleague]:
    """Within an open unit of work: everyone the task may be given to, by name."""
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == task.role, User.active.is_(True))
        .order_by(User.username)
    )
    users = uow.session.scalars(query).unique()
    return [Colleague(u.username, u.full_name) for u in users if can_see_case(Actor.of(u), task.case)]
