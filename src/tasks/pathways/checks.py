"""Rules across fields and tasks that a form's JSON Schema cannot state, checked when a task is completed.

- Sagsbehandling: an opfølgning cannot be dated before the bevilling it follows up on started (the bevilling's
  ``startdato``, from the completed *Opret bevilling* of the same case).
"""

from __future__ import annotations

from datetime import date
from typing import Any

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
