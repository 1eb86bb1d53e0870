"""The case journal: append an entry, read a case's entries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.cases.model import Case
from tasks.journal.model import JournalEntry
from tasks.work.model import HumanTask


def record(
    session: Session,
    case: Case,
    *,
    actor: str,
    action: str,
    at: datetime,
    process_version: int,
    task: HumanTask | None = None,
    message: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        JournalEntry(
            case_id=case.id,
            at=at,
            actor=actor,
            action=action,
            process_version=process_version,
            task=task,
            task_name=task.name if task is not None else None,
            message=message,
            details=details or {},
        )
    )


def entries(session: Session, case_id: int) -> list[JournalEntry]:
    return list(session.scalars(select(JournalEntry).where(JournalEntry.case_id == case_id).order_by(JournalEntry.id)))
