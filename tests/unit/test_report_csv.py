"""The report CSV cannot carry a formula into the leder's spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest

from tasks.reports.processing_times import ProcessingTime, as_csv


def row(ydelse: str) -> ProcessingTime:
    return ProcessingTime(ydelse, "8 uger", 56, 3, 2, 20.0, 40.0, 60)


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(hostile):
    cells = next(r for r in csv.reader(io.StringIO(as_csv([row(hostile)])), delimiter=";") if r[0] != "Ydelse")
    assert cells[0] == "'" + hostile


def test_ordinary_cells_are_left_alone():
    lines = list(csv.reader(io.StringIO(as_csv([row("SEL § 85")])), delimiter=";"))
    assert lines[1][:3] == ["SEL § 85", "8 uger", "56"]
    assert lines[1][5] == "66,7"
