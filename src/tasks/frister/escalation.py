"""The escalation scan: warn before a frist, escalate to the leder when it passed, one mail per person per scan.

Rules are data (kvalitetsstandard ``eskalering``): per role and kind of task, how many hverdage
before the frist to warn and whom to escalate to.  A near or passed frist goes to the person
responsible (``recipients.responsible_for``), never to every member of a team; a passed one also to
the leder.  Each deadline is warned once and escalated once (``warned_at``/``escalated_at``), and
each (deadline, recipient, kind) is recorded once in ``deadline_notices``; everything one scan tells
one recipient arrives as one mail.  Running the scan again, or in two scheduler processes, sends
nothing twice.  Mails carry case references, tasks, frister, rules and links; nothing about a citizen.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from engine import calendar
from tasks.events import DeadlineEscalated, DeadlineWarned
from tasks.frister.model import Deadline, DeadlineNotice, NoticeKind
from tasks.frister.recipients import Recipient, responsible_for, users_in_role
from tasks.frister.rules import warning_time
from tasks.frister.views import responsible_role
from tasks.mail.outbox import enqueue
from tasks.service.danish import long_date
from tasks.service.uow import UnitOfWork

STATE_DA = {NoticeKind.NEAR: "nærmer sig", NoticeKind.OVERDUE: "overskredet"}


@dataclass(frozen=True)
class ScanResult:
    warned: int
    escalated: int
    mails: int


def scan_deadlines(uow: UnitOfWork, now: datetime, base_url: str) -> ScanResult:
    """Warn and escalate every open deadline that needs it, and mail each recipient once; one transaction."""
    warned = escalated = 0
    with uow:
        notices: dict[str, list[tuple[Deadline, NoticeKind]]] = defaultdict(list)
        for deadline in uow.deadlines.to_escalate():
            role, bpmn_id = responsible_role(deadline)
            rule = uow.standard.escalation_for(role, bpmn_id)
            if now > deadline.due_at:
                deadline.escalate(now)
                recipients = responsible_for(uow, deadline) + users_in_role(uow, rule.escalate_to)
                _note(uow, notices, deadline, recipients, NoticeKind.OVERDUE, now)
                uow.publish(DeadlineEscalated(deadline, now, _user_ids(recipients)))
                escalated += 1
            elif deadline.warned_at is None and now >= warning_time(deadline.due_at, rule.warn_working_days):
                deadline.warn(now)
                recipients = responsible_for(uow, deadline)
                if not rule.daily_digest:  # digest users hear about it in the day's oversigt instead
                    _note(uow, notices, deadline, recipients, NoticeKind.NEAR, now)
                uow.publish(DeadlineWarned(deadline, now, _user_ids(recipients)))
                warned += 1
        mails = sum(_mail(uow, email, items, now, base_url) for email, items in sorted(notices.items()))
        uow.commit()
    return ScanResult(warned, escalated, mails)


def send_digests(uow: UnitOfWork, now: datetime, base_url: str) -> int:
    """Once per day and person: one mail listing their near and overdue frister (rules with daglig_oversigt)."""
    today = calendar.local_date(now)
    per_recipient: dict[str, list[Deadline]] = defaultdict(list)
    with uow:
        for deadline in uow.deadlines.all_open():
            role, bpmn_id = responsible_role(deadline)
            rule = uow.standard.escalation_for(role, bpmn_id)
            if not rule.daily_digest or now < warning_time(deadline.due_at, rule.warn_working_days):
                continue
            for recipient in responsible_for(uow, deadline):
                if recipient.email:
                    per_recipient[recipient.email].append(deadline)
        sent = 0
        for email, deadlines in sorted(per_recipient.items()):
            lines = [f"Dine frister {long_date(today)}:", ""]
            for d in sorted(deadlines, key=lambda d: d.due_at):
                state = "OVERSKREDET" if now > d.due_at else "nærmer sig"
                lines.append(f"- {d.case.reference}: {_task_name(d)}, frist {long_date(d.due_at)} ({state}) – {d.rule}")
                lines.append(f"  {_link(base_url, d)}")
            lines += ["", "Mailen indeholder ingen personoplysninger. Log ind i Sagsflow for at se sagerne."]
            if enqueue(
                uow.session,
                key=f"digest:{today.isoformat()}:to:{email}",
                recipient=email,
                subject=f"[Sagsflow] Dagens frister ({len(deadlines)})",
                body="\n".join(lines),
                now=now,
            ):
                sent += 1
        uow.commit()
    return sent


def _note(
    uow: UnitOfWork,
    notices: dict[str, list[tuple[Deadline, NoticeKind]]],
    deadline: Deadline,
    recipients: list[Recipient],
    kind: NoticeKind,
    now: datetime,
) -> None:
    for email in dict.fromkeys(r.email for r in recipients if r.email):
        notices[email].append((deadline, kind))


def _mail(uow: UnitOfWork, email: str, items: list[tuple[Deadline, NoticeKind]], now: datetime, base_url: str) -> int:
    """One mail to one recipient listing everything this scan tells them; its notices recorded with it."""
    rows = [
        DeadlineNotice(deadline_id=deadline.id, recipient=email, kind=kind, created_at=now) for deadline, kind in items
    ]
    uow.session.add_all(rows)
    uow.session.flush()
    key = f"notice:{rows[0].id}:to:{email}"
    for row in rows:
        row.outbox_key = key
    enqueue(uow.session, key=key, recipient=email, subject=_subject(items), body=_body(items, base_url), now=now)
    return 1


def _subject(items: list[tuple[Deadline, NoticeKind]]) -> str:
    if len(items) == 1:
        deadline, kind = items[0]
        return f"[Sagsflow] Frist {STATE_DA[kind]}: {deadline.case.reference}"
    overdue = sum(1 for _, kind in items if kind == NoticeKind.OVERDUE)
    return f"[Sagsflow] {len(items)} frister: {overdue} overskredet, {len(items) - overdue} nærmer sig"


def _body(items: list[tuple[Deadline, NoticeKind]], base_url: str) -> str:
    lines: list[str] = []
    for deadline, kind in sorted(items, key=lambda item: (item[0].due_at, item[0].id)):
        lines += [
            f"Sag: {deadline.case.reference}",
            f"Opgave: {_task_name(deadline)}",
            f"Frist: {long_date(deadline.due_at)}",
            f"Regel: {deadline.rule}",
            f"Status: fristen {STATE_DA[kind]}",
            f"Åbn sagen: {_link(base_url, deadline)}",
            "",
        ]
    lines.append("Mailen indeholder ingen personoplysninger. Log ind i Sagsflow for at se sagen.")
    return "\n".join(lines)


def _task_name(deadline: Deadline) -> str:
    return deadline.task.name if deadline.task is not None else "Sagens behandling"


def _link(base_url: str, deadline: Deadline) -> str:
    return f"{base_url.rstrip('/')}/sager/{deadline.case.id}"


def _user_ids(recipients: list[Recipient]) -> tuple[int, ...]:
    return tuple(sorted({r.user_id for r in recipients if r.user_id is not None}))
