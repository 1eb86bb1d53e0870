"""The journal: append an entry for a case, read a case's entries.  Nothing here updates or deletes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import ProcessInstance
from tasks.cases.model import Case
from tasks.journal.model import JournalEntry
from tasks.work.model import HumanTask


class JournalRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(
        self,
        case: Case,
        *,
        actor: str,
        action: str,
        at: datetime,
        message: str,
        task: HumanTask | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Append what happened to ``case``, stamped with the process version it happened on (the task's
        instance for a task, else the case's current one: after a klage the two can differ)."""
        self._session.add(
            JournalEntry(
                case_id=case.id,
                at=at,
                actor=actor,
                action=action,
                process_version=self._version_of(task.instance_id if task is not None else case.instance_id),
                task=task,
                task_name=task.name if task is not None else None,
                message=message,
                details=details or {},
            )
        )

    def _version_of(self, instance_id: int) -> int:
        instance = self._session.get(ProcessInstance, instance_id)
        return instance.version.version if instance is not None else 0

    def for_case(self, case_id: int) -> list[JournalEntry]:
        query = select(JournalEntry).where(JournalEntry.case_id == case_id).order_by(JournalEntry.id)
        return list(self._session.scalars(query))
