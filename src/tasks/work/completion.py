"""Complete a human task with its form data: the engine moves on, rows and journal follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from engine.models import ProcessVersion
from engine.runtime import ProcessError
from tasks.access.policy import visible_task
from tasks.journal import journal
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.claims import ensure_active
from tasks.work.forms import form_errors
from tasks.work.model import HumanTask
from tasks.work.projection import project
from tasks.work.views import TaskView, task_view


@dataclass(frozen=True)
class Completed:
    task: TaskView
    case_status: str
    next_tasks: list[TaskView]


def complete_task(
    uow: UnitOfWork,
    actor: Actor,
    task_id: int,
    data: dict[str, Any],
    now: datetime,
    expected_version: int | None = None,
) -> Completed:
    """Validate ``data`` against the task's form, advance the instance, project, commit."""
    with uow:
        task = visible_task(uow, actor, task_id, for_update=True)
        ensure_active(task)
        ensure_can_complete(task, actor)
        instance = uow.instances.get(task.instance_id, for_update=True)
        if expected_version is not None and expected_version != instance.lock_version:
            raise Conflict("Sagen er ændret siden du hentede den; hent opgaven igen (forældet version)")
        schema = uow.definitions.form(instance.version, task.form)
        if schema is not None and (errors := form_errors(schema, data)):
            raise Invalid("Formularen er ikke udfyldt korrekt", errors)
        try:
            step = uow.instances.complete_task(instance, UUID(task.spiff_task_id), data, now)
        except ProcessError as exc:
            raise Invalid(f"Processen kunne ikke fortsætte: {exc}", {"_process": [str(exc)]}) from exc
        if task.assignee_id is None:
            task.assignee_id = actor.id
        created = project(uow, task.case, instance, step, now, actor=actor.username, completed=task, actor_id=actor.id)
        _journal_approval(uow, task, instance.version, data, actor, now)
        uow.session.flush()
        result = Completed(
            task=task_view(uow, task, instance.lock_version),
            case_status=task.case.status,
            next_tasks=[task_view(uow, t, instance.lock_version) for t in created],
        )
        uow.commit()
    return result


def _journal_approval(
    uow: UnitOfWork, task: HumanTask, version: ProcessVersion, data: dict[str, Any], actor: Actor, now: datetime
) -> None:
    """R15: an approval's decision and reason go into the journal in words, not only "task done"."""
    spec = uow.definitions.parsed(version).user_task(task.bpmn_id)
    if spec is None or spec.approval is None:
        return
    decided, reason_field = spec.approval
    approved = bool(data.get(decided))
    reason = str(data.get(reason_field) or "").strip()
    verdict = "godkendt" if approved else "afvist"
    journal.record(
        uow.session,
        task.case,
        actor=actor.username,
        action="approval_given" if approved else "approval_refused",
        at=now,
        process_version=version.version,
        task=task,
        message=f"{task.name}: {verdict}" + (f" – {reason}" if reason else ""),
        details={"approved": approved, "reason": reason},
    )


def ensure_can_complete(task: HumanTask, actor: Actor) -> None:
    if not actor.holds(task.role):
        raise Forbidden(f"Opgaven tilhører rollen '{task.role}', som du ikke har")
    if task.assignee_id is not None and task.assignee_id != actor.id:
        raise Forbidden(f"Opgaven er taget af {task.assignee.username}")
