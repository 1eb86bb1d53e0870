"""What each completed task was completed with, kept durably and read back in words.

The engine's state is compacted (finished history is dropped), so it cannot be the record: the completion
publishes ``TaskSubmitted`` and ``record_submission`` stores the form data in ``task_submissions`` in the same
transaction.  Reading renders the data with the labels of the form the task used, in its process version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select

from tasks.accounts.model import User
from tasks.events import TaskSubmitted
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask, TaskSubmission
from tasks.work.readable import Answer, answers

_INSERT = insert(cast(Table, TaskSubmission.__table__))


@dataclass(frozen=True)
class SubmissionView:
    task_id: int
    task_name: str
    bpmn_id: str
    submitted_at: datetime
    submitted_by: str
    answers: list[Answer]
    data: dict[str, Any]


def record_submission(event: TaskSubmitted, uow: UnitOfWork) -> None:
    """One Core INSERT (every completion runs it; no ORM object to flush).  The completed row exists already."""
    task = event.task
    row = {
        "task_id": task.id,
        "case_id": event.case.id,
        "bpmn_id": task.bpmn_id,
        "form": task.form,
        "data": dict(event.data),
        "submitted_at": event.at,
        "submitted_by_id": event.actor_id,
    }
    uow.session.connection().execute(_INSERT, row)


def submitted_data(uow: UnitOfWork, task_id: int) -> dict[str, Any] | None:
    """Within an open unit of work: the data a task was completed with, or None."""
    row = uow.session.scalar(select(TaskSubmission).where(TaskSubmission.task_id == task_id))
    return dict(row.data) if row is not None else None


def last_submission(uow: UnitOfWork, case_id: int, bpmn_id: str, before_task: int) -> TaskSubmission | None:
    """The latest earlier completion of the same diagram task in a case (a decision sent back for another go)."""
    query = (
        select(TaskSubmission)
        .where(
            TaskSubmission.case_id == case_id,
            TaskSubmission.bpmn_id == bpmn_id,
            TaskSubmission.task_id < before_task,
        )
        .order_by(TaskSubmission.id.desc())
        .limit(1)
    )
    return uow.session.scalar(query)


def case_submissions(uow: UnitOfWork, case_id: int) -> list[SubmissionView]:
    """Within an open unit of work: every completed task of the case with its answers, oldest first."""
    rows = uow.session.execute(
        select(TaskSubmission, HumanTask, User.username)
        .join(HumanTask, HumanTask.id == TaskSubmission.task_id)
        .join(User, User.id == TaskSubmission.submitted_by_id)
        .where(TaskSubmission.case_id == case_id)
        .order_by(TaskSubmission.id)
    ).all()
    views = []
    for submission, task, username in rows:
        version = uow.instances.get(task.instance_id).version
        schema = uow.definitions.form(version, submission.form)
        views.append(
            SubmissionView(
                task_id=task.id,
                task_name=task.name,
                bpmn_id=task.bpmn_id,
                submitted_at=submission.submitted_at,
                submitted_by=username,
                answers=answers(schema, submission.data),
                data=dict(submission.data),
            )
        )
    return views
