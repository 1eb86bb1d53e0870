"""Who may see which case and task.  One place, so every use case asks the same question."""

from __future__ import annotations

from sqlalchemy import Select, select

from tasks.cases.model import Case
from tasks.service.actors import Actor
from tasks.service.errors import NotFound
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask

# Roles that work across teams (they approve, lead, or administer).
CROSS_TEAM_ROLES = {"faglig_konsulent", "leder", "administrator"}


def can_see_case(actor: Actor, case: Case) -> bool:
    if actor.roles & CROSS_TEAM_ROLES:
        return True
    if actor.holds("sagsbehandler"):
        return actor.team is None or case.team == actor.team
    if actor.holds("krisecenter"):
        return case.opened_by_id == actor.id
    return False


def ensure_can_see_case(actor: Actor, case: Case | None) -> Case:
    """Unknown and invisible look the same: 404, so ids cannot be probed."""
    if case is None or not can_see_case(actor, case):
        raise NotFound("Sagen findes ikke")
    return case


def visible_case(uow: UnitOfWork, actor: Actor, case_id: int) -> Case:
    return ensure_can_see_case(actor, uow.session.get(Case, case_id))


def visible_task(uow: UnitOfWork, actor: Actor, task_id: int, *, for_update: bool = False) -> HumanTask:
    query = select(HumanTask).where(HumanTask.id == task_id)
    if for_update:
        query = query.with_for_update(of=HumanTask)
    task = uow.session.scalar(query)
    if task is None or not can_see_case(actor, task.case):
        raise NotFound("Opgaven findes ikke")
    return task


def restrict_tasks_to_actor(query: Select, actor: Actor) -> Select:
    """Limit an inbox query to the tasks of the actor's roles (and team, for team-bound roles)."""
    roles = sorted(actor.roles)
    query = query.where(HumanTask.role == roles[0] if len(roles) == 1 else HumanTask.role.in_(roles))
    if not actor.roles & CROSS_TEAM_ROLES and actor.team is not None:
        query = query.where(HumanTask.team == actor.team)
    return query
