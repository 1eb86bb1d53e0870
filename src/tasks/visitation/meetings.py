"""Put an indstilling on the next meeting's agenda, record the udvalg's decision, read the agendas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from engine import calendar
from tasks.catalogue.entries import Visitationsudvalg
from tasks.events import ApprovalDecided, TaskOpened
from tasks.kvalitetsstandard.tables import catalogue_in_force
from tasks.service.actors import Actor
from tasks.service.danish import long_date
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork
from tasks.visitation.model import STATUS_DA, Indstilling, IndstillingStatus, Visitationsmoede
from tasks.work.completion import Completed, complete_task

VISITATIONSUDVALG = "visitationsudvalg"  # the main pathway's task for the udvalg's decision
READERS = frozenset({"leder", "faglig_konsulent", "administrator"})


def next_meeting(udvalg: Visitationsudvalg, today: date) -> date:
    """The first meeting day after ``today`` (an indstilling made on a meeting day waits for the next one); a
    meeting day that is closed (a helligdag) moves to the next hverdag."""
    ahead = (udvalg.weekday - today.weekday() - 1) % 7 + 1
    return calendar.roll_forward(today + timedelta(days=ahead))


def decision_due(udvalg: Visitationsudvalg, meeting: date) -> datetime:
    """The written decision: the catalogue's number of hverdage after the meeting (R16), end of that day."""
    return calendar.end_of_day(calendar.add_working_days(meeting, udvalg.decision_working_days))


def put_on_agenda(event: TaskOpened, uow: UnitOfWork) -> None:
    """*Visitationsudvalgets afgørelse* opened: the case's indstilling goes on the next meeting's agenda."""
    task = event.task
    if task.bpmn_id != VISITATIONSUDVALG:
        return  # before the catalogue: every opened task passes here
    ydelser = catalogue_in_force(uow).ydelser
    if ydelser is None:
        return
    udvalg = ydelser.visitationsudvalg
    meeting_day = next_meeting(udvalg, calendar.local_date(event.at))
    meeting = uow.session.scalar(select(Visitationsmoede).where(Visitationsmoede.moede_dato == meeting_day))
    if meeting is None:
        meeting = Visitationsmoede(moede_dato=meeting_day, created_at=event.at)
        uow.session.add(meeting)
        uow.session.flush()
    data = uow.instances.task_data(uow.instances.get(task.instance_id), UUID(task.spiff_task_id))
    amount = data.get("aarligt_beloeb")
    uow.session.add(
        Indstilling(
            moede_id=meeting.id,
            case_id=event.case.id,
            task_id=task.id,
            ydelse=str(data.get("lovgrundlag") or event.case.ydelse or ""),
            serviceniveau=str(data["serviceniveau"]) if data.get("serviceniveau") else None,
            aarligt_beloeb=int(amount) if isinstance(amount, int) else None,
            created_at=event.at,
        )
    )
    task.due_at = decision_due(udvalg, meeting_day)
    uow.journal.record(
        event.case,
        actor="system",
        action="indstilling_created",
        at=event.at,
        message=f"Indstillingen er sat på dagsordenen for {udvalg.navn.lower()}s møde {long_date(meeting_day)}",
        task=task,
    )


def record_decision(event: ApprovalDecided, uow: UnitOfWork) -> None:
    if event.task.bpmn_id != VISITATIONSUDVALG:
        return
    row = uow.session.scalar(
        select(Indstilling).where(Indstilling.task_id == event.task.id).order_by(Indstilling.id.desc()).limit(1)
    )
    if row is not None:
        row.decide(event.approved, event.actor, event.at, event.reason)


@dataclass(frozen=True)
class IndstillingView:
    id: int
    case_id: int
    reference: str
    ydelse: str
    serviceniveau: str | None
    aarligt_beloeb: int | None
    status: str
    status_da: str
    task_id: int | None
    decided_by: str | None
    kommentar: str | None


@dataclass(frozen=True)
class MeetingView:
    id: int
    moede_dato: date
    indstillinger: int
    afgjort: int
    dagsorden: list[IndstillingView]


def _ensure_reader(actor: Actor) -> None:
    if not actor.roles & READERS:
        raise Forbidden("Kun ledere og faglige konsulenter kan se visitationsudvalgets dagsordener")


def meetings(uow: UnitOfWork, actor: Actor, since: date) -> list[MeetingView]:
    """The meetings from ``since`` on, with the number of indstillinger and how many are decided."""
    _ensure_reader(actor)
    with uow:
        rows = uow.session.scalars(
            select(Visitationsmoede).where(Visitationsmoede.moede_dato >= since).order_by(Visitationsmoede.moede_dato)
        ).all()
        views = []
        for row in rows:
            query = select(Indstilling.status, func.count()).where(Indstilling.moede_id == row.id)
            counts: dict[str, int] = {
                str(status): n for status, n in uow.session.execute(query.group_by(Indstilling.status))
            }
            total = sum(counts.values())
            views.append(MeetingView(row.id, row.moede_dato, total, total - counts.get("afventer", 0), []))
        return views


def agenda(uow: UnitOfWork, actor: Actor, meeting_id: int) -> MeetingView:
    """One meeting with its agenda: a case reference per indstilling, never a name or CPR number."""
    _ensure_reader(actor)
    with uow:
        row = uow.session.get(Visitationsmoede, meeting_id)
        if row is None:
            raise NotFound("Mødet findes ikke")
        return _agenda(uow, row)


def awaiting_udvalg(uow: UnitOfWork, actor: Actor) -> list[MeetingView]:
    """The udvalg's page: every meeting with an indstilling still awaiting its decision, and any later meeting,
    oldest first, each with its whole agenda."""
    _ensure_reader(actor)
    with uow:
        waiting = select(Indstilling.moede_id).where(Indstilling.status == IndstillingStatus.AFVENTER)
        today = calendar.local_date(uow.clock.now())
        rows = uow.session.scalars(
            select(Visitationsmoede)
            .where((Visitationsmoede.id.in_(waiting)) | (Visitationsmoede.moede_dato >= today))
            .order_by(Visitationsmoede.moede_dato)
        ).all()
        return [_agenda(uow, row) for row in rows]


def _agenda(uow: UnitOfWork, row: Visitationsmoede) -> MeetingView:
    items = uow.session.scalars(select(Indstilling).where(Indstilling.moede_id == row.id).order_by(Indstilling.id))
    agenda_items = [
        IndstillingView(
            i.id,
            i.case_id,
            i.case.reference,
            i.ydelse,
            i.serviceniveau,
            i.aarligt_beloeb,
            i.status.value,
            STATUS_DA[i.status],
            i.task_id,
            i.decided_by,
            i.kommentar,
        )
        for i in items
    ]
    decided = sum(1 for i in agenda_items if i.status != "afventer")
    return MeetingView(row.id, row.moede_dato, len(agenda_items), decided, agenda_items)


def decide_indstilling(
    uow_factory: Callable[[], UnitOfWork],
    actor: Actor,
    indstilling_id: int,
    approved: bool,
    comment: str,
    now: datetime,
) -> Completed:
    """Record the udvalg's decision on one indstilling: its task *Visitationsudvalgets afgørelse* is completed with
    the decision (the task's own checks apply: the role, four eyes, a comment when the indstilling is not followed)."""
    _ensure_reader(actor)
    with uow_factory() as uow:
        row = uow.session.get(Indstilling, indstilling_id)
        if row is None:
            raise NotFound("Indstillingen findes ikke")
        if row.status != IndstillingStatus.AFVENTER or row.task_id is None:
            raise Invalid("Udvalget har allerede truffet afgørelse", {"indstilling": ["Afgørelsen er registreret"]})
        task_id = row.task_id
    data: dict[str, Any] = {"kompetence_godkendt": approved}
    if comment.strip():
        data["kompetence_kommentar"] = comment.strip()
    return complete_task(uow_factory(), actor, task_id, data, now)
