"""Notifications follow events: who is concerned by what happened, told inside the application.

Messages name the case reference, the task and the frist; never the citizen (no CPR, no name)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tasks.accounts.model import User, UserRole
from tasks.events import (
    ApprovalDecided,
    CaseMoved,
    DeadlineEscalated,
    DeadlineWarned,
    ExecutionComplaintRegistered,
    TaskAssigned,
)
from tasks.notifications.model import Notification, NotificationKind
from tasks.service.danish import short_date
from tasks.service.uow import UnitOfWork


def task_assigned(event: TaskAssigned, uow: UnitOfWork) -> None:
    if event.assignee == event.actor:
        return
    user_id = uow.session.scalar(select(User.id).where(User.username == event.assignee))
    if user_id is None:
        return
    task = event.task
    message = f"{event.case.reference}: «{task.name}» er givet til dig af {event.actor}"
    notify(
        uow,
        user_id,
        f"assigned:{task.id}:{user_id}:{event.at.isoformat()}",
        NotificationKind.ASSIGNED,
        message,
        event.at,
        case_id=event.case.id,
        task_id=task.id,
    )


def approval_decided(event: ApprovalDecided, uow: UnitOfWork) -> None:
    """The one who made the decision hears whether the faglig konsulent approved it."""
    task = event.task
    version = uow.instances.get(task.instance_id).version
    spec = uow.definitions.parsed(version).user_task(task.bpmn_id)
    decided = uow.tasks.last_completed(task.case_id, spec.approves) if spec is not None and spec.approves else None
    if decided is None or decided.completed_by_id is None:
        return
    verdict = "godkendt" if event.approved else "afvist"
    message = f"{event.case.reference}: «{task.name}» er {verdict} af {event.actor}"
    notify(
        uow,
        decided.completed_by_id,
        f"approval:{task.id}",
        NotificationKind.APPROVAL_DECIDED,
        message,
        event.at,
        case_id=event.case.id,
        task_id=task.id,
    )


def deadline_warned(event: DeadlineWarned, uow: UnitOfWork) -> None:
    _deadline(event, uow, NotificationKind.FRIST_NEAR, "nærmer sig")


def deadline_escalated(event: DeadlineEscalated, uow: UnitOfWork) -> None:
    _deadline(event, uow, NotificationKind.FRIST_OVERDUE, "er overskredet")


def _deadline(event: DeadlineWarned | DeadlineEscalated, uow: UnitOfWork, kind: NotificationKind, what: str) -> None:
    deadline = event.deadline
    task = deadline.task
    subject = f"«{task.name}»" if task is not None else "sagens behandling"
    message = f"{deadline.case.reference}: fristen for {subject} {what} ({short_date(deadline.due_at)})"
    for user_id in event.responsible:
        notify(
            uow,
            user_id,
            f"{kind.value}:{deadline.id}:{user_id}",
            kind,
            message,
            event.at,
            case_id=deadline.case_id,
            task_id=deadline.task_id,
        )


def case_moved(event: CaseMoved, uow: UnitOfWork) -> None:
    """Whoever had one of the case's tasks and cannot follow it to the new team is told it left them."""
    for task in event.released:
        if task.assignee_id is None:
            continue
        message = f"{event.case.reference}: sagen er flyttet til {event.new_team}; «{task.name}» er ikke længere din"
        notify(
            uow,
            task.assignee_id,
            f"moved:{task.id}:{event.at.isoformat()}",
            NotificationKind.CASE_MOVED,
            message,
            event.at,
            case_id=event.case.id,
        )


def execution_complaint(event: ExecutionComplaintRegistered, uow: UnitOfWork) -> None:
    """The case's team hears of a complaint about how the help is carried out."""
    query = select(User.id).join(UserRole).where(UserRole.role == "sagsbehandler", User.active.is_(True))
    query = query.where(User.team == event.case.team) if event.case.team else query.where(User.team.is_(None))
    message = f"{event.case.reference}: klage over udførelsen af hjælpen modtaget"
    for user_id in uow.session.scalars(query):
        notify(
            uow,
            user_id,
            f"complaint:{event.case.id}:{user_id}:{event.at.isoformat()}",
            NotificationKind.COMPLAINT,
            message,
            event.at,
            case_id=event.case.id,
        )


def notify(
    uow: UnitOfWork,
    user_id: int,
    key: str,
    kind: NotificationKind,
    message: str,
    at: datetime,
    *,
    case_id: int | None = None,
    task_id: int | None = None,
) -> None:
    """Add a notification unless one with ``key`` exists (producing it twice is a no-op)."""
    if uow.session.scalar(select(Notification.id).where(Notification.key == key)) is not None:
        return
    uow.session.add(
        Notification(
            user_id=user_id,
            key=key[:200],
            kind=kind,
            case_id=case_id,
            task_id=task_id,
            message=message[:300],
            created_at=at,
        )
    )
