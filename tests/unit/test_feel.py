"""The FEEL evaluator on its own: the subset, its functions, its caps and its messages."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from engine import feel
from engine.feel import FeelError, FeelLimitError, FeelSyntaxError

DATA = {
    "udfald": "afslag",
    "received_on": "2026-11-23",
    "beloeb": 1200,
    "liste": [3, 1, 2],
    "sag": {"borger": {"kommune": "Vejle"}},
    "tom": None,
    "æble_nr": 7,
}


def value(text: str, data: dict | None = None):
    return feel.expression(text).evaluate(DATA if data is None else data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('udfald = "afslag"', True),
        ('udfald != "afslag"', False),
        ("beloeb > 1000 and beloeb <= 1200", True),
        ("beloeb < 10 or beloeb > 1000", True),
        ("not(beloeb > 1000)", False),
        ("1 + 2 * 3 - 4 / 2", 5),
        ("-beloeb + 1", -1199),
        ("7 / 2", 3.5),
        ('"Sag " + udfald', "Sag afslag"),
        ("sag.borger.kommune", "Vejle"),
        ("sag.borger.findes_ikke", None),
        ("ukendt_navn", None),
        ("æble_nr", 7),
        ("tom = null", True),
        ("tom + 1", None),
        ("beloeb in [1000..2000]", True),
        ("beloeb in (1200..2000]", False),
        ('udfald in ["afslag", "bevilling"]', True),
        ("beloeb between 1 and 1200", True),
        ('if beloeb > 1000 then "stor" else "lille"', "stor"),
        ("if tom then 1 else 2", 2),  # null is not true
        ("[1, 2, [3]]", [1, 2, [3]]),
        ('{navn: "x", "med mellemrum": 2}.navn', "x"),
        ("=udfald", "afslag"),  # Camunda 8's leading '='
    ],
)
def test_the_subset_evaluates_as_feel_does(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('date("2026-01-31") + duration("P1M")', date(2026, 2, 28)),
        ('date(2026, 11, 23) + duration("P2W")', date(2026, 12, 7)),
        ('string(date("2026-11-23") - date("2026-11-20"))', "P3D"),
        ('date and time("2026-11-23T09:00:00+01:00") > date and time("2026-11-23T07:59:00Z")', True),
        ('string(duration("P1Y2M"))', "P1Y2M"),
        ('string length("æøå")', 3),
        ('contains("SEL § 85", "§ 85")', True),
        ('upper case("vejle")', "VEJLE"),
        ('lower case("VEJLE")', "vejle"),
        ("count(liste)", 3),
        ("sum(liste)", 6),
        ("min(liste)", 1),
        ("max(4, 9, 2)", 9),
        ('number("12.5") + 1', 13.5),
        ("string(12)", "12"),
        ("is defined(beloeb)", True),
        ("is defined(tom)", True),
        ("is defined(findes_ikke)", False),
        ("is defined(sag.borger)", True),
    ],
)
def test_standard_functions(text, expected):
    assert value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deadline(start: received_on, weeks: 4)", "2026-12-21T22:59:59+00:00"),
        ("deadline(received_on, 14)", "2026-12-07T22:59:59+00:00"),
        ("deadline(start: received_on, working_days: 3)", "2026-11-26T22:59:59+00:00"),
        ('deadline(start: "2026-11-28", days: 0, roll_forward: true)', "2026-11-30T22:59:59+00:00"),
        ("deadline_date(start: received_on, months: 1)", date(2026, 12, 23)),
        ('add_working_days("2026-04-01", 3)', "2026-04-09"),  # Easter 2026
        ('add_period(received_on, "3 måneder")', "2027-02-23"),
        ('add_period("2026-01-31", "1 måned")', "2026-02-28"),
        ("timer_at_end_of_day(received_on)", "2026-11-23T22:59:59+00:00"),
    ],
)
def test_the_danish_calendar_functions_answer_iso_strings(text, expected):
    assert value(text) == expected


def test_a_script_assigns_line_by_line_and_later_lines_see_earlier_results():
    script = feel.script('a = 2\n\n// en kommentar\nb = a * 3\nc = if b > 5 then "ja" else "nej"')
    assert script.run({}) == {"a": 2, "b": 6, "c": "ja"}
    assert script.targets == ("a", "b", "c")


def test_durations_and_dates_become_task_data_that_serializes():
    results = feel.script('frist = duration("P3D")\ndag = date("2026-11-23")').run({})
    assert results == {"frist": "P3D", "dag": date(2026, 11, 23)}


@pytest.mark.parametrize(
    ("cell", "matches", "misses"),
    [
        ('"SEL § 85"', ["SEL § 85"], ["SEL § 108", None]),
        ('"a", "b"', ["a", "b"], ["c"]),
        ("< 5", [4, -1], [5, 6, None]),
        (">= 5", [5], [4]),
        ("[1..5]", [1, 5], [0, 6]),
        ("(1..5)", [2], [1, 5]),
        ('not("a", "b")', ["c"], ["a"]),
        ("not(< 5)", [5], [4]),
        ("null", [None], [0]),
    ],
)
def test_decision_table_cells_are_feel_unary_tests(cell, matches, misses):
    tests = feel.unary_tests(cell)
    assert all(tests.matches(v) for v in matches)
    assert not any(tests.matches(v) for v in misses)


def test_a_dash_matches_anything():
    assert feel.unary_tests("-") is None and feel.unary_tests("") is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('udfald == "afslag"', "ét = i FEEL"),
        ("afvigelse = True", "små bogstaver"),
        ("'afslag'", "dobbelte anførselstegn"),
        ("not afvigelse", "not(x)"),
        ("${udfald}", "JUEL"),
        ('"a" if x else "b"', "if betingelse then a else b"),
        ("x ** 2", "Potens"),
        ("[x for x in liste]", "Løkker"),
        ('f"{x}"', "f-strenge"),
    ],
)
def test_other_languages_are_refused_with_the_feel_form(text, words):
    problems = feel.check_expression(text, feel.CONDITION)
    assert problems and words in " ".join(problems)


def test_named_arguments_in_python_style_are_refused_with_the_feel_form():
    problems = feel.check_expression("deadline(received_on, days=14)", feel.DUE)
    assert "days: ..., ikke days=" in problems[0] and "deadline(start: received_on" in problems[0]


@pytest.mark.parametrize(
    ("text", "place", "words"),
    [
        ('"afslag"', feel.CONDITION, "skal give sand/falsk, men giver tekst"),
        ("1 + 2", feel.CONDITION, "men giver tal"),
        ("true", feel.TIME_DATE, "skal give dato"),
        ('date("2026-11-23")', feel.TIME_DURATION, "varighed"),
        ("42", feel.DUE, "skal give dato"),
        ('1 + "a"', feel.VALUE, "Kan ikke bruge +"),
        ("findes_ikke(1)", feel.VALUE, "Ukendt funktion 'findes_ikke'"),
        ("deadline(start: x, dage: 3)", feel.DUE, "ukendt parameter dage"),
        ('deadline(start: received_on, days: "14")', feel.DUE, "kræver tal, men får tekst"),
        ("null", feel.TIME_DATE, "giver altid null"),
    ],
)
def test_the_static_check_refuses_wrong_types_and_unknown_functions(text, place, words):
    assert words in " ".join(feel.check_expression(text, place))


def test_unknown_names_are_refused_only_when_the_known_names_are_given():
    assert feel.check_expression("udfaldd = 1", feel.CONDITION) == []
    problems = feel.check_expression("udfaldd = 1", feel.CONDITION, frozenset({"udfald"}))
    assert problems == ["Ukendt navn 'udfaldd': det er hverken procesdata, et formularfelt eller sat af et script"]


def test_a_python_block_in_a_script_is_refused_with_the_feel_form():
    problems = feel.check_script("if godkendt:\n    interval = ny")
    assert "Python, ikke FEEL" in problems[0] and "if betingelse then a else navn" in problems[0]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1 / 0", "Division med nul"),
        ('1 + "a"', "Kan ikke lægge tal og tekst"),
        ("udfald < 3", "Kan ikke sammenligne tekst med tal"),
        ("deadline(start: null, days: 3)", "start mangler"),
        ("deadline(start: received_on, days: 3, weeks: 1)", "kun én af"),
        ("deadline(start: received_on, working_days: 1000000)", "for stort"),
        ('add_period(received_on, "9 æbler")', "cannot read period"),
        ('date("i morgen")', "kan ikke læse"),
        ('deadline(start: "9999-12-31", days: 1)', "kan ikke beregnes"),
        ("99999999 * 99999999", "for stort"),
    ],
)
def test_run_time_errors_are_danish_feel_errors_not_python_exceptions(text, error):
    with pytest.raises(FeelError, match=error):
        value(text)


def test_caps_on_length_depth_strings_and_lists():
    with pytest.raises(FeelLimitError, match="for langt"):
        feel.expression("1" + " + 1" * 2000)
    with pytest.raises(FeelLimitError, match="dybt"):
        feel.expression("-" * 100 + "x")
    with pytest.raises(FeelLimitError, match="dybt"):
        feel.expression("a" + "+a" * 100)
    doubling = "\n".join(['s = "xxxxxxxxxx"'] + ["s = s + s"] * 20)
    with pytest.raises(FeelLimitError, match="Teksten bliver for lang"):
        feel.script(doubling).run({})
    nesting = "\n".join(["l = [1, 2]"] + ["l = [l, l]"] * 20)
    with pytest.raises(FeelLimitError, match="for stor"):
        feel.script(nesting).run({})


def test_deeply_nested_data_is_an_error_not_a_crash():
    def nested() -> list:
        deep: list = []
        for _ in range(5000):
            deep = [deep]
        return deep

    with pytest.raises(FeelError):
        value("a = b", {"a": nested(), "b": nested()})


def test_path_access_reads_dict_keys_and_never_python_attributes():
    data = {"d": date(2026, 1, 1), "s": "tekst", "dt": datetime(2026, 1, 1)}
    for text in ("d.year", "s.upper", "dt.tzinfo", "s.__class__"):
        try:
            assert value(text, data) is None
        except FeelSyntaxError:
            pass  # '__class__' is a name like any other; either way nothing is reached
