"""Every query on human-task rows, in one place.

The statements every command runs are built once, with bound parameters: building and cache-keying a
statement costs about as much as running it on SQLite (0.08 of 0.25 ms).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.orm import Session, aliased, defer, lazyload

from engine.models import ProcessInstance
from tasks.drafts.model import Draft
from tasks.work.model import ACTIVE_STATUSES, HumanTask, TaskStatus

_GET = select(HumanTask).where(HumanTask.id == bindparam("task_id"))
_GET_FOR_UPDATE = _GET.with_for_update(of=HumanTask)
_WANTED = aliased(HumanTask)
# Completing a task reads the row, its instance and the instance's other active rows (the projection closes the
# ones that left READY), and whether each has drafts (cleared when it closes): one statement, every row locked.
# The instance is locked first (PostgreSQL locks in the order of FOR UPDATE OF), as the timer sweep and a
# message lock it before they change its tasks: a completion and a timer on one case queue, never deadlock.
# The rows are ordered, so two completions on one instance lock them in the same order.  The instance's state
# (30 KB for a pathway case, repeated on every row) is read only when the workflow cache does not have it.
_GET_WITH_INSTANCE_FOR_UPDATE = (
    select(HumanTask, ProcessInstance, exists().where(Draft.task_id == HumanTask.id).label("has_drafts"))
    .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
    .options(defer(ProcessInstance.state))
    .where(
        HumanTask.instance_id
        == select(_WANTED.instance_id).where(_WANTED.id == bindparam("task_id")).scalar_subquery(),
        or_(HumanTask.id == bindparam("task_id"), HumanTask.active.is_(True)),
    )
    .order_by(HumanTask.id)
    .with_for_update(of=[ProcessInstance.id, HumanTask.id])  # the tables of these columns, in this order
)
_ACTIVE_FOR_INSTANCE = (
    select(HumanTask)
    .where(HumanTask.instance_id == bindparam("instance_id"), HumanTask.active.is_(True))
    .options(lazyload(HumanTask.case))  # the command holds the case: found in the session, not joined
)
_ACTIVE_FOR_INSTANCES = (  # a batch of timers reads its instances' active rows at once
    select(HumanTask)
    .where(HumanTask.instance_id.in_(bindparam("instance_ids", expanding=True)), HumanTask.active.is_(True))
    .options(lazyload(HumanTask.case))
)
_LAST_COMPLETED = (
    select(HumanTask)
    .where(
        HumanTask.case_id == bindparam("case_id"),
        HumanTask.bpmn_id == bindparam("bpmn_id"),
        HumanTask.status == TaskStatus.COMPLETED,
    )
    .order_by(HumanTask.id.desc())
    .limit(1)
)


class TaskRepository:
    """Per unit of work.  Rows added in this command are remembered, so the projection can read an instance's
    active rows without flushing first (``active_for_instance``)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._added: list[HumanTask] = []
        self._read: dict[int, list[HumanTask]] = {}  # instance id -> its active rows as read by ``read_active``
        self._without_drafts: set[int] = set()  # rows read under lock that had no drafts then (nor can get one)

    def get(self, task_id: int, *, for_update: bool = False) -> HumanTask | None:
        return self._session.scalar(_GET_FOR_UPDATE if for_update else _GET, {"task_id": task_id})

    def read_active(self, instance_ids: Iterable[int]) -> None:
        """Read the active rows of several instances in one statement (a batch of timers, each instance locked):
        ``active_for_instance`` answers them from memory after that — exact for the reasons it gives."""
        wanted = [i for i in dict.fromkeys(instance_ids) if i not in self._read]
        if not wanted:
            return
        by_instance: dict[int, list[HumanTask]] = {i: [] for i in wanted}
        with self._session.no_autoflush:
            for row in self._session.scalars(_ACTIVE_FOR_INSTANCES, {"instance_ids": wanted}):
                by_instance[row.instance_id].append(row)
        self._read.update(by_instance)

    def get_with_instance_for_update(self, task_id: int) -> tuple[HumanTask, ProcessInstance] | None:
        """The row and its process instance, both locked, in one statement (what completing a task reads first).

        The same statement reads, and locks, the instance's other active rows: ``active_for_instance`` answers
        from them.  Which of the rows have no drafts is remembered (``has_no_drafts``): they are locked, and a
        draft is saved only under its row's lock."""
        found: tuple[HumanTask, ProcessInstance] | None = None
        active: list[HumanTask] = []
        for task, instance, has_drafts in self._session.execute(_GET_WITH_INSTANCE_FOR_UPDATE, {"task_id": task_id}):
            if task.id == task_id:
                found = (task, instance)
            if task.active:
                active.append(task)
            if not has_drafts:
                self._without_drafts.add(task.id)
        if found is not None:
            self._read.setdefault(found[1].id, active)
        return found

    def has_no_drafts(self, task_id: int) -> bool:
        """True if the row was read under its lock in this command and had no drafts: none to clear."""
        return task_id in self._without_drafts

    def active_for_instance(self, instance_id: int) -> list[HumanTask]:
        """Exact without a flush: rows not flushed yet were added here, and a row leaves the active set only in
        memory (``HumanTask._set_status``; a completed or cancelled row never becomes active again)."""
        if instance_id in self._read:
            rows = [row for row in self._read[instance_id] if row.active]
        else:
            with self._session.no_autoflush:
                rows = [
                    row
                    for row in self._session.scalars(_ACTIVE_FOR_INSTANCE, {"instance_id": instance_id})
                    if row.active
                ]
        known = {id(row) for row in rows}
        return rows + [r for r in self._added if r.instance_id == instance_id and r.active and id(r) not in known]

    def open_for_case(self, case_id: int) -> list[HumanTask]:
        query = (
            select(HumanTask)
            .where(HumanTask.case_id == case_id, HumanTask.status.in_(ACTIVE_STATUSES))
            .order_by(HumanTask.id)
        )
        return list(self._session.scalars(query))

    def last_completed(self, case_id: int, bpmn_id: str) -> HumanTask | None:
        """The most recent completed row of a diagram task in a case (who made the latest decision).

        Exact without a flush: a row becomes completed only in memory (``HumanTask.complete``) and never stops
        being completed, and its case and diagram task never change; so the newest is the newest of the rows
        the database has completed and those this session completed.  A new row completed before it was
        flushed has no id to compare yet: then the query flushes first, as any query does."""
        session = self._session
        params = {"case_id": case_id, "bpmn_id": bpmn_id}
        if any(isinstance(row, HumanTask) and row.status == TaskStatus.COMPLETED for row in session.new):
            return session.scalar(_LAST_COMPLETED, params)
        with session.no_autoflush:
            found = session.scalar(_LAST_COMPLETED, params)
        for row in session.identity_map.values():
            if (
                type(row) is HumanTask
                and row.status == TaskStatus.COMPLETED
                and row.case_id == case_id
                and row.bpmn_id == bpmn_id
                and (found is None or row.id > found.id)
            ):
                found = row
        return found

    def add(self, task: HumanTask) -> None:
        self._session.add(task)
        self._added.append(task)

    def mark(self) -> tuple[int, frozenset[int]]:
        """A point to ``restore`` when the work after it is rolled back (``UnitOfWork.savepoint``)."""
        return len(self._added), frozenset(self._without_drafts)

    def restore(self, mark: tuple[int, frozenset[int]]) -> None:
        """Forget the rows added since ``mark``: the rollback made them transient.  Forget too which rows were
        read without drafts since: rolling back to a savepoint releases the row locks taken after it, so a
        draft may be saved on them again."""
        added, without_drafts = mark
        del self._added[added:]
        self._without_drafts.intersection_update(without_drafts)
