"""Sagsbehandlingstider: how long decisions actually took per ydelse, against the published frist.

Municipalities publish their sagsbehandlingsfrister (Retssikkerhedsloven § 3, stk. 2) and report how
they keep them.  The source is the R1 frist of each case: it opens when the henvendelse is received
and closes when the afgørelse is made, so the time taken is ``closed_at - received_at``.
"""

from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from engine import calendar
from tasks.cases.model import Case
from tasks.frister import rules
from tasks.frister.model import Deadline
from tasks.kvalitetsstandard.tables import paragraph_order, standard_in_force
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork

REPORT_ROLES = {"leder", "administrator"}
CSV_HEADER = (
    "Ydelse",
    "Offentliggjort frist",
    "Frist (dage)",
    "Afgjorte sager",
    "Inden for fristen",
    "Andel inden for fristen (%)",
    "Median (dage)",
    "90 %-fraktil (dage)",
    "Længste (dage)",
)
R1 = "R1"


@dataclass(frozen=True)
class ProcessingTime:
    ydelse: str
    published_frist: str
    frist_days: int
    decided: int
    within_frist: int
    median_days: float
    p90_days: float
    longest_days: int

    @property
    def within_share(self) -> float:
        return self.within_frist / self.decided if self.decided else 0.0


def processing_times(uow: UnitOfWork, actor: Actor, first_day: date, last_day: date) -> list[ProcessingTime]:
    """Decisions made from ``first_day`` to ``last_day`` (local dates, both included), per ydelse."""
    if not actor.roles & REPORT_ROLES:
        raise Forbidden("Rapporten er for ledere")
    if last_day < first_day:
        raise Invalid("Perioden slutter før den begynder", {"til": ["Skal være samme dag som 'fra' eller senere"]})
    start, end = calendar.start_of_day(first_day), calendar.start_of_day(last_day, days_after=1)
    with uow.read_only():
        rows = uow.session.execute(
            select(Case.ydelse, Case.received_at, Deadline.due_at, Deadline.closed_at, Deadline.state, Deadline.rule)
            .join(Case, Case.id == Deadline.case_id)
            .where(Deadline.rule_id == R1, Deadline.closed_at >= start, Deadline.closed_at < end)
        ).all()
        standard = standard_in_force(uow)
    # Grouped by the frist the cases actually ran under: after a procesejer changes it, old and new cases are
    # two rows, each with its own period and days (never today's text beside yesterday's days).
    groups: dict[tuple[str, str], list[tuple[int, int, bool]]] = {}
    for ydelse, received_at, due_at, closed_at, state, rule in rows:
        taken = (calendar.local_date(closed_at) - calendar.local_date(received_at)).days
        frist = (calendar.local_date(due_at) - calendar.local_date(received_at)).days
        name = ydelse or "standard"
        period = rules.r1_period(rule) or standard.sagsbehandlingsfrist(ydelse).label_da()
        groups.setdefault((name, period), []).append((taken, frist, state == "met"))
    ordered = sorted(groups.items(), key=lambda item: (paragraph_order(item[0][0]), item[0][1]))
    return [_summary(ydelse, period, cases) for (ydelse, period), cases in ordered]


def as_csv(rows: list[ProcessingTime]) -> str:
    """Semicolon-separated with decimal commas: what Danish Excel opens without a wizard."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow(
            [
                neutralise(r.ydelse),
                neutralise(r.published_frist),
                r.frist_days,
                r.decided,
                r.within_frist,
                _dk(100 * r.within_share),
                _dk(r.median_days),
                _dk(r.p90_days),
                r.longest_days,
            ]
        )
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A text cell that a spreadsheet would read as a formula gets a leading ' (CSV injection)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _summary(ydelse: str, period: str, cases: list[tuple[int, int, bool]]) -> ProcessingTime:
    taken = sorted(t for t, _, _ in cases)
    frist_days = statistics.mode(f for _, f, _ in cases)
    p90 = taken[0] if len(taken) == 1 else statistics.quantiles(taken, n=10, method="inclusive")[-1]
    return ProcessingTime(
        ydelse=ydelse,
        published_frist=period,
        frist_days=frist_days,
        decided=len(cases),
        within_frist=sum(1 for _, _, met in cases if met),
        median_days=float(statistics.median(taken)),
        p90_days=float(p90),
        longest_days=taken[-1],
    )


def _dk(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")
