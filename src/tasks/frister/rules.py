"""Every frist rule Sagsflow computes, in one place, each with its legal source and its calendar.

The rules (ids from ../shared/legal-rules.md):
- R1 sagsbehandlingsfrist: from the day the henvendelse was received (after a hjemvisning: the
  day Ankestyrelsen's decision was received), the ydelse's period from the kvalitetsstandard;
  an authority's own frist, so not rolled; met when the afgørelse is made.
- R2 underretning: the diagram's non-interrupting timer fires ``forlaengelse_varsel_hverdage``
  hverdage before R1 and gives the sagsbehandler the task of telling the citizen in writing — but
  never in the first half of the frist: when the whole frist is shorter than twice the warning (a
  1-week § 83 frist, a 5-hverdage warning), the task comes halfway through it (in hverdage), not at
  intake when nothing is known yet.  The date the citizen is then promised is a frist of its own
  (R2, "forventet afgørelse"), met when the afgørelse is made.
- R3 partshøring svarfrist: the days the sagsbehandler gives, from the day the partshøring is sent,
  rolled forward past closed days (a citizen's frist; the diagram's timer uses the same rule).
- R4 klagefrist: 4 weeks (same weekday) from the day the citizen received the afgørelse, rolled
  forward past closed days (a citizen's frist).  Received: by Digital Post the day it is sent; by
  physical post (citizens exempt from Digital Post) the 6th hverdag after the letter's date
  (Justitsministeriets vejledning nr. 9533 af 26. juni 2018, applied by Ankestyrelsen).  The letter
  is dated at its first dispatch and prints the klagefrist computed from it.  A klage is in time when
  it arrives on or before the last day, Copenhagen time (the frist ends at the end of that day).
- R8/R12 orientering about a stay (§ 109 krisecenter, § 110 forsorgshjem): the 3rd hverdag after
  the stay began; judged when the municipality registers it.
- R9 orientering about leaving a krisecenter: the 3rd hverdag after the departure.
- Task frister (R3 partshøring svarfrist, R6 genvurdering, R10, R13, R14 opfølgning …): a user
  task's ``due`` expression and ``frist`` text in the diagram, evaluated by the engine with the
  same calendar functions (``deadline``, ``add_period``); met when the task is done by then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from engine import calendar
from engine.calendar import Period

RENUMBERED_109 = date(2024, 7, 1)  # L 104 (2023-24) renumbered the stykker of § 109


@dataclass(frozen=True)
class FristRule:
    rule_id: str
    law: str
    text: str

    def shown(self, **values: object) -> str:
        """The rule as a user sees it next to the frist."""
        return self.text.format(law=self.law, **values)


R1 = FristRule("R1", "Retssikkerhedsloven § 3, stk. 2", "{law}: sagsbehandlingsfrist {period} for {ydelse}")
R1_HJEMVIST = FristRule("R1", R1.law, "{law}: sagsbehandlingsfrist efter hjemvisning ({ydelse})")
R2 = FristRule(
    "R2", "Retssikkerhedsloven § 3, stk. 2", "{law}: afgørelse senest {day}, som borgeren har fået skriftligt oplyst"
)
R4 = FristRule("R4", "retssikkerhedsloven § 67", "Klagefrist: 4 uger fra borgeren modtog afgørelsen ({law})")
RECEIPT_SOURCE = "Justitsministeriets vejledning nr. 9533 af 26. juni 2018"
PHYSICAL_POST_WORKING_DAYS = 6  # a letter by ordinary post counts as received the 6th hverdag after its date
R8_BEFORE_2024 = FristRule("R8", "Serviceloven § 109, stk. 4", "{law}: orientering inden 3 hverdage efter optagelsen")
R8 = FristRule("R8", "Serviceloven § 109, stk. 5", "{law}: orientering inden 3 hverdage efter optagelsen")
R9_BEFORE_2024 = FristRule("R9", "Serviceloven § 109, stk. 5", "{law}: orientering om fraflytningen inden 3 hverdage")
R9 = FristRule("R9", "Serviceloven § 109, stk. 6", "{law}: orientering om fraflytningen inden 3 hverdage")
R12 = FristRule("R12", "Serviceloven § 110, stk. 6", "{law}: orientering inden 3 hverdage efter optagelsen")


def sagsbehandlingsfrist(received_at: datetime, period: Period) -> datetime:
    """R1: the end of the day ``period`` after the day of receipt; not rolled (the authority's own frist)."""
    due_day = calendar.DEFAULT_CALENDAR.add_period(calendar.local_date(received_at), period)
    return calendar.end_of_day(due_day)


def sagsbehandlingsfrist_start_after_hjemvisning(decision_received_on: date) -> datetime:
    """R1 after a hjemvisning counts from the day Ankestyrelsen's decision was received (not registered)."""
    return calendar.start_of_day(decision_received_on)


def underretning_varsel(received_at: datetime, r1_due: datetime, warn_working_days: int) -> datetime:
    """R2: when the sagsbehandler must start telling the citizen that the decision will be late.

    ``warn_working_days`` hverdage before R1, but not before the middle of the frist (in hverdage):
    a frist shorter than its warning does not make the task at intake."""
    warn = warning_time(r1_due, warn_working_days)
    received_day, due_day = calendar.local_date(received_at), calendar.local_date(r1_due)
    span = calendar.working_days_between(received_day, due_day)
    halfway = calendar.start_of_day(calendar.add_working_days(received_day, max(1, span // 2)))
    return max(warn, halfway)


def forventet_afgoerelse(day: date) -> datetime:
    """R2: the decision date the citizen was told in writing; a frist ending with that day."""
    return calendar.end_of_day(day)


def partshoering_svarfrist(sent_on: date, days: int) -> date:
    """R3: the citizen's svarfrist, ``days`` after the partshøring was sent, rolled past closed days."""
    return calendar.add_days(sent_on, days, roll=True)


def received_on(letter_date: date, *, physical_post: bool) -> date:
    """R4: the day a letter counts as received: Digital Post the same day, physical post the 6th hverdag after."""
    if physical_post:
        return calendar.add_working_days(letter_date, PHYSICAL_POST_WORKING_DAYS)
    return letter_date


def klagefrist(decision_received_on: date) -> datetime:
    """R4: 4 weeks (same weekday) from the day the decision was received, rolled past closed days."""
    return calendar.end_of_day(calendar.add_weeks(decision_received_on, 4, roll=True))


def letter_klagefrist(letter_date: date, *, physical_post: bool) -> tuple[date, date]:
    """R4 for a letter: the day it counts as received and the last day of its klagefrist."""
    receipt = received_on(letter_date, physical_post=physical_post)
    return receipt, calendar.local_date(klagefrist(receipt))


def in_time(at: datetime, due_at: datetime) -> bool:
    """Met by ``at``?  A frist ending at the end of a day is met all through that day, Copenhagen time
    (so a klage in the last second, or a fraction after 23:59:59, is in time); any other due time is a moment."""
    local_due = due_at.astimezone(calendar.COPENHAGEN)
    if (local_due.hour, local_due.minute, local_due.second) == (23, 59, 59):
        return calendar.local_date(at) <= local_due.date()
    return at <= due_at


def stay_orientering(process_key: str, stay_started_on: date) -> tuple[FristRule, datetime]:
    """R8 (§ 109) or R12 (§ 110): the 3rd hverdag after the stay began."""
    if process_key == "forsorgshjem":
        rule = R12
    else:
        rule = R8 if stay_started_on >= RENUMBERED_109 else R8_BEFORE_2024
    return rule, calendar.end_of_day(calendar.add_working_days(stay_started_on, 3))


def departure_orientering(departed_on: date) -> tuple[FristRule, datetime]:
    """R9: the 3rd hverdag after leaving the krisecenter."""
    rule = R9 if departed_on >= RENUMBERED_109 else R9_BEFORE_2024
    return rule, calendar.end_of_day(calendar.add_working_days(departed_on, 3))


def warning_time(due_at: datetime, warn_working_days: int) -> datetime:
    """The start of the day ``warn_working_days`` hverdage before the frist's day."""
    warn_day = _warning_day(calendar.local_date(due_at), warn_working_days)
    return datetime.combine(warn_day, time(0, 0), tzinfo=calendar.COPENHAGEN).astimezone(due_at.tzinfo)


@lru_cache(maxsize=4096)
def _warning_day(frist_day: date, warn_working_days: int) -> date:
    """Counted once per day and rule: an inbox page asks for each of its fifty tasks."""
    return calendar.add_working_days(frist_day, -warn_working_days)


def is_near(due_at: datetime, now: datetime, warn_working_days: int) -> bool:
    """True from the start of the day ``warn_working_days`` hverdage before the frist's day."""
    return now >= warning_time(due_at, warn_working_days)


def warning_horizon(now: datetime, warn_working_days: int) -> datetime:
    """Frister due before this are "near" now: the end of the day ``warn_working_days`` hverdage ahead."""
    last_day = calendar.add_working_days(calendar.local_date(now), warn_working_days)
    return calendar.start_of_day(last_day, days_after=1)


def r1_period(shown: str) -> str | None:
    """The period an R1 rule text names ('… sagsbehandlingsfrist 8 uger for SEL § 85' -> '8 uger')."""
    match = re.search(r"sagsbehandlingsfrist (\d+ \w+) for ", shown)
    return match.group(1) if match else None
