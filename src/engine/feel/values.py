"""The values FEEL works with, their caps, and how they cross into task data.

Inside an expression a value is one of: None (null), bool, int/float (number), str, date,
datetime (aware), ``Duration``, ``Range`` (only inside ``in`` and unary tests), list, dict
(context).  Task data is JSON plus date/datetime (``engine.spiff.StateCodec`` registers date), so
``to_data`` turns a duration into its ISO text and refuses ranges.  Every value an expression builds
is size-checked here, so no expression can grow a value beyond the caps, whatever its data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine.feel.errors import FeelLimitError, FeelTypeError

MAX_EXPRESSION_CHARS = 4_000
MAX_SCRIPT_LINES = 200
MAX_DEPTH = 60
MAX_STRING = 100_000
MAX_ITEMS = 10_000  # elements of a list or context, counted through nested ones
MAX_NUMBER = 10**15
MIN_YEAR, MAX_YEAR = 1900, 2200  # frister and timers outside these years are mistakes


@dataclass(frozen=True)
class Duration:
    """An ISO 8601 duration: calendar months plus seconds (days are 86 400 seconds)."""

    months: int = 0
    seconds: int = 0

    MAX_MONTHS = 1200
    MAX_SECONDS = 100 * 366 * 86_400

    def __post_init__(self) -> None:
        if abs(self.months) > self.MAX_MONTHS or abs(self.seconds) > self.MAX_SECONDS:
            raise FeelLimitError("Varigheden er for lang (højst 100 år)")

    @property
    def days(self) -> int:
        return self.seconds // 86_400 if self.seconds >= 0 else -((-self.seconds) // 86_400)

    def total_seconds_estimate(self) -> int:
        """Length for limits: a month counts as 28 days, its shortest."""
        return self.months * 28 * 86_400 + self.seconds

    def __add__(self, other: Duration) -> Duration:
        return Duration(self.months + other.months, self.seconds + other.seconds)

    def __neg__(self) -> Duration:
        return Duration(-self.months, -self.seconds)

    def iso(self) -> str:
        months, seconds = self.months, self.seconds
        sign = "-" if months < 0 or seconds < 0 else ""
        months, seconds = abs(months), abs(seconds)
        years, months = divmod(months, 12)
        days, rest = divmod(seconds, 86_400)
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        text = "".join(f"{v}{u}" for v, u in ((years, "Y"), (months, "M"), (days, "D")) if v)
        clock = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
        if clock:
            text += "T" + clock
        return f"{sign}P{text or '0D'}"


_DURATION = re.compile(
    r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.IGNORECASE
)


def parse_duration(text: str) -> Duration:
    """``P3D``, ``PT12H``, ``P1Y2M``, ``P2W``, ``-P1D``; FeelTypeError for anything else."""
    match = _DURATION.fullmatch(text.strip()) if len(text) <= 40 else None
    groups = match.groups() if match else (None,) * 8
    time_part = "T" in text.upper()
    if not any(groups[1:]) or (time_part and not any(groups[5:])):
        raise FeelTypeError(f'\'{text}\' er ikke en varighed (ISO 8601), fx "P3D", "PT12H" eller "P1M"')
    sign, years, months, weeks, days, hours, minutes, secs = groups
    n = [int(v) if v else 0 for v in (years, months, weeks, days, hours, minutes, secs)]
    total_months = n[0] * 12 + n[1]
    seconds = ((n[2] * 7 + n[3]) * 24 + n[4]) * 3600 + n[5] * 60 + n[6]
    factor = -1 if sign else 1
    return Duration(factor * total_months, factor * seconds)


@dataclass(frozen=True)
class Range:
    """``[a..b]``, ``(a..b]``: an interval for ``in`` and decision-table cells."""

    low: Any
    high: Any
    low_closed: bool = True
    high_closed: bool = True


def check_number(value: int | float) -> int | float:
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise FeelLimitError("Tallet kan ikke beregnes (uendeligt eller ikke et tal)")
        if value.is_integer() and abs(value) <= MAX_NUMBER:
            value = int(value) if abs(value) < 2**53 else value
    if abs(value) > MAX_NUMBER:
        raise FeelLimitError(f"Tallet er for stort (højst {MAX_NUMBER:.0e} i udtryk)".replace("+", ""))
    return value


def check_string(value: str) -> str:
    if len(value) > MAX_STRING:
        raise FeelLimitError(f"Teksten bliver for lang (over {MAX_STRING} tegn)")
    return value


def check_items(value: list[Any] | dict[str, Any]) -> list[Any] | dict[str, Any]:
    """Refuse a list or context whose nested elements exceed MAX_ITEMS (walks at most that many)."""
    budget = MAX_ITEMS
    stack: list[Any] = [value]
    while stack:
        current = stack.pop()
        children = current.values() if isinstance(current, dict) else current
        for child in children:
            budget -= 1
            if budget < 0:
                raise FeelLimitError(f"Listen eller konteksten bliver for stor (over {MAX_ITEMS} elementer)")
            if isinstance(child, list | dict):
                stack.append(child)
    return value


def check_year(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise FeelLimitError(f"Datoen {value.isoformat()[:10]} ligger uden for årene {MIN_YEAR}–{MAX_YEAR}")
    return value


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def type_name(value: Any) -> str:
    """The Danish name of a value's FEEL type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "sand/falsk"
    if is_number(value):
        return "tal"
    if isinstance(value, str):
        return "tekst"
    if isinstance(value, datetime):
        return "dato og tid"
    if isinstance(value, date):
        return "dato"
    if isinstance(value, Duration):
        return "varighed"
    if isinstance(value, Range):
        return "interval"
    if isinstance(value, list):
        return "liste"
    if isinstance(value, dict):
        return "kontekst"
    return "ukendt værdi"


def to_data(value: Any) -> Any:
    """A value as it is stored in task data (JSON types, date, datetime)."""
    if isinstance(value, Duration):
        return value.iso()
    if isinstance(value, Range):
        raise FeelTypeError("Et interval kan ikke gemmes i procesdata")
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str | date):
        return value
    raise FeelTypeError(f"Værdien kan ikke gemmes i procesdata ({type_name(value)})")
