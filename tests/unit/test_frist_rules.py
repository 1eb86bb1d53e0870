"""The date rules of the case record (frister/rules.py), on real Danish dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

from engine.calendar import COPENHAGEN, end_of_day
from tasks.frister import rules


def test_digital_post_is_received_the_day_it_is_sent():
    assert rules.letter_klagefrist(date(2026, 11, 23), physical_post=False) == (date(2026, 11, 23), date(2026, 12, 21))


def test_physical_post_dated_friday_19_december_2025_is_received_monday_5_january_2026():
    # legal-rules.md § 7: 24, 25, 26 and 31 December and 1 January are closed; the weekends too.
    receipt, last_day = rules.letter_klagefrist(date(2025, 12, 19), physical_post=True)
    assert receipt == date(2026, 1, 5)
    assert last_day == date(2026, 2, 2)  # 4 weeks from the receipt, a Monday


def test_physical_post_over_easter_2026():
    # Dated Wednesday 1 April 2026: Skærtorsdag, Langfredag and 2. påskedag are closed, so the 6th hverdag is
    # Tuesday 14 April (7, 8, 9, 10, 13, 14).
    assert rules.received_on(date(2026, 4, 1), physical_post=True) == date(2026, 4, 14)


def test_a_frist_ending_at_the_end_of_a_day_is_met_all_that_day_in_copenhagen():
    due = end_of_day(date(2026, 4, 7))  # Tuesday 7 April 2026, 23:59:59 in Copenhagen
    assert rules.in_time(datetime(2026, 4, 7, 23, 59, 59, 999_999, tzinfo=COPENHAGEN), due)
    assert not rules.in_time(datetime(2026, 4, 8, 0, 0, tzinfo=COPENHAGEN), due)


def test_a_frist_at_a_moment_is_met_by_that_moment_only():
    due = datetime(2026, 4, 7, 12, 0, tzinfo=UTC)
    assert rules.in_time(due, due) and not rules.in_time(datetime(2026, 4, 7, 12, 0, 1, tzinfo=UTC), due)


def test_the_underretning_warning_of_an_8_week_frist_is_5_hverdage_before_it():
    received = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday
    due = end_of_day(date(2027, 1, 18))
    warn = rules.underretning_varsel(received, due, 5)
    assert warn.astimezone(COPENHAGEN).date() == date(2027, 1, 11)


def test_the_underretning_warning_of_a_1_week_frist_comes_halfway_not_at_intake():
    received = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday; § 83: 1 week, so Monday 30 November
    due = end_of_day(date(2026, 11, 30))
    warn = rules.underretning_varsel(received, due, 5)
    assert warn.astimezone(COPENHAGEN) == datetime(2026, 11, 25, 0, 0, tzinfo=COPENHAGEN)  # Wednesday


def test_a_late_registered_case_gets_its_underretning_at_once():
    received = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)  # its 8 weeks ended 27 October
    due = end_of_day(date(2026, 10, 27))
    assert rules.underretning_varsel(received, due, 5) < datetime(2026, 11, 23, tzinfo=UTC)


def test_r1_after_a_hjemvisning_counts_from_the_day_it_was_received():
    start = rules.sagsbehandlingsfrist_start_after_hjemvisning(date(2027, 3, 1))
    assert start.astimezone(COPENHAGEN) == datetime(2027, 3, 1, 0, 0, tzinfo=COPENHAGEN)


def test_the_partshoering_svarfrist_rolls_past_christmas():
    assert rules.partshoering_svarfrist(date(2026, 12, 10), 14) == date(
        2026, 12, 28
    )  # 24th closed, 25th juledag, then a weekend
