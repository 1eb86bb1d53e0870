"""Every query on human-task rows, in one place."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tasks.work.model import ACTIVE_STATUSES, HumanTask, TaskStatus


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, task_id: int, *, for_update: bool = False) -> HumanTask | None:
        query = select(HumanTask).where(HumanTask.id == task_id)
        if for_update:
            query = query.with_for_update(of=HumanTask)
        return self._session.scalar(query)

    def active_for_instance(self, instance_id: int) -> list[HumanTask]:
        query = select(HumanTask).where(HumanTask.instance_id == instance_id, HumanTask.active.is_(True))
        return list(self._session.scalars(query))

    def open_for_case(self, case_id: int) -> list[HumanTask]:
        query = (
            select(HumanTask)
            .where(HumanTask.case_id == case_id, HumanTask.status.in_(ACTIVE_STATUSES))
            .order_by(HumanTask.id)
        )
        return list(self._session.scalars(query))

    def last_completed(self, case_id: int, bpmn_id: str) -> HumanTask | None:
        """The most recent completed row of a diagram task in a case (who made the latest decision)."""
        query = (
            select(HumanTask)
            .where(HumanTask.case_id == case_id, HumanTask.bpmn_id == bpmn_id, HumanTask.status == TaskStatus.COMPLETED)
            .order_by(HumanTask.id.desc())
            .limit(1)
        )
        return self._session.scalar(query)

    def add(self, task: HumanTask) -> None:
        self._session.add(task)
