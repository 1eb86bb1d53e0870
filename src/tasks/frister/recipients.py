"""Who hears about a frist: a person, not a whole team.

The responsible is the task's assignee; else the case's sagsansvarlig; else the team's mailbox (a
team setting); else nobody (the journal says so, and the leder sees it in the overview).  When a frist
has passed, the leder (the escalation rule's role) is told as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from tasks.accounts.model import Team, User, UserRole
from tasks.frister.model import Deadline
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class Recipient:
    email: str | None  # None: told in the app only (a user without an e-mail address)
    user_id: int | None  # None for a team mailbox


def responsible_for(uow: UnitOfWork, deadline: Deadline) -> list[Recipient]:
    task, case = deadline.task, deadline.case
    for user in (task.assignee if task is not None else None, case.sagsansvarlig):
        if user is not None and user.active:
            return [Recipient(user.email or None, user.id)]
    if case.team is not None:
        mailbox = uow.session.scalar(select(Team.mailbox_email).where(Team.name == case.team))
        if mailbox:
            return [Recipient(mailbox, None)]
    return []


def users_in_role(uow: UnitOfWork, role: str) -> list[Recipient]:
    query = select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True)).order_by(User.id)
    return [Recipient(user.email or None, user.id) for user in uow.session.scalars(query)]
