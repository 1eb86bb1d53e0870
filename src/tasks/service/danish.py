"""Danish dates as users read them, in one place (letters, e-mails and pages use the same words)."""

from __future__ import annotations

from datetime import date, datetime

from engine.calendar import COPENHAGEN

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_SHORT = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def local_day(value: date | datetime) -> date:
    return value.astimezone(COPENHAGEN).date() if isinstance(value, datetime) else value


def long_date(value: date | datetime) -> str:
    """'4. januar 2027' (letters, e-mails)."""
    day = local_day(value)
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def short_date(value: date | datetime) -> str:
    """'4. jan. 2027' (pages)."""
    day = local_day(value)
    return f"{day.day}. {MONTHS_SHORT[day.month - 1]} {day.year}"


def stamp(moment: datetime) -> str:
    """'04.01.2027 09:30' local time (journal lines in documents)."""
    return f"{moment.astimezone(COPENHAGEN):%d.%m.%Y %H:%M}"


def amount_kr(value: int) -> str:
    """123456 -> '123.456 kr.' (Danish thousands separator)."""
    return f"{value:,} kr.".replace(",", ".")
