"""Move running cases to another version of their process: one case, or every case of a version.

A dry run answers the plan — each task the case waits at (a user task, a timer, a message, a running
subprocess), where it lands, and what stops the move — and changes nothing.  Without it the case
moves in one transaction: its task rows (and their claims), its frister and its timers' due times
stay, its journal says what happened, and the engine runs on.  A task with no place in the new
version refuses the move unless ``mapping`` names its place (``None``: drop a timer or message event).
Process owners move cases; the answer holds no personal data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from engine.migration import MigrationRefused, MovedTask, Plan
from engine.models import ProcessInstance, ProcessVersion
from engine.runtime import ProcessError
from tasks.access.roles import role_for_lane
from tasks.cases.model import Case
from tasks.events import CaseMigrated
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid, NotFound
from tasks.service.services import Services
from tasks.service.uow import UnitOfWork
from tasks.work.projection import DEFAULT_ROLE, apply_step

MIGRATORS = frozenset({"procesejer", "administrator"})
Mapping_ = Mapping[str, str | None]


class MigrationConflict(Conflict):
    """The case cannot move as asked; ``view`` is the plan that says why."""

    def __init__(self, message: str, errors: dict[str, list[str]], view: MigrationView) -> None:
        super().__init__(message, errors)
        self.view = view


@dataclass(frozen=True)
class MigrationView:
    case_id: int
    reference: str
    process: str
    from_version: int
    to_version: int
    dry_run: bool
    migrated: bool
    can_migrate: bool
    tasks: list[MovedTask] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, case: Case, plan: Plan, *, dry_run: bool, migrated: bool) -> MigrationView:
        return cls(
            case.id,
            case.reference,
            case.process_key,
            plan.from_version,
            plan.to_version,
            dry_run,
            migrated,
            plan.can_migrate,
            list(plan.tasks),
            list(plan.problems),
        )


def migrate_case(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    to_version: int,
    now: datetime,
    *,
    dry_run: bool = False,
    mapping: Mapping_ | None = None,
) -> MigrationView:
    """Plan (``dry_run``) or carry out the move of one case to version ``to_version`` of its process."""
    _ensure_may_migrate(actor)
    with uow:
        case = uow.cases.get(case_id)
        if case is None:
            raise NotFound("Sagen findes ikke")
        view = _migrate(uow, actor, case, to_version, now, dry_run=dry_run, mapping=dict(mapping or {}))
        uow.commit()
    return view


def migrate_version(
    services: Services,
    actor: Actor,
    key: str,
    from_version: int,
    to_version: int,
    now: datetime,
    *,
    dry_run: bool = False,
    mapping: Mapping_ | None = None,
) -> list[MigrationView]:
    """Plan or move every running case of version ``from_version`` of ``key``: one transaction per case,
    so a case that cannot move leaves the others moved (and says why)."""
    _ensure_may_migrate(actor)
    with services.uow() as uow:
        if uow.definitions.version(key, from_version) is None:
            raise NotFound(f"Processen '{key}' har ingen version {from_version}")
        ids = list(
            uow.session.scalars(
                select(Case.id)
                .join(ProcessInstance, ProcessInstance.id == Case.instance_id)
                .join(ProcessVersion, ProcessVersion.id == ProcessInstance.version_id)
                .where(
                    ProcessVersion.process_key == key,
                    ProcessVersion.version == from_version,
                    ProcessInstance.status == "running",
                )
                .order_by(Case.id)
            )
        )
    results = []
    for case_id in ids:
        try:
            results.append(
                migrate_case(services.uow(), actor, case_id, to_version, now, dry_run=dry_run, mapping=mapping)
            )
        except MigrationConflict as exc:
            results.append(exc.view)
    return results


def _ensure_may_migrate(actor: Actor) -> None:
    if not actor.roles & MIGRATORS:
        raise Forbidden("Kun procesejere kan flytte sager til en anden version")


def _migrate(
    uow: UnitOfWork, actor: Actor, case: Case, to_version: int, now: datetime, *, dry_run: bool, mapping: dict
) -> MigrationView:
    instance = uow.instances.get(case.instance_id, for_update=not dry_run)
    target = _target(uow, case, instance, to_version)
    if dry_run:
        return MigrationView.of(
            case, uow.instances.plan_migration(instance, target, mapping, now), dry_run=True, migrated=False
        )
    old_rows = {row.spiff_task_id: row for row in uow.tasks.active_for_instance(instance.id)}
    try:
        plan, step = uow.instances.migrate(instance, target, mapping, now)
    except MigrationRefused as exc:
        raise MigrationConflict(
            f"Sagen kan ikke flyttes til version {to_version}: {'; '.join(exc.plan.problems)}",
            {"mapping": list(exc.plan.problems)},
            MigrationView.of(case, exc.plan, dry_run=False, migrated=False),
        ) from None
    except ProcessError as exc:
        raise Invalid(f"Sagen kunne ikke flyttes: {exc}", {"_process": [str(exc)]}) from exc
    _follow_elements(uow, instance, old_rows, plan)
    uow.publish(CaseMigrated(case, now, actor.username, plan.from_version, plan.to_version, plan.tasks))
    apply_step(uow, case, instance, step, now, actor=actor)
    return MigrationView.of(case, plan, dry_run=False, migrated=True)


def _target(uow: UnitOfWork, case: Case, instance: ProcessInstance, to_version: int) -> ProcessVersion:
    if instance.status != "running":
        raise Conflict("Sagens proces er afsluttet; der er intet at flytte")
    target = uow.definitions.version(case.process_key, to_version)
    if target is None:
        raise Invalid(
            f"Processen '{case.process_key}' har ingen version {to_version}",
            {"version": [f"Ukendt version af '{case.process_key}'"]},
        )
    if not target.executable:
        raise Invalid(
            f"Version {to_version} af '{case.process_key}' er en dokumentationsmodel",
            {"version": ["Vælg en eksekverbar version"]},
        )
    if target.id == instance.version_id:
        raise Invalid(f"Sagen kører allerede på version {to_version}", {"version": ["Sagens egen version"]})
    return target


def _follow_elements(uow: UnitOfWork, instance: ProcessInstance, rows: dict, plan: Plan) -> None:
    """The task rows follow their task to its element in the new version: its name, form and role.  The
    row, its claim and its frist stay."""
    diagram = uow.instances.diagram(instance)
    for row in rows.values():
        spec = diagram.user_task(_landed(plan, row.bpmn_id) or row.bpmn_id)
        if spec is None:
            continue
        row.bpmn_id, row.name, row.form = spec.bpmn_id, spec.name, spec.form
        row.role = role_for_lane(spec.lane) or DEFAULT_ROLE


def _landed(plan: Plan, bpmn_id: str) -> str | None:
    return next((t.to_id for t in plan.tasks if t.from_id == bpmn_id), None)
