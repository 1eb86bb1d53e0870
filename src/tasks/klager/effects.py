"""A klage's effect on the main case: a changed decision becomes a new bevilling, a hjemvisning re-opens it.

- genvurdering *medhold* (the municipality changes its afgørelse) and Ankestyrelsen *ændret*:
  the main case gets a new run of its process that starts at *Opret bevilling*;
- Ankestyrelsen *ophævet og hjemvist*: a new run that starts the Behandling again at the
  udredning, with a new sagsbehandlingsfrist counted from the day Ankestyrelsen's decision was
  received (the form's ``modtaget_dato``), not from the day it was registered;
- *stadfæstet*, *afvist*, *fastholdt*: nothing changes on the main case.

Why a new run and not a jump inside the old one: SpiffWorkflow cannot move a running instance to
an arbitrary task, and a decision's history should stay as it was.  The old run is ended (its open
tasks cancelled and journalled, its timers dropped) and kept in ``case_runs``; the case keeps its
id and reference, so the users' links stay valid.  All of it happens in the transaction of the
klage step that decided it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.calendar import local_date
from tasks.cases.model import Case, CaseRun
from tasks.cases.opening import version_in_force
from tasks.events import ActivityCompleted, CaseReopened
from tasks.frister import rules
from tasks.klager.model import Klage
from tasks.kvalitetsstandard.tables import standard_in_force
from tasks.pathways.declaration import day
from tasks.pathways.klage import ANKESTYRELSEN_RESULTAT, GENVURDERING, KLAGE
from tasks.pathways.sagsbehandling import SAGSBEHANDLING, sagsbehandlingsfrist_deadline, start_data
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.projection import apply_step, cancel_open_tasks

NEW_BEVILLING = "ny_bevilling"
HJEMVISNING = "hjemvisning"
REASON_DA = {NEW_BEVILLING: "ny bevilling efter klagen", HJEMVISNING: "hjemvist af Ankestyrelsen"}


def effect_of(bpmn_id: str, data: dict[str, Any]) -> str | None:
    """What a completed klage activity means for the main case, from the klage process's own data."""
    if bpmn_id == GENVURDERING and data.get("udfald") == "medhold":
        return NEW_BEVILLING
    if bpmn_id == ANKESTYRELSEN_RESULTAT:
        return {"aendret": NEW_BEVILLING, "ophaevet_hjemvist": HJEMVISNING}.get(str(data.get("resultat")))
    return None


def apply_klage_effect(event: ActivityCompleted, uow: UnitOfWork) -> None:
    if event.case.process_key != KLAGE.process_key:
        return
    effect = effect_of(event.bpmn_id, event.data)
    klage = uow.session.get(Klage, event.case.id) if effect is not None else None
    if effect is None or klage is None or klage.parent.process_key != SAGSBEHANDLING.process_key:
        return
    parent = klage.parent
    received_at = _hjemvisning_received(event) if effect == HJEMVISNING else parent.received_at
    _end_old_run(uow, parent, event.at, effect)
    _start_new_run(uow, parent, event.case, effect, received_at, event.at, event.actor)


def _hjemvisning_received(event: ActivityCompleted) -> datetime:
    """R1 after hjemvisning starts the day Ankestyrelsen's decision was received (not in the future)."""
    received = day(event.data, "modtaget_dato") or local_date(event.at)
    if received > local_date(event.at):
        raise Invalid(
            "Ankestyrelsens afgørelse kan ikke være modtaget i fremtiden",
            {"modtaget_dato": ["Må ikke ligge efter i dag"]},
        )
    return rules.sagsbehandlingsfrist_start_after_hjemvisning(received)


def _end_old_run(uow: UnitOfWork, case: Case, now: datetime, effect: str) -> None:
    old = uow.instances.get(case.instance_id, for_update=True)
    cancel_open_tasks(uow, case, old.id, now, f"sagen genoptages ({REASON_DA[effect]})")
    if old.status == "running":
        old.status = "cancelled"
        old.next_timer_at = None
    uow.cases.add_run(CaseRun(case_id=case.id, instance_id=old.id, ended_at=now, reason=effect, outcome=case.outcome))


def _start_new_run(
    uow: UnitOfWork, case: Case, klage: Case, effect: str, received_at: datetime, now: datetime, actor: str
) -> None:
    version = version_in_force(uow, case.process_key)
    standard = standard_in_force(uow)
    data: dict[str, Any] = {
        **uow.instances.data(uow.instances.get(case.instance_id)),
        "ydelse": case.ydelse,
        "received_at": received_at.isoformat(),
        "received_on": local_date(received_at).isoformat(),
        **start_data(case.ydelse, received_at, standard),
        "genoptagelse": effect,
        "klagesag": klage.reference,
    }
    started = uow.instances.start(version, data, now)
    case.start_new_run(started.instance.id)
    uow.session.flush()
    if effect == HJEMVISNING:
        uow.deadlines.add(sagsbehandlingsfrist_deadline(case.id, case.ydelse, received_at, standard, hjemvist=True))
    uow.publish(CaseReopened(case, now, actor, effect, REASON_DA[effect], klage))
    apply_step(uow, case, started.instance, started.step, now)
