"""Rules across fields and tasks that a form's JSON Schema cannot state, checked when a task is completed.

- Sagsbehandling: an opfølgning cannot be dated before the bevilling it follows up on started (the bevilling's
  ``startdato``, from the completed *Opret bevilling* of the same case).
- Sagsbehandling's deciding tasks are measured against the catalogue (``completion_facts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from engine.calendar import local_date
from tasks.accounts.model import User
from tasks.events import DecisionAssessed
from tasks.pathways.assessment import decision_facts
from tasks.pathways.sagsbehandling import SAGSBEHANDLING
from tasks.service.danish import short_date
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask
from tasks.work.submissions import last_submission

OPFOELGNING, BEVILLING = "opfoelgning", "bevilling"


def completion_problems(uow: UnitOfWork, task: HumanTask, data: dict[str, Any]) -> dict[str, list[str]]:
    """Within an open unit of work: field -> Danish messages (empty when the data may be submitted)."""
    if task.case.process_key != SAGSBEHANDLING.process_key or task.bpmn_id != OPFOELGNING:
        return {}
    granted = last_submission(uow, task.case_id, BEVILLING, task.id)
    start, day = (granted.data.get("startdato") if granted else None), data.get("opfoelgning_dato")
    if isinstance(start, str) and isinstance(day, str) and day < start:
        when = short_date(date.fromisoformat(start))
        return {"opfoelgning_dato": [f"Opfølgningen kan ikke ligge før bevillingens start ({when})"]}
    return {}


def completion_facts(
    uow: UnitOfWork, task: HumanTask, process: Mapping[str, Any], data: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """Within an open unit of work: what Sagsflow adds to the process data when the task completes (the
    catalogue's assessment of a decision, ``tasks.pathways.assessment``); raises ``Invalid`` for bad input."""
    if task.case.process_key != SAGSBEHANDLING.process_key:
        return {}
    facts = decision_facts(uow, task.case, task.bpmn_id, process, data, local_date(now))
    found, kompetence = str(facts.get("afvigelse_grunde") or ""), str(facts.get("kompetence") or "sagsbehandler")
    if found or kompetence != "sagsbehandler":
        user = uow.session.get(User, task.assignee_id) if task.assignee_id else None
        actor = user.username if user is not None else "system"
        uow.publish(DecisionAssessed(task.case, now, actor, task, found, kompetence))
    return facts
