"""Complete a human task with its form data: the engine moves on, the rows and everything else follow."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from engine.models import ProcessInstance
from engine.runtime import ProcessError
from tasks.access.policy import visible_task_with_instance
from tasks.events import ApprovalDecided, TaskSubmitted
from tasks.pathways.checks import completion_facts, completion_problems
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.forms import form_errors
from tasks.work.model import HumanTask
from tasks.work.projection import apply_step
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
    """Validate ``data`` against the task's form, advance the instance, mirror the step, commit."""
    with uow:
        task, instance = visible_task_with_instance(uow, actor, task_id)
        task.ensure_active()
        ensure_can_complete(task, actor)
        if expected_version is not None and expected_version != instance.lock_version:
            raise Conflict("Sagen er ændret siden du hentede den; hent opgaven igen (forældet version)")
        _ensure_four_eyes(uow, task, instance, actor)
        schema = uow.instances.form(instance, task.form)
        if schema is not None and (errors := form_errors(schema, data)):
            raise Invalid("Formularen er ikke udfyldt korrekt", errors)
        if errors := completion_problems(uow, task, data):
            raise Invalid("Formularen er ikke udfyldt korrekt", errors)
        facts = completion_facts(uow, task, uow.instances.task_data(instance, UUID(task.spiff_task_id)), data, now)
        try:
            step = uow.instances.complete_task(instance, UUID(task.spiff_task_id), {**data, **facts}, now)
        except ProcessError as exc:
            raise Invalid(f"Processen kunne ikke fortsætte: {exc}", {"_process": [str(exc)]}) from exc
        took_it = task.assignee_id is None
        if took_it:
            task.assignee_id = actor.id
        opened = apply_step(uow, task.case, instance, step, now, actor=actor, completed=task, form_data=data)
        uow.publish(TaskSubmitted(task.case, now, task, actor.id, dict(data)))
        _publish_approval(uow, task, instance, data, actor, now)
        uow.dispatch()
        uow.session.flush()
        done = task_view(uow, task, instance.lock_version)
        result = Completed(
            # The row's assignee was read (empty) before the actor took it: name the actor, not a second read.
            task=replace(done, assignee=actor.username) if took_it else done,
            case_status=str(task.case.status),
            next_tasks=[task_view(uow, t, instance.lock_version) for t in opened],
        )
        uow.commit()
    return result


def _publish_approval(
    uow: UnitOfWork, task: HumanTask, instance: ProcessInstance, data: dict[str, Any], actor: Actor, now: datetime
) -> None:
    """R15: an approval task (the diagram's ``approval`` property) records its decision and reason."""
    spec = uow.instances.diagram(instance).user_task(task.bpmn_id)
    if spec is None or spec.approval is None:
        return
    decided, reason_field = spec.approval
    reason = str(data.get(reason_field) or "").strip()
    uow.publish(ApprovalDecided(task.case, now, task, actor.username, bool(data.get(decided)), reason))


def _ensure_four_eyes(uow: UnitOfWork, task: HumanTask, instance: ProcessInstance, actor: Actor) -> None:
    """Whoever made a decision cannot approve it (the diagram's ``approves`` property names the decision)."""
    spec = uow.instances.diagram(instance).user_task(task.bpmn_id)
    if spec is None or not spec.approves:
        return
    decided = uow.tasks.last_completed(task.case_id, spec.approves)
    if decided is not None and decided.completed_by_id == actor.id:
        raise Forbidden(
            f"Du har selv udført '{decided.name}' og kan derfor ikke godkende den (fire øjne): en anden skal godkende"
        )


def ensure_can_complete(task: HumanTask, actor: Actor) -> None:
    if not actor.holds(task.role):
        raise Forbidden(f"Opgaven tilhører rollen '{task.role}', som du ikke har")
    if task.assignee_id is not None and task.assignee_id != actor.id:
        raise Forbidden(f"Opgaven er taget af {task.assignee.username if task.assignee else 'en anden'}")
