"""Danish working days on real dates (holidays from the `holidays` library, pinned in pyproject)."""

from __future__ import annotations

import re
import typing
from datetime import UTC, date, datetime, timedelta

import pytest

from engine import calendar, feel
from engine.calendar import (
    COPENHAGEN,
    DEFAULT_CALENDAR,
    CalendarSettings,
    Period,
    WorkingDayCalendar,
    add_days,
    add_months,
    add_weeks,
    add_working_days,
    deadline,
    deadline_date,
    end_of_day,
    is_working_day,
    local_date,
    roll_forward,
    timer_at_end_of_day,
    to_date,
    working_days_between,
)

OPEN_ON_CLOSING_DAYS = WorkingDayCalendar(
    CalendarSettings(grundlovsdag_closed=False, christmas_eve_closed=False, new_years_eve_closed=False)
)


def test_three_working_days_after_wednesday_before_easter_2026_is_thursday_after():
    # Skærtorsdag 2 April, Langfredag 3 April, 2. påskedag 6 April 2026
    assert add_working_days(date(2026, 4, 1), 3) == date(2026, 4, 9)


def test_store_bededag_2023_is_a_holiday_but_not_in_2024():
    assert add_working_days(date(2023, 5, 3), 3) == date(2023, 5, 9)
    assert add_working_days(date(2024, 4, 24), 3) == date(2024, 4, 29)
    assert not is_working_day(date(2023, 5, 5)) and is_working_day(date(2024, 4, 26))


def test_kristi_himmelfart_and_pinse_are_closed_and_first_of_may_is_a_working_day():
    assert not is_working_day(date(2026, 5, 14))
    assert not is_working_day(date(2026, 5, 25))
    assert is_working_day(date(2026, 5, 1))
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)


def test_grundlovsdag_is_a_municipal_setting():
    assert add_working_days(date(2025, 6, 4), 3) == date(2025, 6, 11)
    assert OPEN_ON_CLOSING_DAYS.add_working_days(date(2025, 6, 4), 3) == date(2025, 6, 10)


def test_christmas_counts_juleaften_as_closed_by_default():
    assert add_working_days(date(2025, 12, 22), 3) == date(2025, 12, 30)
    assert OPEN_ON_CLOSING_DAYS.add_working_days(date(2025, 12, 22), 3) == date(2025, 12, 29)


def test_one_working_day_after_a_friday_is_monday():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_negative_working_days_count_backwards_over_holidays():
    assert add_working_days(date(2026, 4, 7), -1) == date(2026, 4, 1)
    assert add_working_days(date(2026, 4, 9), -3) == date(2026, 4, 1)
    # 1 Jan, 31 Dec, 26/25/24 Dec and the weekends are skipped going back from Fri 2 January
    assert add_working_days(date(2026, 1, 2), -3) == date(2025, 12, 23)


def test_negative_working_days_undo_positive_ones_from_a_working_day():
    start = date(2026, 3, 30)
    for n in range(0, 40):
        assert add_working_days(add_working_days(start, n), -n) == start


def test_zero_working_days_returns_the_start_even_on_a_closed_day():
    assert add_working_days(date(2026, 4, 5), 0) == date(2026, 4, 5)


def test_the_start_day_is_not_counted_even_when_it_is_a_holiday():
    # Påskedag + 1 hverdag: 2. påskedag is closed, so Tuesday
    assert add_working_days(date(2026, 4, 5), 1) == date(2026, 4, 7)


def test_a_letter_dated_friday_before_christmas_is_received_on_the_sixth_working_day():
    assert add_working_days(date(2025, 12, 19), 6) == date(2026, 1, 5)
    assert OPEN_ON_CLOSING_DAYS.add_working_days(date(2025, 12, 19), 6) == date(2025, 12, 31)


def test_extra_closed_dates_are_closed_with_the_reason_lukkedag():
    closed_friday = WorkingDayCalendar(CalendarSettings(extra_closed_dates=frozenset({date(2026, 5, 15)})))
    assert not closed_friday.is_working_day(date(2026, 5, 15))
    assert closed_friday.closed_reason(date(2026, 5, 15)) == "Lukkedag"
    assert closed_friday.add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 18)
    assert is_working_day(date(2026, 5, 15))


def test_closed_reasons_are_danish_and_name_the_holiday():
    reason = DEFAULT_CALENDAR.closed_reason
    assert reason(date(2026, 4, 4)) == "lørdag"
    assert reason(date(2026, 4, 12)) == "søndag"
    assert reason(date(2026, 4, 2)) == "Skærtorsdag"
    assert reason(date(2026, 4, 5)) == "Påskedag"
    assert reason(date(2023, 5, 5)) == "Store bededag"
    assert reason(date(2026, 6, 5)) == "Grundlovsdag"
    assert reason(date(2025, 12, 24)) == "Juleaftensdag"
    assert reason(date(2025, 12, 31)) == "Nytårsaftensdag"
    assert reason(date(2026, 5, 1)) is None
    assert OPEN_ON_CLOSING_DAYS.closed_reason(date(2026, 6, 5)) is None


def test_next_working_day_and_roll_forward_keep_a_working_day_and_move_a_closed_one():
    assert roll_forward(date(2026, 4, 1)) == date(2026, 4, 1)
    assert roll_forward(date(2026, 4, 2)) == date(2026, 4, 7)
    assert DEFAULT_CALENDAR.next_working_day(date(2025, 12, 24)) == date(2025, 12, 29)


def test_add_working_days_keeps_its_public_signature():
    hints = typing.get_type_hints(calendar.add_working_days)
    assert list(hints) == ["start", "n", "return"]
    assert hints == {"start": date, "n": int, "return": date}


def test_a_klagefrist_ending_on_skaertorsdag_rolls_to_the_tuesday_after_easter():
    assert add_weeks(date(2026, 3, 5), 4) == date(2026, 4, 2)
    assert add_weeks(date(2026, 3, 5), 4, roll=True) == date(2026, 4, 7)


def test_a_frist_ending_on_new_years_eve_rolls_only_when_the_day_is_closed():
    assert add_weeks(date(2025, 12, 3), 4) == date(2025, 12, 31)
    assert add_weeks(date(2025, 12, 3), 4, roll=True) == date(2026, 1, 2)
    assert OPEN_ON_CLOSING_DAYS.add_weeks(date(2025, 12, 3), 4, roll=True) == date(2025, 12, 31)


def test_a_klagefrist_ending_on_grundlovsdag_rolls_to_monday_only_when_grundlovsdag_is_closed():
    assert add_weeks(date(2026, 5, 8), 4, roll=True) == date(2026, 6, 8)
    assert OPEN_ON_CLOSING_DAYS.add_weeks(date(2026, 5, 8), 4, roll=True) == date(2026, 6, 5)


def test_calendar_days_do_not_roll_unless_asked():
    assert add_days(date(2026, 3, 20), 14) == date(2026, 4, 3)  # Langfredag
    assert add_days(date(2026, 3, 20), 14, roll=True) == date(2026, 4, 7)


def test_months_clamp_to_the_last_day_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 10, 15), 14) == date(2027, 12, 15)


def test_months_roll_only_when_asked():
    assert add_months(date(2026, 3, 5), 1) == date(2026, 4, 5)  # Påskedag
    assert add_months(date(2026, 3, 5), 1, roll=True) == date(2026, 4, 7)


def test_working_days_between_skips_easter():
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 9)) == 3
    assert working_days_between(date(2026, 4, 9), date(2026, 4, 1)) == -3
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 1)) == 0
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 6)) == 0


def test_working_days_between_agrees_with_add_working_days():
    start = date(2025, 12, 1)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n)) == n


@pytest.mark.parametrize(
    ("text", "period", "label"),
    [
        ("3 hverdage", Period(3, "working_days"), "3 hverdage"),
        ("8 uger", Period(8, "weeks"), "8 uger"),
        ("1 måned", Period(1, "months"), "1 måned"),
        ("14 dage", Period(14, "days"), "14 dage"),
        ("2 måneder", Period(2, "months"), "2 måneder"),
        ("1 hverdag", Period(1, "working_days"), "1 hverdag"),
        ("5 Arbejdsdage", Period(5, "working_days"), "5 hverdage"),
        ("1 uge", Period(1, "weeks"), "1 uge"),
    ],
)
def test_periods_read_and_print_in_danish(text, period, label):
    assert Period.parse(text) == period
    assert period.label_da() == label
    assert Period.parse(period.label_da()) == period


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("3 working_days", Period(3, "working_days")),
        ("14 days", Period(14, "days")),
        ("8 weeks", Period(8, "weeks")),
        ("6 months", Period(6, "months")),
    ],
)
def test_periods_also_read_english_units(text, period):
    assert Period.parse(text) == period


def test_a_period_is_added_in_its_own_calendar():
    assert DEFAULT_CALENDAR.add_period(date(2026, 4, 1), Period.parse("3 hverdage")) == date(2026, 4, 9)
    assert DEFAULT_CALENDAR.add_period(date(2026, 3, 5), Period.parse("4 uger")) == date(2026, 4, 2)
    assert DEFAULT_CALENDAR.add_period(date(2026, 3, 5), Period.parse("4 uger"), roll=True) == date(2026, 4, 7)
    assert DEFAULT_CALENDAR.add_period(date(2026, 1, 31), Period.parse("1 måned")) == date(2026, 2, 28)


def test_an_unknown_period_unit_is_refused_naming_the_text():
    with pytest.raises(ValueError, match="3 fortnights"):
        Period.parse("3 fortnights")
    with pytest.raises(ValueError, match="hverdage"):
        Period.parse("hverdage")
    with pytest.raises(ValueError):
        Period(3, "fortnights")


def test_deadline_for_timers_is_the_end_of_the_day_in_copenhagen_with_an_offset():
    text = deadline("2026-04-01", working_days=3)
    assert text.endswith("+00:00")
    assert datetime.fromisoformat(text) == datetime(2026, 4, 9, 21, 59, 59, tzinfo=UTC)  # 23:59:59 CEST
    assert datetime.fromisoformat(text).astimezone(COPENHAGEN).replace(tzinfo=None) == datetime(2026, 4, 9, 23, 59, 59)
    with pytest.raises(ValueError):
        deadline("2026-04-01", days=1, weeks=1)


def test_deadline_accepts_dates_and_datetimes_and_rolls_with_the_given_calendar():
    assert deadline_date(date(2025, 12, 3), weeks=4) == date(2025, 12, 31)
    assert deadline_date(date(2025, 12, 3), weeks=4, roll_forward=True) == date(2026, 1, 2)
    assert deadline_date("2025-12-03", weeks=4, roll_forward=True, calendar=OPEN_ON_CLOSING_DAYS) == date(2025, 12, 31)
    # 23:30 UTC on 28 March is already 29 March in Copenhagen
    assert deadline_date(datetime(2026, 3, 28, 23, 30, tzinfo=UTC), days=1) == date(2026, 3, 30)
    assert deadline_date("2026-04-01") == date(2026, 4, 1)
    with pytest.raises(ValueError):
        deadline_date("2026-04-01", months=1, working_days=3)


def test_end_of_day_is_2359_local_in_both_winter_and_summer_time():
    assert end_of_day(date(2026, 1, 15)) == datetime(2026, 1, 15, 22, 59, 59, tzinfo=UTC)
    assert end_of_day(date(2026, 7, 15)) == datetime(2026, 7, 15, 21, 59, 59, tzinfo=UTC)
    assert end_of_day(date(2026, 3, 29)) - end_of_day(date(2026, 3, 28)) == timedelta(hours=23)


def test_timer_at_end_of_day_is_an_iso_string_with_an_explicit_offset():
    text = timer_at_end_of_day("2026-01-15")
    assert isinstance(text, str)
    assert datetime.fromisoformat(text).utcoffset() is not None
    assert datetime.fromisoformat(text) == datetime(2026, 1, 15, 22, 59, 59, tzinfo=UTC)
    assert timer_at_end_of_day(date(2026, 1, 15)) == text


def test_local_date_is_the_copenhagen_calendar_date():
    assert local_date(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert local_date(datetime(2026, 6, 30, 21, 30, tzinfo=UTC)) == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 4, 1), date(2026, 4, 1)),
        ("2026-04-01", date(2026, 4, 1)),
        ("2026-03-28T23:30:00+00:00", date(2026, 3, 29)),
        ("2026-03-28T23:30:00", date(2026, 3, 28)),  # a time without offset is Copenhagen time, not UTC
        (datetime(2026, 3, 28, 23, 30), date(2026, 3, 28)),
        (datetime(2026, 3, 28, 23, 30, tzinfo=COPENHAGEN), date(2026, 3, 28)),
    ],
)
def test_to_date_reads_dates_datetimes_and_iso_strings(value, expected):
    assert to_date(value) == expected


@pytest.mark.parametrize("value", ["01-04-2026", "2026-13-01", "i morgen", "", None, 20260401])
def test_to_date_refuses_anything_else_naming_the_value(value):
    with pytest.raises(ValueError, match=re.escape(repr(value))):
        to_date(value)


def test_a_time_without_offset_in_a_diagram_is_copenhagen_time():
    # 23:30 on Monday 23 November 2026 in Copenhagen is 22:30 UTC: still Monday, so 1 day later is Tuesday 24th
    # (read as UTC it would have been 00:30 on Tuesday and the frist a day late).
    assert deadline_date("2026-11-23T23:30:00", days=1) == date(2026, 11, 24)
    assert deadline("2026-11-23T23:30:00", days=1) == "2026-11-24T22:59:59+00:00"
    assert (
        feel.expression('deadline(start: "2026-11-23T23:30:00", days: 1)').evaluate({}) == "2026-11-24T22:59:59+00:00"
    )
