"""The monthly statistics delivery: persons and bevillinger per paragraph and month, from the bevillinger.

Municipalities report the specialised adult area per month and paragraph (§§ 82 b, 85, 95–98,
102–104, 107 and 108).  For each paragraph, målgruppe and month Sagsflow counts:

- persons: distinct citizens (by CPR number; an anonymous case counts as its own person) with a
  bevilling in force on at least one day of the month;
- bevillinger started: a bevilling whose first day is in the month, not counting one that replaces
  another (an ændring is the same help going on);
- bevillinger ended: a bevilling whose last day is in the month, not counting one that was replaced.

The målgruppe is the case's ``maalgruppe`` where the process's start form asks for it, else
``uoplyst``.  Every reported paragraph has a row, also with zeros, so a month's file is complete.
The scheduler produces last month's file once (``produce_due``); it is stored and downloadable.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from engine import calendar
from engine.db import Base
from tasks.bevillinger.model import Bevilling
from tasks.cases.model import Case
from tasks.kvalitetsstandard.tables import paragraph_order
from tasks.reports.processing_times import neutralise
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork

STATISTICS_ROLES = frozenset({"leder", "administrator"})
REPORTED = (
    (82, "b"),
    (85, ""),
    (95, ""),
    (96, ""),
    (97, ""),
    (98, ""),
    (102, ""),
    (103, ""),
    (104, ""),
    (107, ""),
    (108, ""),
)
UNKNOWN = "uoplyst"
CSV_HEADER = ("Måned", "Paragraf", "Målgruppe", "Personer", "Bevillinger startet", "Bevillinger ophørt")


class StatisticsDelivery(Base):
    """One month's statistics file, produced once by the scheduler."""

    __tablename__ = "statistics_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)  # ÅÅÅÅ-MM
    produced_at: Mapped[datetime]
    rows: Mapped[int] = mapped_column(Integer)
    csv: Mapped[str] = mapped_column(Text)


@dataclass(frozen=True)
class StatisticsRow:
    month: str
    paragraph: str
    maalgruppe: str
    persons: int
    started: int
    ended: int


@dataclass(frozen=True)
class DeliveryView:
    month: str
    produced_at: datetime
    rows: int


def monthly_statistics(uow: UnitOfWork, first_day: date) -> list[StatisticsRow]:
    """Within an open unit of work: the rows for the month that begins ``first_day``."""
    last_day = _month_end(first_day)
    month = first_day.strftime("%Y-%m")
    found = uow.session.execute(
        select(Bevilling, Case).join(Case, Case.id == Bevilling.case_id).where(Bevilling.start <= last_day)
    ).all()
    replaced = {b.replaced_by_id for b, _ in found if b.replaced_by_id is not None}
    persons: dict[tuple[str, str], set[str]] = defaultdict(set)
    started: dict[tuple[str, str], int] = defaultdict(int)
    ended: dict[tuple[str, str], int] = defaultdict(int)
    for bevilling, case in found:
        paragraph = reported_paragraph(bevilling.ydelse)
        if paragraph is None or (bevilling.slut is not None and bevilling.slut < first_day):
            continue
        key = (paragraph, str((case.details or {}).get("maalgruppe") or UNKNOWN))
        persons[key].add(_person(uow, case))
        if first_day <= bevilling.start and bevilling.id not in replaced:
            started[key] += 1
        if bevilling.slut is not None and bevilling.slut <= last_day and bevilling.replaced_by_id is None:
            ended[key] += 1
    keys = set(persons) | {(_label(p), UNKNOWN) for p in REPORTED}
    ordered = sorted(keys, key=lambda k: (paragraph_order(k[0]), k[1]))
    return [StatisticsRow(month, p, g, len(persons[(p, g)]), started[(p, g)], ended[(p, g)]) for p, g in ordered]


def reported_paragraph(ydelse: str) -> str | None:
    """'SEL § 85' -> 'SEL § 85' when it is a reported paragraph, else None."""
    _, law, number, letter = paragraph_order(ydelse)
    if law not in ("SEL", "") or (number, letter.lower()) not in REPORTED:
        return None
    return _label((number, letter.lower()))


def as_csv(rows: list[StatisticsRow]) -> str:
    """Semicolon-separated, one row per paragraph and målgruppe (Danish Excel opens it as it is)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(CSV_HEADER)
    for r in rows:
        writer.writerow([r.month, r.paragraph, neutralise(r.maalgruppe), r.persons, r.started, r.ended])
    return out.getvalue()


def produce_due(uow: UnitOfWork, now: datetime) -> str | None:
    """Last month's file, once: the month produced, or None when it exists already (safe in several schedulers)."""
    first_day = _previous_month(calendar.local_date(now))
    month = first_day.strftime("%Y-%m")
    with uow:
        if uow.session.scalar(select(StatisticsDelivery.id).where(StatisticsDelivery.month == month)) is not None:
            return None
        rows = monthly_statistics(uow, first_day)
        uow.session.add(StatisticsDelivery(month=month, produced_at=now, rows=len(rows), csv=as_csv(rows)))
        try:
            uow.commit()
        except IntegrityError:  # another scheduler produced it at the same moment
            return None
    return month


def list_deliveries(uow: UnitOfWork, actor: Actor) -> list[DeliveryView]:
    _ensure_may_read(actor)
    with uow:
        query = select(StatisticsDelivery).order_by(StatisticsDelivery.month.desc())
        return [DeliveryView(d.month, d.produced_at, d.rows) for d in uow.session.scalars(query)]


def delivery_csv(uow: UnitOfWork, actor: Actor, month: str) -> tuple[str, str]:
    """The stored file of ``month`` (ÅÅÅÅ-MM) and its file name."""
    _ensure_may_read(actor)
    try:
        datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise Invalid(f"Ugyldig måned '{month[:20]}'", {"month": ["Brug formatet ÅÅÅÅ-MM"]}) from None
    with uow:
        row = uow.session.scalar(select(StatisticsDelivery).where(StatisticsDelivery.month == month))
        if row is None:
            raise NotFound(f"Der er ingen statistik for {month}")
        return f"statistik_{month}.csv", row.csv


def _ensure_may_read(actor: Actor) -> None:
    if not actor.roles & STATISTICS_ROLES:
        raise Forbidden("Statistikken er for ledere og administratorer")


def _person(uow: UnitOfWork, case: Case) -> str:
    if case.citizen_cpr:
        return case.citizen_cpr.replace("-", "")
    if case.parent_case_id is not None and (parent := uow.cases.get(case.parent_case_id)) is not None:
        return _person(uow, parent)
    return f"sag:{case.id}"


def _label(paragraph: tuple[int, str]) -> str:
    number, letter = paragraph
    return f"SEL § {number}" + (f" {letter}" if letter else "")


def _month_end(first_day: date) -> date:
    return (first_day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
