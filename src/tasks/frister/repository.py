"""Every query on frister (deadlines), in one place."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, lazyload, selectinload
from sqlalchemy.orm.attributes import instance_state

from tasks.frister.model import Deadline
from tasks.work.model import HumanTask

_OPEN_OF_CASE = (  # built once: every command that closes a task or an activity runs it
    select(Deadline)
    .where(Deadline.case_id == bindparam("case_id"), Deadline.closed_at.is_(None))
    .options(lazyload(Deadline.case))  # the command holds the case: found in the session
)
_OPEN_OF_CASES = (  # a batch of timers reads its cases' open frister at once
    select(Deadline)
    .where(Deadline.case_id.in_(bindparam("case_ids", expanding=True)), Deadline.closed_at.is_(None))
    .options(lazyload(Deadline.case))
)
CLOSED_SHOWN = 20  # a § 108 case closes hundreds of frister over the years; show the newest


class DeadlineRepository:
    """Per unit of work.  A command closes frister after every task and activity it completes (several per
    command), so a case's open frister are read once per command, without flushing first, and answered from
    memory after that.  That is exact because every frist is added through ``add`` (which keeps the list
    current) and a frist, once closed, never opens again (``closed_at`` is checked in memory)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._added: list[Deadline] = []
        self._open: dict[int, list[Deadline]] = {}

    def add(self, deadline: Deadline) -> Deadline:
        self._session.add(deadline)
        self._added.append(deadline)
        if (case_id := _case_id(deadline)) in self._open:
            self._open[case_id].append(deadline)
        return deadline

    def mark(self) -> tuple[int, dict[int, int]]:
        """A point to ``restore`` when the work after it is rolled back (``UnitOfWork.savepoint``)."""
        return len(self._added), {case_id: len(rows) for case_id, rows in self._open.items()}

    def restore(self, mark: tuple[int, dict[int, int]]) -> None:
        """Forget the frister added since ``mark`` (the rollback made them transient) and the cases read
        since.  A frist closed since is expired by the rollback, so its ``closed_at`` reads back as stored."""
        added, lengths = mark
        del self._added[added:]
        for case_id in list(self._open):
            if case_id in lengths:
                del self._open[case_id][lengths[case_id] :]
            else:
                del self._open[case_id]

    def read_open(self, case_ids: Iterable[int]) -> None:
        """Read the open frister of several cases in one statement (a batch of timers): ``open_for_task`` and
        ``open_closing_on`` answer them from memory after that, as after their own first read."""
        wanted = [case_id for case_id in dict.fromkeys(case_ids) if case_id not in self._open]
        if not wanted:
            return
        with self._session.no_autoflush:  # what is not flushed yet is in self._added
            rows = list(self._session.scalars(_OPEN_OF_CASES, {"case_ids": wanted}))
        by_case: dict[int, list[Deadline]] = {case_id: [] for case_id in wanted}
        for deadline in rows:
            by_case[deadline.case_id].append(deadline)
        for case_id, found in by_case.items():
            known = {id(d) for d in found}
            self._open[case_id] = found + [d for d in self._added if id(d) not in known and _case_id(d) == case_id]

    def open_for_task(self, task: HumanTask) -> list[Deadline]:
        return [d for d in self._open_of_case(task.case_id) if d.closed_at is None and _belongs_to(d, task)]

    def open_closing_on(self, case_id: int, bpmn_ids: Iterable[str]) -> list[Deadline]:
        wanted = set(bpmn_ids)
        return [d for d in self._open_of_case(case_id) if d.closed_at is None and d.closes_on in wanted]

    def _open_of_case(self, case_id: int) -> list[Deadline]:
        if case_id not in self._open:
            with self._session.no_autoflush:  # what is not flushed yet is in self._added
                rows = list(self._session.scalars(_OPEN_OF_CASE, {"case_id": case_id}))
            known = {id(d) for d in rows}
            rows += [d for d in self._added if id(d) not in known and _case_id(d) == case_id]
            self._open[case_id] = rows
        return self._open[case_id]

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


def _case_id(deadline: Deadline) -> int | None:
    return deadline.case_id if deadline.case_id is not None else deadline.case.id


def _belongs_to(deadline: Deadline, task: HumanTask) -> bool:
    """By id, or by object for a frist added in this command whose task is not flushed yet (no lazy load)."""
    if deadline.task_id is not None:
        return deadline.task_id == task.id
    return instance_state(deadline).dict.get("task") is task
