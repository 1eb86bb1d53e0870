"""The standard FEEL functions Sagsflow offers (names as in the DMN 1.3 standard).

Each takes plain values and answers a value; none reaches outside its arguments.  Texts and lists
they build are size-checked (values.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from engine.calendar import COPENHAGEN, to_date
from engine.feel.errors import FeelTypeError
from engine.feel.signatures import (
    T_ANY,
    T_BOOLEAN,
    T_DATE,
    T_DATETIME,
    T_DURATION,
    T_LIST,
    T_NUMBER,
    T_STRING,
    Function,
    Param,
)
from engine.feel.values import (
    Duration,
    Range,
    check_number,
    check_string,
    is_number,
    parse_duration,
    type_name,
)


def feel_date(**args: Any) -> date:
    if "month" in args:
        parts = [args["from"], args["month"], args["day"]]
        if not all(is_number(p) and float(p).is_integer() for p in parts):
            raise FeelTypeError("date(år, måned, dag) kræver hele tal")
        try:
            return date(*(int(p) for p in parts))
        except ValueError as exc:
            raise FeelTypeError(f"date(): ingen sådan dato ({exc})") from None
    value = args["from"]
    if isinstance(value, date | str):
        try:
            return to_date(value)
        except ValueError:
            pass
    raise FeelTypeError(f'date() kan ikke læse {_show(value)} som en dato; forventet fx date("2026-11-23")')


def feel_datetime(**args: Any) -> datetime:
    value = args["from"]
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=COPENHAGEN)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=COPENHAGEN)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=COPENHAGEN)
    raise FeelTypeError(
        f'date and time() kan ikke læse {_show(value)}; forventet fx date and time("2026-11-23T09:00:00+01:00")'
    )


def feel_duration(**args: Any) -> Duration:
    value = args["from"]
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise FeelTypeError(f'duration() kræver en tekst som "P3D", ikke {type_name(value)}')
    return parse_duration(value)


def to_string(value: Any) -> str | None:
    """FEEL's string(): numbers without a trailing .0, dates in ISO form, true/false."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Duration):
        return value.iso()
    if isinstance(value, list):
        return check_string("[" + ", ".join(_quoted(v) for v in value) + "]")
    if isinstance(value, dict):
        return check_string("{" + ", ".join(f"{k}: {_quoted(v)}" for k, v in value.items()) + "}")
    raise FeelTypeError(f"string() kan ikke skrive {type_name(value)}")


def _quoted(value: Any) -> str:
    text = to_string(value)
    return "null" if text is None else (f'"{text}"' if isinstance(value, str) else text)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 40 else text[:37] + "..."


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def feel_number(**args: Any) -> int | float | None:
    value = args["from"]
    if is_number(value):
        return value
    if isinstance(value, str) and len(value) <= 40 and _NUMBER.fullmatch(value.strip()):
        text = value.strip()
        return check_number(float(text) if "." in text else int(text))
    return None


def _text(value: Any, function: str) -> str:
    if not isinstance(value, str):
        raise FeelTypeError(f"{function}() kræver en tekst, ikke {type_name(value)}")
    return value


def _items(value: Any, function: str) -> list[Any]:
    if not isinstance(value, list):
        raise FeelTypeError(f"{function}() kræver en liste, ikke {type_name(value)}")
    return value


def feel_sum(**args: Any) -> Any:
    items = [v for v in _items(args["list"], "sum") if v is not None]
    if not all(is_number(v) for v in items):
        raise FeelTypeError("sum() kræver en liste af tal")
    return check_number(sum(items)) if items else None


def _extreme(function: str, pick: Any) -> Any:
    def run(**args: Any) -> Any:
        items = args["list"]
        items = items if isinstance(items, list) else [items, *args.get("more", [])]
        items = [v for v in items if v is not None]
        if not items:
            return None
        kinds = {type_name(v) for v in items}
        if len(kinds) > 1 or kinds & {"sand/falsk", "liste", "kontekst", "interval", "varighed"}:
            raise FeelTypeError(f"{function}() kræver værdier af samme slags (tal, tekst eller datoer)")
        return pick(items)

    return run


def is_defined_marker(**args: Any) -> bool:  # pragma: no cover - the evaluator handles it
    return args["value"] is not None


def in_range(value: Any, target: Range) -> bool | None:
    """``value in [low..high]`` with open or closed ends (null when not comparable)."""
    from engine.feel.operators import compare

    low = compare("<=" if target.low_closed else "<", target.low, value)
    high = compare("<=" if target.high_closed else "<", value, target.high)
    if low is None or high is None:
        return None
    return low and high


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "date",
            ((Param("from"),), (Param("from", T_NUMBER), Param("month", T_NUMBER), Param("day", T_NUMBER))),
            T_DATE,
            feel_date,
            example='date("2026-11-23")',
        ),
        Function(
            "date and time",
            ((Param("from"),),),
            T_DATETIME,
            feel_datetime,
            example='date and time("2026-11-23T09:00:00+01:00")',
        ),
        Function(
            "duration", ((Param("from", T_STRING | T_DURATION),),), T_DURATION, feel_duration, example='duration("P3D")'
        ),
        Function("string", ((Param("from"),),), T_STRING, lambda **a: to_string(a["from"]), example="string(beloeb)"),
        Function("number", ((Param("from"),),), T_NUMBER, feel_number, example='number("42")'),
        Function(
            "string length",
            ((Param("string", T_STRING),),),
            T_NUMBER,
            lambda **a: len(_text(a["string"], "string length")),
            example="string length(begrundelse)",
        ),
        Function(
            "contains",
            ((Param("string", T_STRING), Param("match", T_STRING)),),
            T_BOOLEAN,
            lambda **a: _text(a["match"], "contains") in _text(a["string"], "contains"),
            example='contains(lovgrundlag, "§ 85")',
        ),
        Function(
            "upper case",
            ((Param("string", T_STRING),),),
            T_STRING,
            lambda **a: check_string(_text(a["string"], "upper case").upper()),
            example="upper case(navn)",
        ),
        Function(
            "lower case",
            ((Param("string", T_STRING),),),
            T_STRING,
            lambda **a: check_string(_text(a["string"], "lower case").lower()),
            example="lower case(navn)",
        ),
        Function(
            "count",
            ((Param("list", T_LIST),),),
            T_NUMBER,
            lambda **a: len(_items(a["list"], "count")),
            example="count(bilag)",
        ),
        Function("sum", ((Param("list", T_LIST),),), T_NUMBER, feel_sum, example="sum(beloeb)"),
        Function("min", ((Param("list"),),), T_ANY, _extreme("min", min), variadic=True, example="min([a, b])"),
        Function("max", ((Param("list"),),), T_ANY, _extreme("max", max), variadic=True, example="max([a, b])"),
        Function(
            "is defined", ((Param("value"),),), T_BOOLEAN, is_defined_marker, nulls="pass", example="is defined(svar)"
        ),
    )
}
