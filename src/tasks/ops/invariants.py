"""Consistency checks over the whole database, for after a crash or a load run.

Each check returns human-readable violations; an empty list means the invariant holds:
- every READY user task of a running instance has exactly one active task row, and vice versa;
- no task was completed twice, and every completed task row has its journal entry;
- no timer fired twice for the same case and element, and no due timer is left unfired;
- no deadline was escalated without its e-mails in the outbox.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from engine.models import ProcessInstance
from tasks.frister.model import Deadline, DeadlineNotice, NoticeKind
from tasks.frister.recipients import users_in_role
from tasks.journal.model import JournalEntry
from tasks.mail.model import OutboxMail
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask


def check_all(uow: UnitOfWork, now: datetime) -> list[str]:
    return [
        *ready_tasks_match_rows(uow),
        *no_double_completion(uow),
        *no_double_timers(uow),
        *no_overdue_timers(uow, now),
        *escalations_have_mail(uow),
    ]


def ready_tasks_match_rows(uow: UnitOfWork) -> list[str]:
    violations = []
    with uow:
        rows: dict[int, set[str]] = {}
        for instance_id, spiff_id in uow.session.execute(
            select(HumanTask.instance_id, HumanTask.spiff_task_id).where(HumanTask.active.is_(True))
        ):
            rows.setdefault(instance_id, set()).add(spiff_id)
        for instance in uow.session.scalars(select(ProcessInstance)):
            ready = uow.instances.ready_user_task_ids(instance) if instance.status == "running" else set()
            have = rows.get(instance.id, set())
            for missing in sorted(ready - have):
                violations.append(f"instans {instance.id}: klar opgave {missing} mangler en række")
            for extra in sorted(have - ready):
                violations.append(f"instans {instance.id}: aktiv række {extra} er ikke en klar opgave")
    return violations


def no_double_completion(uow: UnitOfWork) -> list[str]:
    with uow:
        doubles = uow.session.execute(
            select(JournalEntry.task_id, func.count())
            .where(JournalEntry.action == "task_completed")
            .group_by(JournalEntry.task_id)
            .having(func.count() > 1)
        ).all()
        completed = set(
            uow.session.scalars(
                select(HumanTask.id).where(HumanTask.status == "completed", HumanTask.completed_by_id.is_not(None))
            )
        )
        journalled = set(
            uow.session.scalars(select(JournalEntry.task_id).where(JournalEntry.action == "task_completed"))
        )
    return [f"opgave {task_id} udført {n} gange" for task_id, n in doubles] + [
        f"opgave {task_id} er udført uden journalpost" for task_id in sorted(completed - journalled)
    ]


def no_double_timers(uow: UnitOfWork) -> list[str]:
    with uow:
        fired = uow.session.execute(
            select(JournalEntry.case_id, JournalEntry.message, func.count())
            .where(JournalEntry.action == "timer_fired")
            .group_by(JournalEntry.case_id, JournalEntry.message)
            .having(func.count() > 1)
        ).all()
    return [f"sag {case_id}: '{message}' {n} gange" for case_id, message, n in fired]


def no_overdue_timers(uow: UnitOfWork, now: datetime) -> list[str]:
    with uow:
        late = uow.session.scalars(
            select(ProcessInstance.id).where(ProcessInstance.status == "running", ProcessInstance.next_timer_at <= now)
        ).all()
    return [f"instans {i}: en forfalden timer er ikke udløst" for i in late]


def escalations_have_mail(uow: UnitOfWork) -> list[str]:
    """Every escalated frist told someone (when anyone could be told), and every notice's mail is in the outbox."""
    with uow:
        escalated = set(uow.session.scalars(select(Deadline.id).where(Deadline.escalated_at.is_not(None))))
        notices = uow.session.execute(
            select(DeadlineNotice.deadline_id, DeadlineNotice.outbox_key).where(
                DeadlineNotice.kind == NoticeKind.OVERDUE
            )
        ).all()
        keys = set(uow.session.scalars(select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.like("notice:%"))))
        anyone = any(r.email for r in users_in_role(uow, "leder"))
    told = {deadline_id for deadline_id, _ in notices}
    untold = sorted(escalated - told) if anyone else []
    missing_mail = sorted({key for _, key in notices if key and key not in keys})
    return [f"frist {d} er eskaleret uden besked til nogen" for d in untold] + [
        f"besked {key} mangler i udbakken" for key in missing_mail
    ]
