"""Every query on frister (deadlines), in one place."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tasks.frister.model import Deadline

CLOSED_SHOWN = 20  # a § 108 case closes hundreds of frister over the years; show the newest


class DeadlineRepository:
    """Per unit of work.  The frister an activity closes (``closes_on``) are read once per case and command:
    every activity that completes asks for them, and most commands complete several (one query instead of
    one per activity).  Every frist is added through ``add``, which keeps that list current."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._closing: dict[int, list[Deadline]] = {}

    def add(self, deadline: Deadline) -> Deadline:
        self._session.add(deadline)
        if deadline.closes_on is not None:
            case_id = deadline.case_id if deadline.case_id is not None else deadline.case.id
            if case_id in self._closing:
                self._closing[case_id].append(deadline)
        return deadline

    def open_for_task(self, task_id: int) -> list[Deadline]:
        query = select(Deadline).where(Deadline.task_id == task_id, Deadline.closed_at.is_(None))
        return list(self._session.scalars(query))

    def open_closing_on(self, case_id: int, bpmn_ids: Iterable[str]) -> list[Deadline]:
        if case_id not in self._closing:
            query = select(Deadline).where(
                Deadline.case_id == case_id, Deadline.closed_at.is_(None), Deadline.closes_on.is_not(None)
            )
            self._closing[case_id] = list(self._session.scalars(query))
        wanted = set(bpmn_ids)
        return [d for d in self._closing[case_id] if d.closed_at is None and d.closes_on in wanted]

    def for_case_view(self, case_id: int) -> list[Deadline]:
        """Every open frist of the case and the most recently closed ones, by due time."""
        base = select(Deadline).where(Deadline.case_id == case_id)
        # selectinload, not joinedload: a LEFT JOIN onto (human_tasks JOIN cases) makes SQLite scan every task.
        open_rows = self._session.scalars(
            base.where(Deadline.closed_at.is_(None)).options(selectinload(Deadline.task))
        ).all()
        closed_rows = self._session.scalars(
            base.where(Deadline.closed_at.is_not(None))
            .order_by(Deadline.closed_at.desc(), Deadline.id.desc())
            .limit(CLOSED_SHOWN)
        ).all()
        return sorted([*open_rows, *closed_rows], key=lambda d: (d.due_at, d.id))

    def to_escalate(self) -> list[Deadline]:
        """Open frister not yet escalated, locked (SKIP LOCKED: two scans never take the same one)."""
        query = (
            select(Deadline)
            .where(Deadline.closed_at.is_(None), Deadline.escalated_at.is_(None))
            .order_by(Deadline.due_at)
            .with_for_update(skip_locked=True, of=Deadline)
        )
        return list(self._session.scalars(query))

    def all_open(self) -> list[Deadline]:
        return list(self._session.scalars(select(Deadline).where(Deadline.closed_at.is_(None))))

    def for_task(self, task_id: int) -> list[Deadline]:
        return list(self._session.scalars(select(Deadline).where(Deadline.task_id == task_id).order_by(Deadline.id)))
