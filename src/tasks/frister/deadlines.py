"""Frister: the deadlines of a case and its tasks, how they start, close and show their state.

Rules (../shared/legal-rules.md):
- R1 sagsbehandlingsfrist: from ``received_at``, the ydelse's period from the kvalitetsstandard,
  not rolled (an authority's own frist); met when the Behandling subprocess ends (afgørelse truffet).
- R2: a non-interrupting timer fires ``forlaengelse_varsel_hverdage`` before R1 and gives the
  sagsbehandler the task to tell the citizen in writing when a decision can be expected.
- Task frister (e.g. R3 partshøring svarfrist): a user task's ``due`` and ``frist`` properties in
  the diagram; met when the task is completed (or its timer moved the case on) by the due time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from engine import calendar
from tasks.cases.model import Case
from tasks.frister.model import Deadline
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.work.model import HumanTask

R1_CLOSED_BY = "behandling"
LAW_R1 = "Retssikkerhedsloven § 3, stk. 2"


@dataclass(frozen=True)
class DeadlineView:
    rule_id: str
    rule: str
    due: datetime
    state: str
    near: bool
    closed_at: datetime | None
    task_id: int | None


def case_start_data(process_key: str, ydelse: str | None, received_at: datetime, standard: Kvalitetsstandard) -> dict:
    """Process data the diagram's timers read: R1 due and the R2 warning time (ISO with offset)."""
    if process_key != "sagsbehandling":
        return {}
    due, warn = r1_times(ydelse, received_at, standard)
    cadence = standard.cadence(ydelse)
    return {
        "sagsbehandlingsfrist": due.isoformat(),
        "sagsbehandlingsfrist_varsel": warn.isoformat(),
        "opfoelgning_foerste": cadence.first.label_da(),
        "opfoelgning_interval": cadence.then.label_da(),
        "genoptagelse": "",  # "hjemvisning" or "ny_bevilling" when a klage re-opens the case
    }


STAY_RULES = {
    # process: (rule id, rule text before 1 July 2024, rule text from then) — L 104 renumbered § 109
    "krisecenter": (
        "R8",
        "Serviceloven § 109, stk. 4: orientering inden 3 hverdage efter optagelsen",
        "Serviceloven § 109, stk. 5: orientering inden 3 hverdage efter optagelsen",
    ),
    "forsorgshjem": (
        "R12",
        "Serviceloven § 110, stk. 6: orientering inden 3 hverdage efter optagelsen",
        "Serviceloven § 110, stk. 6: orientering inden 3 hverdage efter optagelsen",
    ),
}
RENUMBERED_109 = date(2024, 7, 1)


def klagefrist(decision_received_on: date) -> datetime:
    """R4: 4 weeks (same weekday) from the day the decision was received, rolled past closed days."""
    return calendar.end_of_day(calendar.add_weeks(decision_received_on, 4, roll=True))


def open_case_deadlines(session: Session, case: Case, standard: Kvalitetsstandard) -> None:
    if case.process_key == "klage" and case.details.get("klagefrist"):
        _klagefrist(session, case)
        return
    if case.process_key in STAY_RULES and case.details.get("stay_started_on"):
        _stay_orientering(session, case)
        return
    if case.process_key != "sagsbehandling":
        return
    period = standard.sagsbehandlingsfrist(case.ydelse)
    due, _ = r1_times(case.ydelse, case.received_at, standard)
    ydelse = case.ydelse or "ydelsen"
    session.add(
        Deadline(
            case=case,
            rule_id="R1",
            rule=f"{LAW_R1}: sagsbehandlingsfrist {period.label_da()} for {ydelse}",
            due_at=due,
            state="open",
            closes_on=R1_CLOSED_BY,
        )
    )


def _klagefrist(session: Session, case: Case) -> None:
    """R4: judged when the klage is registered; a late klage is flagged, not refused."""
    due = datetime.fromisoformat(case.details["klagefrist"])
    deadline = Deadline(
        case=case,
        rule_id="R4",
        due_at=due,
        state="open",
        rule="Klagefrist: 4 uger fra borgeren modtog afgørelsen (retssikkerhedsloven § 67)",
    )
    session.add(deadline)
    _close(deadline, case.received_at, in_time=case.received_at <= due)


def _stay_orientering(session: Session, case: Case) -> None:
    """The orientering is the registration itself: its frist closes at once, met or late."""
    started = date.fromisoformat(case.details["stay_started_on"])
    rule_id, old_text, new_text = STAY_RULES[case.process_key]
    due = calendar.end_of_day(calendar.add_working_days(started, 3))
    deadline = Deadline(
        case=case, rule_id=rule_id, rule=new_text if started >= RENUMBERED_109 else old_text, due_at=due, state="open"
    )
    session.add(deadline)
    _close(deadline, case.received_at, in_time=case.received_at <= due)


DEPARTURE_RULE = (
    "R9",
    "Serviceloven § 109, stk. 5: orientering om fraflytningen inden 3 hverdage",
    "Serviceloven § 109, stk. 6: orientering om fraflytningen inden 3 hverdage",
)


def record_departure(
    session: Session, case: Case, completed: frozenset[str], data: dict[str, Any], now: datetime
) -> None:
    """R9: registering the departure from a krisecenter is the orientering; met or late at once."""
    if case.process_key != "krisecenter" or "fraflytning" not in completed or not data.get("fraflyttet_dato"):
        return
    departed = date.fromisoformat(str(data["fraflyttet_dato"]))
    rule_id, old_text, new_text = DEPARTURE_RULE
    due = calendar.end_of_day(calendar.add_working_days(departed, 3))
    deadline = Deadline(
        case=case, rule_id=rule_id, rule=new_text if departed >= RENUMBERED_109 else old_text, due_at=due, state="open"
    )
    session.add(deadline)
    _close(deadline, now, in_time=now <= due)


def open_task_deadline(session: Session, case: Case, task: HumanTask, rule: str | None) -> None:
    if task.due_at is None:
        return
    session.add(
        Deadline(
            case=case,
            task=task,
            rule_id=f"task:{task.bpmn_id}",
            rule=rule or f"Frist for {task.name}",
            due_at=task.due_at,
            state="open",
        )
    )


def close_task_deadline(session: Session, task: HumanTask, now: datetime) -> None:
    if task.due_at is None:
        return  # no frist, no deadline row
    for deadline in session.scalars(select(Deadline).where(Deadline.task_id == task.id, Deadline.closed_at.is_(None))):
        _close(deadline, now, in_time=task.status == "cancelled" or now <= deadline.due_at)


def close_case_deadlines(session: Session, case: Case, completed: frozenset[str], now: datetime) -> None:
    """Close the case's frister whose closing activity completed in this command."""
    if R1_CLOSED_BY not in completed:
        return
    query = select(Deadline).where(
        Deadline.case_id == case.id, Deadline.closed_at.is_(None), Deadline.closes_on.in_(sorted(completed))
    )
    for deadline in session.scalars(query):
        _close(deadline, now, in_time=now <= deadline.due_at)


CLOSED_SHOWN = 20


def deadline_views(session: Session, case_id: int, now: datetime, standard: Kvalitetsstandard) -> list[DeadlineView]:
    """Every open frist of the case and the most recently closed ones (a § 108 case closes hundreds)."""
    base = select(Deadline).where(Deadline.case_id == case_id)
    # selectinload, not joinedload: a LEFT JOIN onto (human_tasks JOIN cases) makes SQLite scan every task.
    open_rows = session.scalars(base.where(Deadline.closed_at.is_(None)).options(selectinload(Deadline.task))).all()
    closed_rows = session.scalars(
        base.where(Deadline.closed_at.is_not(None))
        .order_by(Deadline.closed_at.desc(), Deadline.id.desc())
        .limit(CLOSED_SHOWN)
    ).all()
    rows = sorted([*open_rows, *closed_rows], key=lambda d: (d.due_at, d.id))
    return [view(d, now, standard) for d in rows]


def view(deadline: Deadline, now: datetime, standard: Kvalitetsstandard) -> DeadlineView:
    state = effective_state(deadline.state, deadline.closed_at, deadline.due_at, now)
    near = False
    if state == "open":
        role = deadline.task.role if deadline.task is not None else "sagsbehandler"
        bpmn_id = deadline.task.bpmn_id if deadline.task is not None else None
        near = is_near(deadline.due_at, now, standard.escalation_for(role, bpmn_id).warn_working_days)
    return DeadlineView(
        deadline.rule_id, deadline.rule, deadline.due_at, state, near, deadline.closed_at, deadline.task_id
    )


def effective_state(stored: str, closed_at: datetime | None, due_at: datetime, now: datetime) -> str:
    if closed_at is not None:
        return stored
    return "overdue" if now > due_at else "open"


def is_near(due_at: datetime, now: datetime, warn_working_days: int) -> bool:
    """True from the start of the day ``warn_working_days`` hverdage before the frist's day."""
    return now >= warning_time(due_at, warn_working_days)


def warning_time(due_at: datetime, warn_working_days: int) -> datetime:
    warn_day = calendar.add_working_days(calendar.local_date(due_at), -warn_working_days)
    return datetime.combine(warn_day, time(0, 0), tzinfo=calendar.COPENHAGEN).astimezone(due_at.tzinfo)


def warning_horizon(now: datetime, warn_working_days: int) -> datetime:
    """Frister due before this are "near" now: the end of the day ``warn_working_days`` hverdage ahead."""
    last_day = calendar.add_working_days(calendar.local_date(now), warn_working_days)
    return calendar.start_of_day(last_day, days_after=1)


def r1_times(ydelse: str | None, received_at: datetime, standard: Kvalitetsstandard) -> tuple[datetime, datetime]:
    period = standard.sagsbehandlingsfrist(ydelse)
    due_day = calendar.DEFAULT_CALENDAR.add_period(calendar.local_date(received_at), period)
    due = calendar.end_of_day(due_day)
    return due, warning_time(due, standard.extension_warning_working_days)


def _close(deadline: Deadline, now: datetime, *, in_time: bool) -> None:
    deadline.closed_at = now
    deadline.state = "met" if in_time else "late"


__all__ = ["DeadlineView", "Any"]
