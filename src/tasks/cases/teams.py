"""Move a case to another team (a leder's decision): the case and its open tasks follow, and whoever had one of
those tasks but cannot see the case in its new team gives it back to the queue."""

from __future__ import annotations

from datetime import datetime

from tasks.access.policy import can_see_case, visible_case
from tasks.accounts.teams import ensure_known_team
from tasks.cases.reading import case_view
from tasks.cases.views import CaseView
from tasks.events import CaseMoved, TaskUnclaimed
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork

MOVERS = frozenset({"leder", "administrator"})


def move_case(uow: UnitOfWork, actor: Actor, case_id: int, team: str, now: datetime) -> CaseView:
    if not actor.roles & MOVERS:
        raise Forbidden("Kun en leder kan flytte en sag til et andet team")
    with uow:
        case = visible_case(uow, actor, case_id)
        ensure_known_team(uow, team)
        if case.team == team:
            raise Invalid("Sagen er allerede i det team", {"team": [f"Sagen hører allerede til {team}"]})
        old = case.team
        case.move_to_team(team)
        released = []
        for task in uow.tasks.open_for_case(case.id):
            task.move_to_team(team)
            if task.assignee is not None and not can_see_case(Actor.of(task.assignee), case):
                released.append(task)
        uow.publish(CaseMoved(case, now, actor.username, old, team, tuple(released)))
        uow.dispatch()  # the notification names who had each task, before it is put back
        for task in released:
            task.unclaim()
            uow.publish(TaskUnclaimed(case, now, task, actor.username))
        uow.dispatch()
        view = case_view(uow, case)
        uow.commit()
    return view
