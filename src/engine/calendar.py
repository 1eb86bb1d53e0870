"""Danish working days and deadline arithmetic, the way the law counts.

- Public holidays come from the maintained ``holidays`` library (Store Bededag only up to 2023).
- Grundlovsdag, 24 and 31 December are closing days, not holidays: a municipal setting, default closed.
- "n hverdage after X" is the n-th working day after X; X itself is not counted.
- Weeks end on the same weekday, months on the same day of the month, clamped to the month's end.
- Rolling forward (a frist ending on a closed day moves to the next working day) is asked for per rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from holidays.countries.denmark import Denmark  # at import: the registry's lazy load costs a first frist ~60 ms

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


@lru_cache(maxsize=256)
def _public_holidays(year: int) -> dict[date, str]:
    return dict(Denmark(years=year, categories=("public",), language="da"))


@dataclass(frozen=True)
class CalendarSettings:
    grundlovsdag_closed: bool = True
    christmas_eve_closed: bool = True
    new_years_eve_closed: bool = True
    extra_closed_dates: frozenset[date] = field(default_factory=frozenset)


class WorkingDayCalendar:
    """C-hverdag (working days) and C-kalender (calendar days/weeks/months) for one municipality's settings."""

    def __init__(self, settings: CalendarSettings | None = None) -> None:
        self.settings = settings or CalendarSettings()
        self._open: dict[date, bool] = {}  # settings are frozen, so the answer per date never changes

    def closed_reason(self, d: date) -> str | None:
        """Why ``d`` is not a working day (Danish), or None if it is one.

        A holiday's own name wins over the weekday (Påskedag, not "søndag"): it is what a user is shown.
        """
        if name := _public_holidays(d.year).get(d):
            return name
        if d.weekday() == 5:
            return "lørdag"
        if d.weekday() == 6:
            return "søndag"
        s = self.settings
        if s.grundlovsdag_closed and (d.month, d.day) == (6, 5):
            return "Grundlovsdag"
        if s.christmas_eve_closed and (d.month, d.day) == (12, 24):
            return "Juleaftensdag"
        if s.new_years_eve_closed and (d.month, d.day) == (12, 31):
            return "Nytårsaftensdag"
        if d in s.extra_closed_dates:
            return "Lukkedag"
        return None

    def is_working_day(self, d: date) -> bool:
        open_ = self._open.get(d)
        if open_ is None:
            open_ = self._open[d] = self.closed_reason(d) is None
        return open_

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (before it, for negative n); n=0 returns start.

        ``start`` is the triggering event's day and is never counted, whether or not it is a working
        day: "inden 3 hverdage" after a Wednesday admission means Thursday, Friday, Monday.
        """
        step = 1 if n >= 0 else -1
        current, remaining = start, abs(n)
        while remaining:
            current += timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, else the next one (a frist may not end on a closed day)."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    next_working_day = roll_forward

    def add_days(self, start: date, n: int, *, roll: bool = False) -> date:
        return self._rolled(start + timedelta(days=n), roll)

    def add_weeks(self, start: date, n: int, *, roll: bool = False) -> date:
        return self._rolled(start + timedelta(weeks=n), roll)

    def add_months(self, start: date, n: int, *, roll: bool = False) -> date:
        """Same day of the month, clamped: 31 January + 1 month is the last day of February.

        Clamping (not overflowing into March) is how the law counts months (restaurationsloven § 36a).
        """
        month_index = start.year * 12 + start.month - 1 + n
        year, month = divmod(month_index, 12)
        month += 1
        next_month = date(year + (month == 12), month % 12 + 1, 1)
        last_day = (next_month - timedelta(days=1)).day
        return self._rolled(date(year, month, min(start.day, last_day)), roll)

    def add_period(self, start: date, period: Period, roll: bool = False) -> date:
        if period.unit == "working_days":
            return self._rolled(self.add_working_days(start, period.value), roll)
        adder = {"days": self.add_days, "weeks": self.add_weeks, "months": self.add_months}[period.unit]
        return adder(start, period.value, roll=roll)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b (negative when b is before a)."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + timedelta(days=i)))

    def _rolled(self, d: date, roll: bool) -> date:
        return self.roll_forward(d) if roll else d


_UNITS = {
    word: unit
    for unit, words in {
        "days": "dag dage day days",
        "working_days": "hverdag hverdage arbejdsdag arbejdsdage working_day working_days",
        "weeks": "uge uger week weeks",
        "months": "måned måneder maaned maaneder month months",
    }.items()
    for word in words.split()
}
_LABELS_DA = {
    "days": ("dag", "dage"),
    "working_days": ("hverdag", "hverdage"),
    "weeks": ("uge", "uger"),
    "months": ("måned", "måneder"),
}


@dataclass(frozen=True)
class Period:
    """A frist length: value and unit, never a bare day count (units mean different calendars)."""

    value: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in _LABELS_DA:
            raise ValueError(f"unknown period unit: {self.unit!r}")

    @classmethod
    def parse(cls, text: str) -> Period:
        match = re.fullmatch(r"\s*(-?\d+)\s+([\wæøå_]+)\s*", text.lower())
        if not match or match.group(2) not in _UNITS:
            raise ValueError(f"cannot read period {text!r}: expected e.g. '3 hverdage', '8 uger', '2 måneder'")
        return cls(int(match.group(1)), _UNITS[match.group(2)])

    def label_da(self) -> str:
        singular, plural = _LABELS_DA[self.unit]
        return f"{self.value} {singular if abs(self.value) == 1 else plural}"


DEFAULT_CALENDAR = WorkingDayCalendar()


def add_working_days(start: date, n: int) -> date:
    """The n-th hverdag after ``start`` (start not counted), with the default municipal settings."""
    return DEFAULT_CALENDAR.add_working_days(start, n)


def is_working_day(d: date) -> bool:
    return DEFAULT_CALENDAR.is_working_day(d)


def roll_forward(d: date) -> date:
    return DEFAULT_CALENDAR.roll_forward(d)


def add_days(start: date, n: int, *, roll: bool = False) -> date:
    return DEFAULT_CALENDAR.add_days(start, n, roll=roll)


def add_weeks(start: date, n: int, *, roll: bool = False) -> date:
    return DEFAULT_CALENDAR.add_weeks(start, n, roll=roll)


def add_months(start: date, n: int, *, roll: bool = False) -> date:
    return DEFAULT_CALENDAR.add_months(start, n, roll=roll)


def working_days_between(a: date, b: date) -> int:
    return DEFAULT_CALENDAR.working_days_between(a, b)


def end_of_day(d: date, tz: ZoneInfo = COPENHAGEN) -> datetime:
    """23:59:59 local time on ``d``, as an aware UTC datetime (a frist ends at the end of its day)."""
    return datetime.combine(d, time(23, 59, 59), tzinfo=tz).astimezone(UTC)


def start_of_day(d: date, tz: ZoneInfo = COPENHAGEN, *, days_after: int = 0) -> datetime:
    """Local midnight of ``d`` (or ``days_after`` days later), as an aware datetime."""
    return datetime.combine(d + timedelta(days=days_after), time(0, 0), tzinfo=tz).astimezone(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(COPENHAGEN).date()


def to_date(value: object) -> date:
    """A date from a date, a datetime or an ISO string.  A time without an offset is Copenhagen time (what a
    procesejer or a form means by "2026-11-23T23:30"), never UTC."""
    if isinstance(value, datetime):
        return local_date(value if value.tzinfo else value.replace(tzinfo=COPENHAGEN))
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return date.fromisoformat(value)
            return to_date(datetime.fromisoformat(value))
        except ValueError:
            pass
    raise ValueError(f"not a date: {value!r}")


def deadline_date(
    start: object,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    working_days: int = 0,
    roll_forward: bool = False,
    calendar: WorkingDayCalendar | None = None,
) -> date:
    """``start`` plus exactly one of the amounts, optionally rolled to the next working day."""
    amounts = {"days": days, "weeks": weeks, "months": months, "working_days": working_days}
    given = {unit: value for unit, value in amounts.items() if value}
    if len(given) > 1:
        raise ValueError(f"give one amount, not {sorted(given)}")
    unit, value = next(iter(given.items()), ("days", 0))
    return (calendar or DEFAULT_CALENDAR).add_period(to_date(start), Period(int(value), unit), roll=roll_forward)


def deadline(
    start: object,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    working_days: int = 0,
    roll_forward: bool = False,
    calendar: WorkingDayCalendar | None = None,
) -> str:
    """For BPMN timers: the frist's end (23:59:59 Copenhagen) as an ISO string with offset.

    SpiffWorkflow's timeDate needs a string, and mis-reads naive ones (spiffworkflow-notes §3.4).
    """
    amounts = {"days": days, "weeks": weeks, "months": months, "working_days": working_days}
    due = deadline_date(start, **amounts, roll_forward=roll_forward, calendar=calendar)
    return end_of_day(due).isoformat()


def add_period_text(start: object, period: str) -> str:
    """``start`` plus a period written as text ("3 måneder", "14 dage"), as an ISO date string."""
    return DEFAULT_CALENDAR.add_period(to_date(start), Period.parse(period)).isoformat()


def timer_at_end_of_day(d: object) -> str:
    return end_of_day(to_date(d)).isoformat()
