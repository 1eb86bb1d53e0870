"""What a task's page shows: the task, its form, and the case facts the diagram asks to show beside it.

A user task may name process-data keys in its ``context`` property (e.g. the faglig konsulent's
approval shows the afgørelse and the reason for the afvigelse).  Labels and option titles come from
the process version's own forms, so the page speaks the same Danish as the form that asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from engine.models import ProcessInstance
from tasks.access.log import log_read
from tasks.access.policy import visible_task
from tasks.service.actors import Actor
from tasks.service.uow import UnitOfWork
from tasks.work.messages import Awaited, awaited_messages
from tasks.work.views import TaskView, task_view


@dataclass(frozen=True)
class ContextItem:
    label: str
    value: str


@dataclass(frozen=True)
class TaskPage:
    task: TaskView
    case_title: str
    ydelse: str | None
    context: list[ContextItem]
    holds_role: bool
    claimed_by_me: bool
    # messages the case waits for (a form per message lets the user register that it came)
    awaited: list[Awaited] = field(default_factory=list)

    @property
    def can_complete(self) -> bool:
        return (
            self.holds_role
            and self.task.status in ("open", "claimed")
            and (self.claimed_by_me or self.task.assignee is None)
        )


def task_page(uow: UnitOfWork, actor: Actor, task_id: int, purpose: str = "ui:opgave") -> TaskPage:
    with uow:
        row = visible_task(uow, actor, task_id)
        instance = uow.instances.get(row.instance_id)
        form = uow.instances.form(instance, row.form)
        spec = uow.instances.diagram(instance).user_task(row.bpmn_id)
        context: list[ContextItem] = []
        if spec is not None and spec.context and row.active:
            data = uow.instances.task_data(instance, UUID(row.spiff_task_id))
            context = [_item(uow, instance, key, data[key]) for key in spec.context if key in data]
        page = TaskPage(
            task=task_view(uow, row, instance.lock_version, form),
            case_title=row.case.title,
            ydelse=row.case.ydelse,
            context=context,
            holds_role=actor.holds(row.role),
            claimed_by_me=row.assignee_id == actor.id,
            awaited=awaited_messages(uow, row.case_id, row.case.instance_id) if row.active else [],
        )
        log_read(uow.session, actor, row.case, purpose, uow.clock.now())
        uow.commit()
    return page


def _item(uow: UnitOfWork, instance: ProcessInstance, key: str, value: Any) -> ContextItem:
    prop = _property(uow, instance, key)
    label = prop.get("title") or key.replace("_", " ").capitalize()
    return ContextItem(label, _display(prop, value))


def _property(uow: UnitOfWork, instance: ProcessInstance, key: str) -> dict[str, Any]:
    for _name, schema in sorted(uow.instances.forms(instance).items()):
        if key in schema.get("properties", {}):
            return schema["properties"][key]
    return {}


def _display(prop: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    for choice in prop.get("oneOf", []):
        if choice.get("const") == value:
            return choice.get("title", str(value))
    return "" if value is None else str(value)
