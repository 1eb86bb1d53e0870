"""Arithmetic and comparison on FEEL values, with null propagation and the caps.

A null operand gives null (FEEL's rule: missing data is not an error by itself).  Operands of
kinds that cannot be combined (text plus number, a date compared with a text) raise a Danish
FeelTypeError: a process owner should hear about it, not get a silent null.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from engine.calendar import DEFAULT_CALENDAR
from engine.feel.errors import FeelError, FeelTypeError
from engine.feel.values import Duration, check_number, check_string, is_number, type_name


def arithmetic(op: str, left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    try:
        if is_number(left) and is_number(right):
            if op == "/":
                if right == 0:
                    raise FeelError("Division med nul")
                result = left / right
                return check_number(result)
            return check_number({"+": left + right, "-": left - right, "*": left * right}[op])
        if op == "+" and isinstance(left, str) and isinstance(right, str):
            return check_string(left + right)
        if isinstance(left, Duration) and isinstance(right, Duration) and op in "+-":
            return left + (right if op == "+" else -right)
        if isinstance(left, date) and isinstance(right, Duration) and op in "+-":
            return shift(left, right if op == "+" else -right)
        if isinstance(left, Duration) and isinstance(right, date) and op == "+":
            return shift(right, left)
        if op == "-" and isinstance(left, date) and isinstance(right, date):
            return _difference(left, right)
        if isinstance(left, Duration) and is_number(right) and op == "*":
            return Duration(int(left.months * right), int(left.seconds * right))
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, FeelError):
            raise
        raise FeelError("Resultatet ligger uden for det, en dato eller et tal kan være") from None
    words = {"+": "lægge", "-": "trække", "*": "gange", "/": "dividere"}[op]
    raise FeelTypeError(f"Kan ikke {words} {type_name(left)} og {type_name(right)} sammen ({op})")


def shift(moment: date, by: Duration) -> date:
    """A date or datetime moved by a duration: months first (clamped to the month's end), then time."""
    if by.months:
        day = moment.date() if isinstance(moment, datetime) else moment
        moved = DEFAULT_CALENDAR.add_months(day, by.months)
        moment = moment.replace(year=moved.year, month=moved.month, day=moved.day)
    if isinstance(moment, datetime):
        return moment + timedelta(seconds=by.seconds)
    if by.seconds % 86_400:
        raise FeelTypeError("Til en dato kan kun lægges hele dage; brug date and time() for timer og minutter")
    return moment + timedelta(days=by.seconds // 86_400)


def _difference(left: date, right: date) -> Duration:
    if isinstance(left, datetime) != isinstance(right, datetime):
        raise FeelTypeError("Kan ikke trække en dato og en dato med tid fra hinanden")
    delta = left - right
    return Duration(0, int(delta.total_seconds()))


def equal(left: Any, right: Any) -> bool:
    """FEEL's '=': null equals only null; values of different kinds are not equal."""
    if left is None or right is None:
        return left is None and right is None
    if is_number(left) and is_number(right):
        return bool(left == right)
    if type_name(left) != type_name(right):
        return False
    return bool(left == right)


_ORDERED = ("tal", "tekst", "dato", "dato og tid")


def compare(op: str, left: Any, right: Any) -> bool | None:
    if op == "=":
        return equal(left, right)
    if op == "!=":
        return not equal(left, right)
    if left is None or right is None:
        return None
    kind = type_name(left)
    if kind != type_name(right) or kind not in _ORDERED:
        if isinstance(left, Duration) and isinstance(right, Duration) and not (left.months or right.months):
            left, right = left.seconds, right.seconds
        else:
            raise FeelTypeError(f"Kan ikke sammenligne {type_name(left)} med {type_name(right)} ({op})")
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def truth(value: Any) -> bool | None:
    """A value as FEEL's three-valued logic sees it: only true and false count."""
    return value if isinstance(value, bool) else None


def conjunction(left: Any, right: Any) -> bool | None:
    a, b = truth(left), truth(right)
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def disjunction(left: Any, right: Any) -> bool | None:
    a, b = truth(left), truth(right)
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def negate(value: Any) -> Any:
    if value is None:
        return None
    if is_number(value):
        return check_number(-value)
    if isinstance(value, Duration):
        return -value
    raise FeelTypeError(f"Kan ikke sætte minus foran {type_name(value)}")
