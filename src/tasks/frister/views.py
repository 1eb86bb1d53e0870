"""How a frist is shown: its rule, due time, state, and whether it is near."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tasks.frister.model import Deadline
from tasks.frister.rules import is_near
from tasks.kvalitetsstandard.settings import Kvalitetsstandard


@dataclass(frozen=True)
class DeadlineView:
    rule_id: str
    rule: str
    due: datetime
    state: str
    near: bool
    closed_at: datetime | None
    task_id: int | None

    @classmethod
    def of(cls, deadline: Deadline, now: datetime, standard: Kvalitetsstandard) -> DeadlineView:
        state = deadline.effective_state(now)
        near = False
        if state == "open":
            role, bpmn_id = responsible_role(deadline)
            near = is_near(deadline.due_at, now, standard.escalation_for(role, bpmn_id).warn_working_days)
        return cls(
            deadline.rule_id, deadline.rule, deadline.due_at, state.value, near, deadline.closed_at, deadline.task_id
        )


def responsible_role(deadline: Deadline) -> tuple[str, str | None]:
    """The role (and task) whose escalation rule governs a frist: the task's, else the sagsbehandler's."""
    if deadline.task is not None:
        return deadline.task.role, deadline.task.bpmn_id
    return "sagsbehandler", None
