"""Danish working days on real dates (holidays from the `holidays` library, pinned in pyproject)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from engine.calendar import (
    CalendarSettings,
    Period,
    WorkingDayCalendar,
    add_months,
    add_weeks,
    add_working_days,
    deadline,
    is_working_day,
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


def test_a_klagefrist_ending_on_skaertorsdag_rolls_to_the_tuesday_after_easter():
    assert add_weeks(date(2026, 3, 5), 4) == date(2026, 4, 2)
    assert add_weeks(date(2026, 3, 5), 4, roll=True) == date(2026, 4, 7)


def test_a_frist_ending_on_new_years_eve_rolls_only_when_the_day_is_closed():
    assert add_weeks(date(2025, 12, 3), 4, roll=True) == date(2026, 1, 2)
    assert OPEN_ON_CLOSING_DAYS.add_weeks(date(2025, 12, 3), 4, roll=True) == date(2025, 12, 31)


def test_months_clamp_to_the_last_day_of_the_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_working_days_between_skips_easter():
    assert working_days_between(date(2026, 4, 1), date(2026, 4, 9)) == 3
    assert working_days_between(date(2026, 4, 9), date(2026, 4, 1)) == -3


@pytest.mark.parametrize(
    ("text", "period", "label"),
    [
        ("3 hverdage", Period(3, "working_days"), "3 hverdage"),
        ("8 uger", Period(8, "weeks"), "8 uger"),
        ("1 måned", Period(1, "months"), "1 måned"),
        ("14 dage", Period(14, "days"), "14 dage"),
    ],
)
def test_periods_read_and_print_in_danish(text, period, label):
    assert Period.parse(text) == period
    assert period.label_da() == label


def test_an_unknown_period_unit_is_refused_naming_the_text():
    with pytest.raises(ValueError, match="3 fortnights"):
        Period.parse("3 fortnights")


def test_deadline_for_timers_is_the_end_of_the_day_in_copenhagen_with_an_offset():
    text = deadline("2026-04-01", working_days=3)
    assert text.endswith("+00:00")
    assert datetime.fromisoformat(text) == datetime(2026, 4, 9, 21, 59, 59, tzinfo=UTC)  # 23:59:59 CEST
    with pytest.raises(ValueError):
        deadline("2026-04-01", days=1, weeks=1)
