"""Every ydelse of the shipped catalogue: its sagsbehandlingsfrist and its first opfølgning on real Danish
dates, read from the shipped tables and catalogue exactly as a case reads them (start data, then the
diagram's ``add_period``).  A henvendelse received Wednesday 23 December 2026 (24 and 31 December closed,
Christmas and New Year in between); a bevilling starting Monday 4 January 2027."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from engine.calendar import add_period_text, local_date
from tasks.catalogue.entries import Catalogue, parse_leverandoerer, parse_ydelser
from tasks.kvalitetsstandard.settings import load_standard
from tasks.kvalitetsstandard.tables import TABLES, StandardTables
from tasks.pathways.sagsbehandling import start_data

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
FOLDER = PROCESSES / "kvalitetsstandard"
RECEIVED = datetime(2026, 12, 23, 9, 0, tzinfo=UTC)  # Wednesday before Christmas
GRANTED_FROM = "2027-01-04"  # Monday

# ydelse, the R1 frist's last day, the first opfølgning (bevilling from 4 January 2027)
EXPECTED = [
    ("SEL § 82 a", "2027-02-17", "2027-03-29"),  # 8 uger; 12 uger (Vejle)
    ("SEL § 82 b", "2027-02-17", "2027-03-29"),
    ("SEL § 83", "2026-12-30", "2028-01-04"),  # 1 uge (København); yearly revisitation
    ("SEL § 84", "2027-02-17", "2028-01-04"),
    ("SEL § 85", "2027-02-17", "2027-04-04"),  # 8 uger; after 3 months (Vejle Bilag 4)
    ("SEL § 85 a", "2027-02-17", "2027-04-04"),
    ("SEL § 94", "2026-12-30", "2028-01-04"),
    ("SEL § 95", "2027-04-14", "2028-01-04"),
    ("SEL § 96", "2027-04-14", "2027-07-04"),  # BPA: 16 uger (Egedal); first within 3–6 months
    ("SEL § 97", "2027-02-17", "2028-01-04"),
    ("SEL § 98", "2027-02-17", "2028-01-04"),
    ("SEL § 99", "2027-01-05", "2027-07-04"),  # 5 hverdage past Christmas and New Year
    ("SEL § 100", "2027-04-14", "2028-01-04"),
    ("SEL § 101", "2027-01-06", "2028-01-04"),  # behandlingsgaranti: 14 dage
    ("SEL § 102", "2027-02-03", "2027-02-15"),  # 6 uger; after 6 weekly sessions
    ("SEL § 103", "2027-02-17", "2029-01-04"),  # every 2 years
    ("SEL § 104", "2027-02-17", "2029-01-04"),
    ("SEL § 107", "2027-04-14", "2027-04-04"),
    ("SEL § 108", "2027-04-14", "2027-04-04"),
    ("ABL § 105", "2027-04-14", "2027-04-04"),
    ("SEL § 109", "2027-01-06", "2027-01-18"),  # opholdsplan within 14 days, then every 14 days
    ("SEL § 110", "2027-01-06", "2027-01-18"),
    ("SUL § 141", "2027-01-06", "2027-02-15"),  # 14 dage; after 6 weeks
]


@pytest.fixture(scope="module")
def standard():
    tables = StandardTables({key: (1, (FOLDER / f"{key}.dmn").read_text(encoding="utf-8")) for key in TABLES})
    ydelser = parse_ydelser(json.loads((FOLDER / "ydelser.json").read_text(encoding="utf-8")))
    register = parse_leverandoerer(
        json.loads((FOLDER / "leverandoerer.json").read_text(encoding="utf-8")), set(ydelser.ydelser)
    )
    return load_standard(PROCESSES).with_tables(tables, Catalogue(ydelser, register))


def test_the_expectations_name_every_ydelse_of_the_catalogue(standard):
    assert sorted(y for y, _, _ in EXPECTED) == standard.ydelser()


@pytest.mark.parametrize(("ydelse", "frist", "first_opfoelgning"), EXPECTED)
def test_a_ydelse_gets_its_frist_and_first_opfoelgning(standard, ydelse, frist, first_opfoelgning):
    data = start_data(ydelse, RECEIVED, standard)
    assert local_date(datetime.fromisoformat(data["sagsbehandlingsfrist"])).isoformat() == frist
    assert add_period_text(GRANTED_FROM, data["opfoelgning_foerste"]) == first_opfoelgning


def test_108_follows_up_by_maalgruppe(standard):
    own = standard.cadence("SEL § 108", "udviklingshaemmede_vejle")
    others = standard.cadence("SEL § 108", "udviklingshaemmede_andre")
    assert add_period_text(GRANTED_FROM, own.first.label_da()) == "2029-01-04"  # every second year
    assert add_period_text(GRANTED_FROM, others.first.label_da()) == "2028-01-04"  # yearly


def test_sessions_count_with_the_bevillings_interval(standard):
    fortnightly = standard.catalogue.ydelse("SEL § 102").level("Sessioner hver 14. dag").sessionsinterval
    cadence = standard.cadence("SEL § 102", None, fortnightly)
    assert cadence.sessions == 6
    assert add_period_text(GRANTED_FROM, cadence.first.label_da()) == "2027-03-29"  # 6 sessions, 12 weeks


def test_bpa_first_opfoelgning_opens_after_three_months(standard):
    cadence = standard.cadence("SEL § 96")
    assert cadence.earliest is not None and add_period_text(GRANTED_FROM, cadence.earliest.label_da()) == "2027-04-04"
    assert cadence.described() == "første efter 6 måneder (tidligst 3 måneder), derefter hver 12 måneder"


def test_the_suggested_serviceniveau_follows_the_funktionsniveau(standard):
    tables = standard.tables
    assert [tables.suggested_serviceniveau("SEL § 85", level) for level in "ABCDE"] == [
        "Trin 1",
        "Trin 2",
        "Trin 3",
        "Trin 4",
        "Trin 5",
    ]
    assert tables.suggested_serviceniveau("SEL § 104", "C") == "60 %"
    assert tables.suggested_serviceniveau("SEL § 107", "C") is None


def test_kompetence_by_ydelse_level_and_amount(standard):
    tables = standard.tables
    assert tables.kompetence("SEL § 85", "Trin 3", None) == "sagsbehandler"
    assert tables.kompetence("SEL § 85", "Trin 3", 150_000) == "faglig_konsulent"
    assert tables.kompetence("SEL § 85", "Trin 5", 300_000) == "leder"
    assert tables.kompetence("SEL § 85", "Trin 5", 600_000) == "visitationsudvalg"
    assert tables.kompetence("SEL § 96", None, None) == "visitationsudvalg"
    assert tables.kompetence("SEL § 101", "Ambulant behandling", None) == "sagsbehandler"
    assert tables.kompetence("SEL § 101", "Døgnbehandling", None) == "leder"
