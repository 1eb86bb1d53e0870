"""Open a case on a process and read it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from engine.calendar import local_date
from engine.definitions import UnknownProcess
from tasks.access.log import log_read
from tasks.access.policy import ensure_can_see_case, visible_case
from tasks.cases.model import Case
from tasks.cases.views import CaseView, JournalView
from tasks.frister import deadlines as frister
from tasks.journal import journal
from tasks.kvalitetsstandard.tables import current_tables
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask
from tasks.work.projection import OPEN_STATUSES, project
from tasks.work.views import task_view

CASE_OPENERS = {"sagsbehandler", "krisecenter"}
STAY_PROCESSES = {"krisecenter", "forsorgshjem"}  # a boform registers the stay; stay_started_on is required


@dataclass(frozen=True)
class NewCase:
    process: str = "sagsbehandling"
    received_at: datetime | None = None
    title: str = ""
    ydelse: str | None = None
    team: str | None = None
    citizen_cpr: str | None = None
    citizen_name: str | None = None
    stay_started_on: date | None = None
    details: dict[str, Any] = field(default_factory=dict)


def open_case(uow: UnitOfWork, actor: Actor, new: NewCase, now: datetime) -> CaseView:
    """Register a henvendelse: start the process and create the first tasks, in one transaction."""
    if not actor.roles & CASE_OPENERS:
        raise Forbidden("Kun sagsbehandlere kan oprette sager")
    if not actor.holds("sagsbehandler") and new.process not in STAY_PROCESSES:
        raise Forbidden("Krisecentre og forsorgshjem kan kun registrere ophold")
    received_at = new.received_at or now
    if received_at > now:
        raise Invalid("Modtagelsestidspunktet ligger i fremtiden", {"received_at": ["Må ikke ligge i fremtiden"]})
    _check_stay(new, received_at)
    with uow:
        try:
            version = uow.definitions.latest(new.process)
        except UnknownProcess:
            raise Invalid(
                f"Ukendt proces '{new.process}'", {"process": [f"Ingen udrullet proces hedder '{new.process}'"]}
            ) from None
        stay = {"stay_started_on": new.stay_started_on.isoformat()} if new.stay_started_on else {}
        tables = current_tables(uow)
        standard = uow.standard.with_tables(tables)
        process_data = {
            **new.details,
            **stay,
            "ydelse": new.ydelse,
            "received_at": received_at.isoformat(),
            "received_on": local_date(received_at).isoformat(),
            **frister.case_start_data(version.process_key, new.ydelse, received_at, standard),
        }
        started = uow.instances.start(version, process_data, now)
        case = Case(
            reference="",
            process_key=version.process_key,
            instance_id=started.instance.id,
            team=new.team or actor.team,
            status="open",
            ydelse=new.ydelse,
            title=new.title,
            received_at=received_at,
            opened_at=now,
            opened_by_id=actor.id,
            citizen_cpr=new.citizen_cpr,
            citizen_name=new.citizen_name,
            details={**new.details, **stay, "kvalitetsstandard": tables.versions},
        )
        uow.session.add(case)
        uow.session.flush()
        case.reference = f"SAG-{now.year}-{case.id:06d}"
        frister.open_case_deadlines(uow.session, case, standard)
        journal.record(
            uow.session,
            case,
            actor=actor.username,
            action="case_opened",
            at=now,
            process_version=version.version,
            message=f"Henvendelse registreret ({version.process_key} v{version.version})",
        )
        project(uow, case, started.instance, started.step, now, actor=actor.username)
        view = case_view(uow, case)
        uow.commit()
    return view


def _check_stay(new: NewCase, received_at: datetime) -> None:
    if new.process in STAY_PROCESSES and new.stay_started_on is None:
        raise Invalid("Opholdets startdato mangler", {"stay_started_on": ["Påkrævet for ophold (§§ 109/110)"]})
    if new.stay_started_on is not None and new.stay_started_on > local_date(received_at):
        raise Invalid("Opholdet kan ikke starte efter orienteringen", {"stay_started_on": ["Senere end received_at"]})


def get_case(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:sag") -> CaseView:
    """The case with its tasks and frister; the read is written to the access log."""
    with uow:
        case = visible_case(uow, actor, case_id)
        view = case_view(uow, case)
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return view


def case_journal(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:journal") -> list[JournalView]:
    with uow:
        case = visible_case(uow, actor, case_id)
        entries = [JournalView.of(e) for e in journal.entries(uow.session, case.id)]
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return entries


def case_view(uow: UnitOfWork, case: Case) -> CaseView:
    instance = uow.instances.get(case.instance_id)
    rows = uow.session.scalars(
        select(HumanTask)
        .where(HumanTask.case_id == case.id, HumanTask.status.in_(OPEN_STATUSES))
        .order_by(HumanTask.id)
    )
    tasks = [task_view(uow, r, instance.lock_version) for r in rows]
    deadlines = frister.deadline_views(uow.session, case.id, uow.clock.now(), uow.standard)
    return CaseView.of(case, instance.version.version, instance.lock_version, tasks, deadlines)


__all__ = ["NewCase", "open_case", "get_case", "case_journal", "NotFound", "ensure_can_see_case"]
