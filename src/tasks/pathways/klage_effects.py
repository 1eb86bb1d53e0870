"""A klage's effect on the main case: a changed decision becomes a new bevilling, a hjemvisning re-opens it.

- genvurdering *medhold* (the municipality changes its afgørelse) and Ankestyrelsen *ændret*:
  the main case gets a new run of its process that starts at *Opret bevilling*;
- Ankestyrelsen *ophævet og hjemvist*: a new run that starts the Behandling again at the
  udredning, with a new sagsbehandlingsfrist counted from the day the hjemvisning is registered;
- *stadfæstet*, *afvist*, *fastholdt*: nothing changes on the main case.

Why a new run and not a jump inside the old one: SpiffWorkflow cannot move a running instance to
an arbitrary task, and a decision's history should stay as it was.  The old run is ended (its open
tasks cancelled and journalled, its timers dropped) and kept in ``details["tidligere_forloeb"]``;
the case keeps its id and reference, so the users' links stay valid.  All of it happens in the
transaction of the klage step that decided it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from engine.calendar import local_date
from engine.runtime import Step
from tasks.cases.model import Case
from tasks.frister import deadlines as frister
from tasks.frister.model import Deadline
from tasks.journal import journal
from tasks.kvalitetsstandard.tables import current_tables
from tasks.service.actors import SYSTEM
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask, set_task_status

NEW_BEVILLING = "ny_bevilling"
HJEMVISNING = "hjemvisning"
REASON_DA = {NEW_BEVILLING: "ny bevilling efter klagen", HJEMVISNING: "hjemvist af Ankestyrelsen"}


def effect_of(step: Step) -> str | None:
    """What a klage step means for the main case, from the klage process's own data."""
    if "genvurdering" in step.completed and step.data.get("udfald") == "medhold":
        return NEW_BEVILLING
    if "ankestyrelsen_resultat" in step.completed:
        return {"aendret": NEW_BEVILLING, "ophaevet_hjemvist": HJEMVISNING}.get(step.data.get("resultat"))
    return None


def apply_klage_effect(uow: UnitOfWork, klage: Case, step: Step, now: datetime, actor: str) -> None:
    effect = effect_of(step)
    parent_id = (klage.details or {}).get("parent_case_id")
    if effect is None or parent_id is None:
        return
    parent = uow.session.get(Case, parent_id)
    if parent is None or parent.process_key != "sagsbehandling":
        return
    _end_old_run(uow, parent, now, effect)
    _start_new_run(uow, parent, klage, effect, now, actor)


def _end_old_run(uow: UnitOfWork, case: Case, now: datetime, effect: str) -> None:
    old = uow.instances.get(case.instance_id, for_update=True)
    version = old.version.version
    rows = uow.session.scalars(select(HumanTask).where(HumanTask.instance_id == old.id, HumanTask.active.is_(True)))
    for row in rows:
        row.completed_at = now
        set_task_status(row, "cancelled")
        frister.close_task_deadline(uow.session, row, now)
        journal.record(
            uow.session,
            case,
            actor=SYSTEM,
            action="task_cancelled",
            at=now,
            process_version=version,
            task=row,
            message=f"Opgaven '{row.name}' blev annulleret: sagen genoptages ({REASON_DA[effect]})",
        )
    if old.status == "running":
        old.status = "cancelled"
        old.next_timer_at = None
    history = list((case.details or {}).get("tidligere_forloeb", []))
    history.append({"instance_id": old.id, "ended_at": now.isoformat(), "reason": effect, "outcome": case.outcome})
    case.details = {**(case.details or {}), "tidligere_forloeb": history}


def _start_new_run(uow: UnitOfWork, case: Case, klage: Case, effect: str, now: datetime, actor: str) -> None:
    from tasks.work.projection import project  # the projection calls us; import here to keep the cycle out

    version = uow.definitions.latest(case.process_key)
    received_at = now if effect == HJEMVISNING else case.received_at
    standard = uow.standard.with_tables(current_tables(uow))
    data: dict[str, Any] = {
        **uow.instances.data(uow.instances.get(case.instance_id)),
        "ydelse": case.ydelse,
        "received_at": received_at.isoformat(),
        "received_on": local_date(received_at).isoformat(),
        **frister.case_start_data(case.process_key, case.ydelse, received_at, standard),
        "genoptagelse": effect,
        "klagesag": klage.reference,
    }
    started = uow.instances.start(version, data, now)
    case.instance_id = started.instance.id
    case.status, case.closed_at, case.outcome = "open", None, None
    uow.session.flush()
    if effect == HJEMVISNING:
        due, _ = frister.r1_times(case.ydelse, received_at, standard)
        uow.session.add(
            Deadline(
                case_id=case.id,
                rule_id="R1",
                rule=f"{frister.LAW_R1}: sagsbehandlingsfrist efter hjemvisning ({case.ydelse or 'ydelsen'})",
                due_at=due,
                state="open",
                closes_on=frister.R1_CLOSED_BY,
            )
        )
    journal.record(
        uow.session,
        case,
        actor=actor,
        action="case_reopened",
        at=now,
        process_version=version.version,
        message=f"Sagen er genoptaget: {REASON_DA[effect]} (klagesag {klage.reference})",
        details={"effect": effect, "klage_case_id": klage.id},
    )
    journal.record(
        uow.session,
        klage,
        actor=actor,
        action="parent_reopened",
        at=now,
        process_version=version.version,
        message=f"Hovedsagen {case.reference} er genoptaget: {REASON_DA[effect]}",
    )
    project(uow, case, started.instance, started.step, now, actor=actor)
