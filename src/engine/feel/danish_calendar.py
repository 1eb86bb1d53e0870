"""The Danish working-day calendar (engine/calendar.py) as FEEL functions.

``deadline``, ``add_working_days``, ``add_period`` and ``timer_at_end_of_day`` answer ISO strings,
as the Python functions did, so diagrams compare dates the same way and SpiffWorkflow's timeDate
gets the string with an offset it needs (spiffworkflow-notes §3.4).  ``deadline_date`` answers a
date.  Amounts are capped, so no call can make the calendar count for long.  A null start is an
error, never a silently missing frist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine import calendar
from engine.feel.errors import FeelError, FeelTypeError
from engine.feel.signatures import T_BOOLEAN, T_DATE, T_DATELIKE, T_NUMBER, T_STRING, Function, Param
from engine.feel.values import is_number

# Upper bounds per unit (about 100 years; working days: 10 years).
_CAPS = {"days": 36_600, "weeks": 5_220, "months": 1_200, "working_days": 2_600}


def _start(value: Any, function: str) -> date:
    if value is None:
        raise FeelTypeError(f"{function}(): start mangler (værdien er null)")
    try:
        return calendar.to_date(value)
    except ValueError:
        raise FeelTypeError(f"{function}(): '{value}' er ikke en dato; forventet fx \"2026-11-23\"") from None


def _whole(value: Any, name: str, function: str) -> int:
    if value is None:
        return 0
    if not is_number(value) or not float(value).is_integer():
        raise FeelTypeError(f"{function}(): {name} skal være et helt tal, ikke {value!r}")
    amount = int(value)
    if abs(amount) > _CAPS.get(name, 2_600):
        raise FeelError(f"{function}(): {name} = {amount} er for stort (højst {_CAPS.get(name, 2_600)})")
    return amount


def _amounts(args: dict[str, Any], function: str) -> dict[str, Any]:
    amounts = {unit: _whole(args.get(unit), unit, function) for unit in ("days", "weeks", "months", "working_days")}
    if len([v for v in amounts.values() if v]) > 1:
        raise FeelError(f"{function}(): angiv kun én af days, weeks, months og working_days")
    return amounts


def _guarded(run: Any) -> Any:
    def call(**args: Any) -> Any:
        try:
            return run(**args)
        except FeelError:
            raise
        except (ValueError, OverflowError) as exc:
            raise FeelError(f"Datoen kan ikke beregnes: {exc}") from None

    return call


def _roll(args: dict[str, Any]) -> bool:
    roll = args.get("roll_forward")
    if roll is not None and not isinstance(roll, bool):
        raise FeelTypeError("roll_forward skal være true eller false")
    return bool(roll)


@_guarded
def deadline(**args: Any) -> str:
    start = _start(args["start"], "deadline")
    return calendar.deadline(start, **_amounts(args, "deadline"), roll_forward=_roll(args))


@_guarded
def deadline_date(**args: Any) -> date:
    start = _start(args["start"], "deadline_date")
    return calendar.deadline_date(start, **_amounts(args, "deadline_date"), roll_forward=_roll(args))


@_guarded
def add_working_days(**args: Any) -> str:
    start = _start(args["start"], "add_working_days")
    return calendar.add_working_days(start, _whole(args["n"], "working_days", "add_working_days")).isoformat()


@_guarded
def add_period(**args: Any) -> str:
    start = _start(args["start"], "add_period")
    text = args["period"]
    if not isinstance(text, str):
        raise FeelTypeError('add_period(): perioden skal være en tekst som "3 måneder"')
    period = calendar.Period.parse(text)
    _whole(period.value, period.unit, "add_period")
    return calendar.DEFAULT_CALENDAR.add_period(start, period).isoformat()


@_guarded
def timer_at_end_of_day(**args: Any) -> str:
    return calendar.timer_at_end_of_day(_start(args["date"], "timer_at_end_of_day"))


_AMOUNT_PARAMS = (
    Param("start", T_DATELIKE),
    Param("days", T_NUMBER, required=False),
    Param("weeks", T_NUMBER, required=False),
    Param("months", T_NUMBER, required=False),
    Param("working_days", T_NUMBER, required=False),
    Param("roll_forward", T_BOOLEAN, required=False),
)

CALENDAR_FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function(
            "deadline",
            (_AMOUNT_PARAMS,),
            T_STRING,
            deadline,
            nulls="refuse",
            example="deadline(start: received_on, weeks: 4)",
        ),
        Function(
            "deadline_date",
            (_AMOUNT_PARAMS,),
            T_DATE,
            deadline_date,
            nulls="refuse",
            example="deadline_date(start: received_on, days: 14)",
        ),
        Function(
            "add_working_days",
            ((Param("start", T_DATELIKE), Param("n", T_NUMBER)),),
            T_STRING,
            add_working_days,
            nulls="refuse",
            example="add_working_days(received_on, 3)",
        ),
        Function(
            "add_period",
            ((Param("start", T_DATELIKE), Param("period", T_STRING)),),
            T_STRING,
            add_period,
            nulls="refuse",
            example='add_period(startdato, "3 måneder")',
        ),
        Function(
            "timer_at_end_of_day",
            ((Param("date", T_DATELIKE),),),
            T_STRING,
            timer_at_end_of_day,
            nulls="refuse",
            example="timer_at_end_of_day(svarfrist)",
        ),
    )
}
