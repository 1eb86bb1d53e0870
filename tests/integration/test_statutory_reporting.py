"""Statutory reporting (issue 20): the monthly statistics file from the bevillinger, produced once by the
scheduler and downloadable; and the public sagsbehandlingsfrister page made from the table every new case reads."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from tasks.bevillinger.model import Bevilling, BevillingStatus
from tasks.reports.statistics import produce_due
from tests.helpers import Api, afgoerelse, bevilling, henvendelse, make_user, partshoering, udredning
from tests.ui.pages import Browser
from web.scheduler import make_jobs

FEBRUARY = datetime(2027, 2, 1, 7, 0, tzinfo=UTC)


@pytest.fixture
def leder(services, client) -> Api:
    make_user(services, "lene", "leder")
    return Api.login(client, "lene")


def _granted(api: Api, cpr: str) -> int:
    case = api.open_case(title="Bostøtte", citizen={"cpr": cpr, "name": "Test Borger"})
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse()):
        api.complete(api.only_task(case["id"])["id"], data)
    api.complete(api.only_task(case["id"])["id"], bevilling())  # SEL § 85 from 4 January 2027
    return case["id"]


def _add(services, case_id: int, ydelse: str, start: date, slut: date | None) -> None:
    with services.uow() as uow:
        status = BevillingStatus.OPHOERT if slut else BevillingStatus.AKTIV
        row = Bevilling(case_id=case_id, ydelse=ydelse, serviceniveau="", omfang="", leverandoer="x", start=start)
        row.slut, row.status, row.created_at = slut, status, services.clock.now()
        uow.session.add(row)
        uow.commit()


def test_the_scheduler_makes_last_months_statistics_once_and_a_leder_downloads_it(
    sara, leder, services, clock, client, settings
):
    first = _granted(sara, "010203-1234")
    _granted(sara, "020304-2345")
    _add(services, first, "SEL § 108", date(2026, 6, 1), date(2027, 1, 15))  # ended in January
    _add(services, first, "SEL § 82 a", date(2027, 1, 1), None)  # not a reported paragraph
    _add(services, first, "SEL § 104", date(2026, 1, 1), date(2026, 12, 31))  # ended before January
    clock.set(FEBRUARY)
    make_jobs(services, settings).statistics()
    assert produce_due(services.uow(), clock.now()) is None  # made once, whichever scheduler asks again
    leder, sara = Api.login(client, "lene"), Api.login(client, "sara")
    (delivery,) = leder.get("/statistics").get_json()
    assert delivery["month"] == "2027-01"
    response = leder.get("/statistics/2027-01.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = {r.split(";")[1]: r.split(";") for r in text.splitlines()[1:]}
    assert text.splitlines()[0] == "Måned;Paragraf;Målgruppe;Personer;Bevillinger startet;Bevillinger ophørt"
    assert rows["SEL § 85"] == ["2027-01", "SEL § 85", "uoplyst", "2", "2", "0"]
    assert rows["SEL § 108"] == ["2027-01", "SEL § 108", "uoplyst", "1", "0", "1"]
    assert rows["SEL § 104"][3:] == ["0", "0", "0"]
    assert list(rows) == [
        "SEL § 82 b", "SEL § 85", "SEL § 95", "SEL § 96", "SEL § 97", "SEL § 98",
        "SEL § 102", "SEL § 103", "SEL § 104", "SEL § 107", "SEL § 108",
    ]  # fmt: skip
    assert not re.search(r"\d{6}-?\d{4}", text)  # persons are counted, never named
    assert sara.get("/statistics").status_code == 403
    bad = leder.get("/statistics/januar.csv")
    assert bad.status_code == 422 and "month" in bad.get_json()["errors"]
    assert leder.get("/statistics/2026-12.csv").status_code == 404


def test_the_statistics_page_lists_the_files_for_a_leder(services, clock, client, settings):
    make_user(services, "lene", "leder")
    clock.set(FEBRUARY)
    make_jobs(services, settings).statistics()
    browser = Browser.login(client, "lene")
    page = browser.get("/statistik").get_data(as_text=True)
    assert "2027-01" in page and "Hent CSV" in page
    assert browser.get("/statistik/2027-01.csv").status_code == 200


def test_the_published_frister_are_public_and_follow_the_table_every_new_case_reads(services, client, sara):
    page = client.get("/sagsbehandlingsfrister")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r"§ 85[^<]*</th><td>8 uger</td>", html) and re.search(r"§ 96[^<]*</th><td>16 uger</td>", html)
    assert "Alle andre ydelser" not in html  # no default row: a ydelse the catalogue does not know is refused
    assert client.get("/api/v1/sagsbehandlingsfrister").status_code == 200  # no token needed

    make_user(services, "pia", "procesejer", team=None)
    owner = Api.login(client, "pia")
    xml = owner.get("/decisions/sagsbehandlingsfrist").get_json()["dmn_xml"]
    changed = xml.replace('<outputEntry id="r5_frist"><text>"8 uger"', '<outputEntry id="r5_frist"><text>"10 uger"')
    assert owner.post("/decisions", json={"dmn": changed}).status_code == 201

    html = client.get("/sagsbehandlingsfrister").get_data(as_text=True)
    assert re.search(r"§ 85[^<]*</th><td>10 uger</td>", html) and "version 2" in html
    published = client.get("/api/v1/sagsbehandlingsfrister").get_json()
    assert {"ydelse": "SEL § 85", "frist": "10 uger"}.items() <= next(
        f for f in published["frister"] if f["ydelse"] == "SEL § 85"
    ).items()
    case = sara.open_case(title="Efter ændringen", ydelse="SEL § 85")
    r1 = next(d for d in case["deadlines"] if d["rule_id"] == "R1")
    assert r1["due"].startswith("2027-02-01")  # 10 weeks from Monday 23 November: what the page says
