"""Order from a leverandør, expect its status before each opfølgning, record the status."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from engine import calendar
from engine.calendar import Period
from tasks.access.policy import visible_case
from tasks.bestillinger.model import Bestilling, BestillingStatus
from tasks.cases.model import Case
from tasks.catalogue.entries import DEFAULT_STATUS_LEAD
from tasks.events import OperationCalled, TaskOpened
from tasks.frister.model import Deadline
from tasks.kvalitetsstandard.tables import catalogue_in_force
from tasks.service.actors import Actor
from tasks.service.danish import long_date
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork

OPFOELGNING = "opfoelgning"
ORDERERS = frozenset({"sagsbehandler"})
STATUS_RULE = "leverandoerstatus"


@dataclass(frozen=True)
class NewBestilling:
    indsats: str
    formaal: str
    maal: str
    leverandoer: str | None = None  # default: the bevilling's
    start: date | None = None  # default: the bevilling's start


@dataclass(frozen=True)
class StatusView:
    opfoelgning_on: date
    due_on: date
    received_on: date | None
    tekst: str | None


@dataclass(frozen=True)
class BestillingView:
    id: int
    ydelse: str
    leverandoer_id: str
    leverandoer: str
    indsats: str
    formaal: str
    maal: str
    omfang: str
    start: date
    created_at: datetime
    statusser: list[StatusView] = field(default_factory=list)


def _view(uow: UnitOfWork, row: Bestilling) -> BestillingView:
    statuses = uow.session.scalars(
        select(BestillingStatus).where(BestillingStatus.bestilling_id == row.id).order_by(BestillingStatus.id)
    )
    return BestillingView(
        row.id,
        row.ydelse,
        row.leverandoer_id,
        row.leverandoer_navn,
        row.indsats,
        row.formaal,
        row.maal,
        row.omfang,
        row.start,
        row.created_at,
        [StatusView(s.opfoelgning_on, s.due_on, s.received_on, s.tekst) for s in statuses],
    )


def _text(value: str, name: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid("Bestillingen er ikke udfyldt", {name: ["Feltet skal udfyldes"]})
    if len(text) > limit:
        raise Invalid("Bestillingen er ikke udfyldt korrekt", {name: [f"Højst {limit} tegn"]})
    return text


def create_bestilling(uow: UnitOfWork, actor: Actor, case_id: int, new: NewBestilling, now: datetime) -> BestillingView:
    """A bestilling for the case's active bevilling: its ydelse and extent; a leverandør from the register."""
    if not actor.roles & ORDERERS:
        raise Forbidden("Kun sagsbehandlere kan bestille hos en leverandør")
    with uow:
        case = visible_case(uow, actor, case_id)
        bevilling = uow.bevillinger.active(case.id)
        if bevilling is None:
            raise Invalid(
                "Sagen har ingen aktiv bevilling at bestille ud fra", {"case_id": ["Opret bevillingen først"]}
            )
        catalogue = catalogue_in_force(uow)
        wanted = new.leverandoer or bevilling.leverandoer
        found = catalogue.leverandoerer.find(wanted) if catalogue.leverandoerer is not None else None
        if catalogue.leverandoerer is not None and (found is None or bevilling.ydelse not in found.ydelser):
            names = ", ".join(lev.navn for lev in catalogue.leverandoerer.for_ydelse(bevilling.ydelse)) or "ingen"
            raise Invalid(
                f"Leverandøren '{wanted}' leverer ikke {bevilling.ydelse} efter leverandørregistret",
                {"leverandoer": [f"Vælg en leverandør, der leverer {bevilling.ydelse}: {names}"]},
            )
        row = Bestilling(
            case_id=case.id,
            bevilling_id=bevilling.id,
            leverandoer_id=found.id if found else "",
            leverandoer_navn=found.navn if found else wanted,
            ydelse=bevilling.ydelse,
            indsats=_text(new.indsats, "indsats", 500),
            formaal=_text(new.formaal, "formaal", 5000),
            maal=_text(new.maal, "maal", 5000),
            omfang=bevilling.omfang_i_ord,
            start=new.start or bevilling.start,
            created_at=now,
            created_by=actor.username,
        )
        uow.session.add(row)
        uow.session.flush()
        _journal(uow, case, row, actor.username, now)
        for task in uow.tasks.open_for_case(case.id):
            if task.bpmn_id == OPFOELGNING and task.due_at is not None:
                _expect_status(uow, case, row, calendar.local_date(task.due_at))
        view = _view(uow, row)
        uow.commit()
    return view


def _journal(uow: UnitOfWork, case: Case, row: Bestilling, actor: str, at: datetime) -> None:
    uow.journal.record(
        case,
        actor=actor,
        action="bestilling_created",
        at=at,
        message=f"Bestilling oprettet: {row.ydelse} hos {row.leverandoer_navn}"
        + (f" – {row.indsats}" if row.indsats else ""),
        details={"bestilling_id": row.id, "leverandoer": row.leverandoer_id},
    )


def _before(day: date) -> date:
    """A closed day moves back to the hverdag before (the status must be there before the opfølgning)."""
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _expect_status(uow: UnitOfWork, case: Case, row: Bestilling, opfoelgning_on: date) -> None:
    ydelse = catalogue_in_force(uow).ydelse(row.ydelse)
    lead = ydelse.status_lead if ydelse is not None else DEFAULT_STATUS_LEAD
    due_on = _before(calendar.DEFAULT_CALENDAR.add_period(opfoelgning_on, Period(-lead.value, lead.unit)))
    deadline = uow.deadlines.add(
        Deadline(
            case=case,
            rule_id=STATUS_RULE,
            rule=f"Kvalitetsstandard: status fra {row.leverandoer_navn} før opfølgningen {long_date(opfoelgning_on)}",
            due_at=calendar.end_of_day(due_on),
        )
    )
    uow.session.flush()
    uow.session.add(
        BestillingStatus(bestilling_id=row.id, deadline_id=deadline.id, opfoelgning_on=opfoelgning_on, due_on=due_on)
    )


def expect_statuses(event: TaskOpened, uow: UnitOfWork) -> None:
    """Each new opfølgning expects a status from every leverandør the case has ordered from."""
    if event.task.bpmn_id != OPFOELGNING or event.task.due_at is None:
        return
    day = calendar.local_date(event.task.due_at)
    query = select(Bestilling).where(Bestilling.case_id == event.case.id)
    if any(isinstance(row, Bestilling) for row in uow.session.new):
        rows = list(uow.session.scalars(query))
    else:  # a bestilling's case never changes: nothing unflushed can change the answer, so flush nothing
        with uow.session.no_autoflush:
            rows = list(uow.session.scalars(query))
    for row in rows:
        _expect_status(uow, event.case, row, day)


def record_status(
    uow: UnitOfWork, actor: Actor, case_id: int, bestilling_id: int, received_on: date, text: str, now: datetime
) -> BestillingView:
    """The leverandør's status arrived: recorded on the oldest expected one, its frist met or late."""
    if not actor.roles & ORDERERS:
        raise Forbidden("Kun sagsbehandlere kan registrere leverandørens status")
    if received_on > calendar.local_date(now):
        raise Invalid("Datoen ligger i fremtiden", {"received_on": ["Må ikke ligge i fremtiden"]})
    with uow:
        case = visible_case(uow, actor, case_id)
        row = uow.session.get(Bestilling, bestilling_id)
        if row is None or row.case_id != case.id:
            raise NotFound("Bestillingen findes ikke")
        waiting = uow.session.scalars(
            select(BestillingStatus)
            .where(BestillingStatus.bestilling_id == row.id, BestillingStatus.received_on.is_(None))
            .order_by(BestillingStatus.opfoelgning_on)
        ).first()
        if waiting is None:
            raise Invalid("Der ventes ingen status fra leverandøren", {"bestilling_id": ["Ingen opfølgning venter"]})
        waiting.receive(received_on, _text(text, "tekst", 10_000), actor.username, now)
        deadline = uow.session.get(Deadline, waiting.deadline_id) if waiting.deadline_id else None
        if deadline is not None and deadline.is_open:
            deadline.close(now, in_time=received_on <= waiting.due_on)
        uow.journal.record(
            case,
            actor=actor.username,
            action="leverandoerstatus",
            at=now,
            message=f"Status fra {row.leverandoer_navn} modtaget {long_date(received_on)} før opfølgningen "
            f"{long_date(waiting.opfoelgning_on)}",
        )
        view = _view(uow, row)
        uow.commit()
    return view


@dataclass(frozen=True)
class OrderChoices:
    """What a bestilling can be made from: the active bevilling and the register's leverandører of its ydelse."""

    ydelse: str
    omfang: str
    leverandoer: str  # the bevilling's
    start: date
    leverandoerer: list[tuple[str, str]]  # (id, navn)


def case_bestillinger(uow: UnitOfWork, case_id: int) -> list[BestillingView]:
    """Within an open unit of work, for a case already checked visible: its bestillinger with statuses."""
    rows = uow.session.scalars(select(Bestilling).where(Bestilling.case_id == case_id).order_by(Bestilling.id))
    return [_view(uow, row) for row in rows]


def order_choices(uow: UnitOfWork, case_id: int) -> OrderChoices | None:
    """Within an open unit of work: None when the case has no active bevilling to order from."""
    bevilling = uow.bevillinger.active(case_id)
    if bevilling is None:
        return None
    register = catalogue_in_force(uow).leverandoerer
    found = register.for_ydelse(bevilling.ydelse) if register is not None else []
    return OrderChoices(
        bevilling.ydelse,
        bevilling.omfang_i_ord,
        bevilling.leverandoer,
        bevilling.start,
        [(lev.id, lev.navn) for lev in found],
    )


def bestillinger(uow: UnitOfWork, actor: Actor, case_id: int) -> list[BestillingView]:
    with uow:
        return case_bestillinger(uow, visible_case(uow, actor, case_id).id)


def from_operation(event: OperationCalled, uow: UnitOfWork) -> None:
    """A diagram's service task ``opret_bestilling``: a real bestilling row (a leverandør outside the register
    is kept by name)."""
    result: dict[str, Any] = event.result
    register = catalogue_in_force(uow).leverandoerer
    found = register.find(str(result["leverandoer"])) if register is not None else None
    bevilling = uow.bevillinger.active(event.case.id)
    row = Bestilling(
        case_id=event.case.id,
        bevilling_id=bevilling.id if bevilling is not None else None,
        leverandoer_id=found.id if found else "",
        leverandoer_navn=found.navn if found else str(result["leverandoer"]),
        ydelse=str(result["ydelse"])[:40],
        indsats=str(result.get("beskrivelse") or result["ydelse"])[:500],
        formaal=str(result.get("formaal") or ""),
        maal=str(result.get("maal") or ""),
        omfang=bevilling.omfang_i_ord if bevilling is not None else "",
        start=bevilling.start if bevilling is not None else calendar.local_date(event.at),
        created_at=event.at,
        created_by=event.actor,
    )
    uow.session.add(row)
    uow.session.flush()
    what = f"{result['ydelse']} hos {row.leverandoer_navn}"
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="bestilling_created",
        at=event.at,
        message=f"Bestilling oprettet: {what}" + (f" – {result['beskrivelse']}" if result.get("beskrivelse") else ""),
        details={"operation": event.operation, "element": event.bpmn_id, "bestilling_id": row.id, **result},
    )
