"""The journal: append an entry for a case, read a case's entries.  Nothing here updates or deletes.

A command writes several entries (a task completed, the next one opened, a frist met, ...).  They are
kept in order and inserted together, as one multi-row INSERT, when the command commits — or earlier,
when the command reads the journal back: no ORM object per entry, no flush bookkeeping for them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from engine.models import ProcessInstance
from tasks.cases.model import Case
from tasks.journal.model import JournalEntry
from tasks.work.model import HumanTask

_JOURNAL = cast(Table, JournalEntry.__table__)
_INSERT = insert(_JOURNAL)  # built once: every command writes the journal


class JournalRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._pending: list[tuple[dict[str, Any], HumanTask | None]] = []

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
        row = {
            "case_id": case.id,
            "at": at,
            "actor": actor,
            "action": action,
            "process_version": self._version_of(task.instance_id if task is not None else case.instance_id),
            "task_name": task.name if task is not None else None,
            "message": message,
            "details": details or {},
        }
        self._pending.append((row, task))

    def write_pending(self) -> None:
        """Insert the entries recorded so far, in order (a task opened in this command is flushed first)."""
        if not self._pending:
            return
        if any(task is not None and task.id is None for _, task in self._pending):
            self._session.flush()
        rows = [{**row, "task_id": task.id if task is not None else None} for row, task in self._pending]
        self._pending.clear()
        self._session.connection().execute(_INSERT, rows)  # a Core statement: no ORM step, nothing to autoflush

    def mark(self) -> tuple[tuple[dict[str, Any], HumanTask | None], ...]:
        """A point to ``restore`` when the work after it is rolled back (``UnitOfWork.savepoint``)."""
        return tuple(self._pending)

    def restore(self, mark: tuple[tuple[dict[str, Any], HumanTask | None], ...]) -> None:
        """Back to the entries pending at ``mark``: those recorded since tell what was rolled back.  The
        pending ones are kept as they were, not counted: a read of the journal since wrote them inside the
        savepoint, and its rollback took them out of the table again."""
        self._pending[:] = mark

    def _version_of(self, instance_id: int) -> int:
        instance = self._session.get(ProcessInstance, instance_id)
        return instance.version.version if instance is not None else 0

    def for_case(self, case_id: int) -> list[JournalEntry]:
        self.write_pending()
        query = select(JournalEntry).where(JournalEntry.case_id == case_id).order_by(JournalEntry.id)
        return list(self._session.scalars(query))
