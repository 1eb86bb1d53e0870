"""CPR numbers: the one rule for what Sagsflow accepts as one.

DDMMÅÅ-XXXX (the hyphen optional), nothing around it, and a date part that is a real date in one of
the centuries the 7th digit can give.  There is no modulus-11 check: numbers without it have been
issued since 2007.
"""

from __future__ import annotations

import re
from datetime import date

_SHAPE = re.compile(r"(\d{2})(\d{2})(\d{2})-?(\d{4})")
MESSAGE = "CPR-nummer skal have formen DDMMÅÅ-XXXX med en gyldig dato"


def cpr_problem(value: str) -> str | None:
    """None when ``value`` is a CPR number Sagsflow accepts, else the Danish reason."""
    match = _SHAPE.fullmatch(value)
    if match is None:
        return MESSAGE
    day, month, year = (int(g) for g in match.groups()[:3])
    if not any(_is_date(century + year, month, day) for century in (1800, 1900, 2000)):
        return MESSAGE
    return None


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def birth_date(value: str) -> date | None:
    """The birth date a CPR number gives (the 7th digit decides the century), None when it gives none."""
    match = _SHAPE.fullmatch(value)
    if match is None:
        return None
    day, month, yy = (int(g) for g in match.groups()[:3])
    seventh = int(match.group(4)[0])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    return date(century + yy, month, day) if _is_date(century + yy, month, day) else None


def age_on(value: str, day: date) -> int | None:
    born = birth_date(value)
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
