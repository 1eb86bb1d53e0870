"""The escalation scan: warn before a frist, escalate to the leder when it passed, via the outbox.

Rules are data (kvalitetsstandard ``eskalering``): per role and kind of task, how many hverdage
before the frist to warn and whom to escalate to.  Each deadline is warned once and escalated
once (``warned_at``/``escalated_at``, and the outbox's unique key per deadline and recipient),
so running the scan again, or in two scheduler processes, sends nothing twice.  Mails carry the
case reference, the task, the frist and its rule, and a link; nothing about the citizen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from engine import calendar
from tasks.accounts.model import User, UserRole
from tasks.events import DeadlineEscalated, DeadlineWarned
from tasks.frister.model import Deadline
from tasks.frister.rules import warning_time
from tasks.frister.views import responsible_role
from tasks.mail.outbox import enqueue
from tasks.service.danish import long_date
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class ScanResult:
    warned: int
    escalated: int
    mails: int


def scan_deadlines(uow: UnitOfWork, now: datetime, base_url: str) -> ScanResult:
    """Warn and escalate every open deadline that needs it; one transaction."""
    warned = escalated = mails = 0
    with uow:
        for deadline in uow.deadlines.to_escalate():
            role, bpmn_id = responsible_role(deadline)
            rule = uow.standard.escalation_for(role, bpmn_id)
            if now > deadline.due_at:
                deadline.escalate(now)
                recipients = _users_with_role(uow, rule.escalate_to, None) + _responsible(uow, deadline, role)
                mails += _mail(uow, deadline, recipients, "overskredet", now, base_url)
                uow.publish(DeadlineEscalated(deadline, now, _ids(recipients)))
                escalated += 1
            elif deadline.warned_at is None and now >= warning_time(deadline.due_at, rule.warn_working_days):
                deadline.warn(now)
                responsible = _responsible(uow, deadline, role)
                if not rule.daily_digest:  # digest users hear about it in the day's oversigt instead
                    mails += _mail(uow, deadline, responsible, "nærmer sig", now, base_url)
                uow.publish(DeadlineWarned(deadline, now, _ids(responsible)))
                warned += 1
        uow.commit()
    return ScanResult(warned, escalated, mails)


def send_digests(uow: UnitOfWork, now: datetime, base_url: str) -> int:
    """Once per day and user: one mail listing their near and overdue frister (rules with daglig_oversigt)."""
    today = calendar.local_date(now)
    per_user: dict[int, tuple[User, list[Deadline]]] = {}
    with uow:
        for deadline in uow.deadlines.all_open():
            role, bpmn_id = responsible_role(deadline)
            rule = uow.standard.escalation_for(role, bpmn_id)
            if not rule.daily_digest or now < warning_time(deadline.due_at, rule.warn_working_days):
                continue
            for user in _responsible(uow, deadline, role):
                per_user.setdefault(user.id, (user, []))[1].append(deadline)
        sent = 0
        for user, deadlines in per_user.values():
            lines = [f"Dine frister {long_date(today)}:", ""]
            for d in sorted(deadlines, key=lambda d: d.due_at):
                state = "OVERSKREDET" if now > d.due_at else "nærmer sig"
                task = d.task.name if d.task is not None else "Sagens behandling"
                lines.append(f"- {d.case.reference}: {task}, frist {long_date(d.due_at)} ({state}) – {d.rule}")
                lines.append(f"  {base_url.rstrip('/')}/sager/{d.case.id}")
            lines += ["", "Mailen indeholder ingen personoplysninger. Log ind i Sagsflow for at se sagerne."]
            if user.email and enqueue(
                uow.session,
                key=f"digest:{today.isoformat()}:user:{user.id}",
                recipient=user.email,
                subject=f"[Sagsflow] Dagens frister ({len(deadlines)})",
                body="\n".join(lines),
                now=now,
            ):
                sent += 1
        uow.commit()
    return sent


def _responsible(uow: UnitOfWork, deadline: Deadline, role: str) -> list[User]:
    """The assignee of the task, or everyone in the task's role on the case's team."""
    if deadline.task is not None and deadline.task.assignee is not None:
        return [deadline.task.assignee]
    return _users_with_role(uow, role, deadline.case.team)


def _users_with_role(uow: UnitOfWork, role: str, team: str | None) -> list[User]:
    query = select(User).join(UserRole).where(UserRole.role == role, User.active.is_(True))
    if team is not None:
        query = query.where((User.team == team) | (User.team.is_(None)))
    return list(uow.session.scalars(query.order_by(User.id)))


def _mail(uow: UnitOfWork, deadline: Deadline, users: list[User], what: str, now: datetime, base_url: str) -> int:
    case = deadline.case
    task_name = deadline.task.name if deadline.task is not None else "Sagens behandling"
    subject = f"[Sagsflow] Frist {what}: {case.reference}"
    body = "\n".join(
        [
            f"Sag: {case.reference}",
            f"Opgave: {task_name}",
            f"Frist: {long_date(deadline.due_at)}",
            f"Regel: {deadline.rule}",
            f"Status: fristen {what}",
            "",
            f"Åbn sagen: {base_url.rstrip('/')}/sager/{case.id}",
            "",
            "Mailen indeholder ingen personoplysninger. Log ind i Sagsflow for at se sagen.",
        ]
    )
    kind = "escalate" if what == "overskredet" else "warn"
    sent = 0
    for user in {u.id: u for u in users}.values():
        if user.email and enqueue(
            uow.session,
            key=f"{kind}:deadline:{deadline.id}:user:{user.id}",
            recipient=user.email,
            subject=subject,
            body=body,
            now=now,
        ):
            sent += 1
    return sent


def _ids(users: list[User]) -> tuple[int, ...]:
    return tuple(sorted({u.id for u in users}))
