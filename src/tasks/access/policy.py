"""Who may see which case and task.  One place, so every use case — detail views and lists — asks the same question.

- Faglig konsulent, leder and administrator work across teams: they see every case.
- A sagsbehandler sees the cases of their own team; one without a team sees only cases without one.
- A krisecenter sees only the stays it registered itself.
An id a user may not see answers exactly like an id that does not exist (404), so ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select

from engine.models import ProcessInstance
from tasks.cases.model import Case
from tasks.service.actors import Actor
from tasks.service.errors import NotFound
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask

CROSS_TEAM_ROLES = frozenset({"faglig_konsulent", "leder", "administrator"})
TEAM_ROLES = frozenset({"sagsbehandler"})
OWN_CASES_ROLES = frozenset({"krisecenter"})


def can_see_case(actor: Actor, case: Case) -> bool:
    if actor.roles & CROSS_TEAM_ROLES:
        return True
    if actor.roles & TEAM_ROLES and case.team == actor.team:
        return True
    return bool(actor.roles & OWN_CASES_ROLES) and case.opened_by_id == actor.id


def ensure_can_see_case(actor: Actor, case: Case | None) -> Case:
    """Unknown and invisible look the same: 404, so ids cannot be probed."""
    if case is None or not can_see_case(actor, case):
        raise NotFound("Sagen findes ikke")
    return case


def visible_case(uow: UnitOfWork, actor: Actor, case_id: int) -> Case:
    return ensure_can_see_case(actor, uow.cases.get(case_id))


def visible_task(uow: UnitOfWork, actor: Actor, task_id: int, *, for_update: bool = False) -> HumanTask:
    task = uow.tasks.get(task_id, for_update=for_update)
    if task is None or not can_see_case(actor, task.case):
        raise NotFound("Opgaven findes ikke")
    return task


def visible_task_with_instance(uow: UnitOfWork, actor: Actor, task_id: int) -> tuple[HumanTask, ProcessInstance]:
    """``visible_task(..., for_update=True)`` with the task's process instance, also locked, read in the same
    statement (completing a task needs both)."""
    found = uow.tasks.get_with_instance_for_update(task_id)
    if found is None or not can_see_case(actor, found[0].case):
        raise NotFound("Opgaven findes ikke")
    return found


def case_visibility(actor: Actor) -> ColumnElement[bool]:
    """The same rule as ``can_see_case``, as a condition on ``cases`` for list queries."""
    if actor.roles & CROSS_TEAM_ROLES:
        return Case.id.is_not(None)
    clauses: list[ColumnElement[bool]] = []
    if actor.roles & TEAM_ROLES:
        clauses.append(Case.team.is_(None) if actor.team is None else Case.team == actor.team)
    if actor.roles & OWN_CASES_ROLES:
        clauses.append(Case.opened_by_id == actor.id)
    return or_(*clauses) if clauses else false()


def restrict_tasks_to_actor(query: Select[Any], actor: Actor) -> Select[Any]:
    """An inbox query limited to the tasks of the actor's roles, on cases the actor may see.

    The query must join ``cases``.  For a team-bound role it is one range scan of the inbox index
    (role, team, active, sort_due)."""
    roles = sorted(actor.roles)
    role_clause = HumanTask.role == roles[0] if len(roles) == 1 else HumanTask.role.in_(roles)
    if actor.roles & CROSS_TEAM_ROLES:
        return query.where(role_clause)
    clauses: list[ColumnElement[bool]] = []
    team_roles = sorted(actor.roles - OWN_CASES_ROLES)
    if team_roles and actor.roles & TEAM_ROLES:
        team_clause = HumanTask.team.is_(None) if actor.team is None else HumanTask.team == actor.team
        role_in = HumanTask.role == team_roles[0] if len(team_roles) == 1 else HumanTask.role.in_(team_roles)
        clauses.append(and_(role_in, team_clause))
    if actor.roles & OWN_CASES_ROLES:
        clauses.append(and_(HumanTask.role.in_(sorted(OWN_CASES_ROLES)), Case.opened_by_id == actor.id))
    return query.where(or_(*clauses) if clauses else false())


def visible_cases(actor: Actor) -> Select[tuple[Case]]:
    return select(Case).where(case_visibility(actor))
