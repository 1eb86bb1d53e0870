"""What a task's page shows: the task, its form with the values to start from, and what to decide it with.

- A user task may name process-data keys in its ``context`` property (e.g. the faglig konsulent's approval shows
  the afgørelse and the reason for the afvigelse); labels come from the version's own forms.
- The form starts from the user's saved draft; else, for a decision sent back (an afvigelse rejected), from the
  previous answers with the rejection comment shown; else fields named like a case fact (``ydelse``) start with
  the case's value.
- A completed task shows what it was completed with; a task claimed by a colleague says who has it, and whoever
  may reassign it gets the colleagues who can take it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from engine.models import ProcessInstance
from tasks.access.log import log_read
from tasks.access.policy import visible_task
from tasks.drafts.saving import find_draft
from tasks.kvalitetsstandard.tables import catalogue_in_force
from tasks.service.actors import Actor
from tasks.service.uow import UnitOfWork
from tasks.work.assignees import Colleague, candidates
from tasks.work.claims import SUPERVISORS
from tasks.work.messages import Awaited, awaited_messages
from tasks.work.model import HumanTask, TaskStatus
from tasks.work.readable import Answer, answers, display
from tasks.work.submissions import last_submission, submitted_data
from tasks.work.views import TaskView, task_view

CASE_FACTS = ("ydelse",)  # form fields that start with the case's own value

# Free-text form fields the catalogue in force can fill: offered as a list of the ydelse's own values.
SERVICENIVEAU_FIELDS = ("pakke", "serviceniveau", "ny_pakke")
LEVERANDOER_FIELDS = ("leverandoer", "ny_leverandoer")
MAALGRUPPE_FIELDS = ("maalgruppe",)


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
    prefill: dict[str, Any] = field(default_factory=dict)
    prefill_source: str | None = None  # "kladde", "tidligere svar", "sagen"
    draft_saved_at: datetime | None = None
    rejection: str | None = None
    answers: list[Answer] = field(default_factory=list)
    assignees: list[Colleague] = field(default_factory=list)
    may_reschedule: bool = False
    legal_due: datetime | None = None
    legal_rule: str | None = None
    # messages the case waits for (a form per message lets the user register that it came)
    awaited: list[Awaited] = field(default_factory=list)
    # per form field: (value, label) choices from the catalogue in force for the case's ydelse
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @property
    def can_complete(self) -> bool:
        return (
            self.holds_role
            and self.task.status in ("open", "claimed")
            and (self.claimed_by_me or self.task.assignee is None)
        )

    @property
    def may_assign(self) -> bool:
        return bool(self.assignees)


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
        prefill, source, saved_at, rejection = _start_values(uow, actor, row, form)
        legal = _legal_frist(uow, row)
        supervisor = bool(actor.roles & SUPERVISORS)
        may_distribute = row.active and (supervisor or (actor.holds(row.role) and row.assignee_id in (None, actor.id)))
        done = submitted_data(uow, row.id) if row.status == TaskStatus.COMPLETED else None
        page = TaskPage(
            task=task_view(uow, row, instance.lock_version, form),
            case_title=row.case.title,
            ydelse=row.case.ydelse,
            context=context,
            holds_role=actor.holds(row.role),
            claimed_by_me=row.assignee_id == actor.id,
            prefill=prefill,
            prefill_source=source,
            draft_saved_at=saved_at,
            rejection=rejection,
            answers=answers(form, done) if done is not None else [],
            assignees=[c for c in candidates(uow, row) if c.username != actor.username] if may_distribute else [],
            may_reschedule=may_distribute,
            legal_due=legal[0] if legal else None,
            legal_rule=legal[1] if legal else None,
            awaited=awaited_messages(uow, row.case_id, row.case.instance_id) if row.active else [],
            choices=catalogue_choices(uow, prefill.get("ydelse") or row.case.ydelse, form) if row.active else {},
        )
        log_read(uow.session, actor, row.case, purpose, uow.clock.now())
        uow.commit()
    return page


def catalogue_choices(uow: UnitOfWork, ydelse: Any, form: dict[str, Any] | None) -> dict[str, list[tuple[str, str]]]:
    """Within an open unit of work: the serviceniveauer, leverandører and målgrupper of ``ydelse`` in the catalogue
    in force, for the form's fields that take them (the catalogue still checks what is submitted)."""
    properties = (form or {}).get("properties") or {}
    catalogue = catalogue_in_force(uow)
    entry = catalogue.ydelse(str(ydelse)) if ydelse else None
    if entry is None:
        return {}
    register = catalogue.leverandoerer
    suppliers = [(lev.navn, lev.navn) for lev in register.for_ydelse(entry.key)] if register is not None else []
    found: dict[str, list[tuple[str, str]]] = {}
    for name in properties:
        if name in SERVICENIVEAU_FIELDS:
            found[name] = [(level.key, f"{level.key}: {level.omfang}") for level in entry.serviceniveauer]
        elif name in LEVERANDOER_FIELDS:
            found[name] = suppliers
        elif name in MAALGRUPPE_FIELDS:
            found[name] = [(key, label) for key, label in entry.maalgrupper.items()]
    return {name: values for name, values in found.items() if values}


def _start_values(
    uow: UnitOfWork, actor: Actor, row: HumanTask, form: dict[str, Any] | None
) -> tuple[dict[str, Any], str | None, datetime | None, str | None]:
    """(values, where they come from, when the draft was saved, the rejection comment)."""
    if not row.active:
        return {}, None, None, None
    rejection = None
    previous = last_submission(uow, row.case_id, row.bpmn_id, row.id)
    if previous is not None:
        rejection = _rejection_after(uow, row.case_id, previous.submitted_at)
    draft = find_draft(uow, row.id, actor.id)
    if draft is not None:
        return dict(draft.data), "kladde", draft.saved_at, rejection
    if previous is not None:
        return dict(previous.data), "tidligere svar", None, rejection
    properties = (form or {}).get("properties") or {}
    facts = {key: getattr(row.case, key) for key in CASE_FACTS if key in properties and getattr(row.case, key)}
    return facts, ("sagen" if facts else None), None, None


def _rejection_after(uow: UnitOfWork, case_id: int, since: datetime) -> str | None:
    refused = [e for e in uow.journal.for_case(case_id) if e.action == "approval_refused" and e.at >= since]
    if not refused:
        return None
    last = refused[-1]
    reason = str((last.details or {}).get("reason") or "").strip()
    return f"{last.actor} afviste «{last.task_name}»" + (f": {reason}" if reason else "")


def _legal_frist(uow: UnitOfWork, row: HumanTask) -> tuple[datetime, str] | None:
    """The legal frist row of the task when its due time differs from the task's (a changed due date)."""
    for deadline in uow.deadlines.for_task(row.id):
        if row.due_at is None or deadline.due_at != row.due_at:
            return deadline.due_at, deadline.rule
    return None


# Process data Sagsflow sets itself (tasks.pathways.assessment), named for the reader.
SYSTEM_LABELS = {
    "funktionsniveau": "Udredningens funktionsniveau",
    "foreslaaet_serviceniveau": "Kvalitetsstandardens forslag til serviceniveau",
    "afvigelse_grunde": "Afvigelsen, Sagsflow fandt i forhold til kvalitetsstandarden",
    "kompetence": "Kompetence efter kvalitetsstandarden",
}


def _item(uow: UnitOfWork, instance: ProcessInstance, key: str, value: Any) -> ContextItem:
    prop = _property(uow, instance, key)
    label = prop.get("title") or SYSTEM_LABELS.get(key) or key.replace("_", " ").capitalize()
    return ContextItem(label, display({}, prop, value))


def _property(uow: UnitOfWork, instance: ProcessInstance, key: str) -> dict[str, Any]:
    for _name, schema in sorted(uow.instances.forms(instance).items()):
        if key in schema.get("properties", {}):
            return schema["properties"][key]
    return {}
