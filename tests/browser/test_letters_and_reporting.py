"""What a leder, an administrator and any citizen do on the letter and reporting pages: download the day's physical
post, find a failed letter and send it again, download the monthly statistics, read the published frister."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tasks.letters.digital_post import DigitalPost, DigitalPostSettings
from tests.browser.conftest import axe_check, fits_width, log_in
from tests.helpers import Api, afgoerelse, bevilling, dispatch, henvendelse, partshoering, udredning
from tests.post_office import PostOffice
from web.scheduler import make_jobs

ADDRESS = {"street": "Vestergade 12, 2. th.", "postal_code": "7100", "city": "Vejle"}
REP = {
    "name": "Bente Bisidder",
    "relation": "værge",
    "address": {"street": "Torvet 1", "postal_code": "7100", "city": "Vejle"},
}


@pytest.fixture
def post_office() -> Iterator[PostOffice]:
    office = PostOffice().start()
    yield office
    office.stop()


def _decided(api: Api, citizen: dict, **fields) -> dict:
    case = api.open_case(title="Bostøtte", citizen=citizen, **fields)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse()):
        api.complete(api.only_task(case["id"])["id"], data)
    return case


def test_a_leder_downloads_the_days_physical_post_with_an_address_page_before_each_letter(
    page, client, people, services
):
    citizen = {"cpr": "010203-1234", "name": "Test Borger", "address": ADDRESS, "digital_post_exempt": True}
    _decided(Api.login(client, "sara"), citizen, representatives=[REP])
    dispatch(services)  # the partshøring, and each with the værge's copy
    log_in(page, "lars")
    page.get_by_role("link", name="Fysisk post").click()
    expect(page.get_by_role("heading", name="Fysisk post")).to_be_visible()
    row = page.get_by_role("table", name="De seneste dage").get_by_role("row").filter(has_text="23. nov. 2026")
    expect(row.locator("td").first).to_have_text("2")
    axe_check(page, "fysisk post")
    assert fits_width(page)
    with page.expect_download() as download:
        row.get_by_role("link", name="Hent PDF").click()
    assert download.value.suggested_filename == "fysisk-post-2026-11-23.pdf"
    pages = [
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
    ]
    address_pages = [p for p in pages if p.startswith("Afsender:")]
    assert len(address_pages) == 2 and "Test Borger" in address_pages[0] and "7100 Vejle" in address_pages[0]
    assert "Bente Bisidder" in address_pages[1] and "Torvet 1" in address_pages[1]
    assert any("KOPI til Bente Bisidder (værge)" in p for p in pages)
    assert "010203" not in " ".join(pages)


def test_a_leder_finds_a_failed_letter_on_brevproblemer_and_sends_it_again(page, client, people, services, post_office):
    case = _decided(Api.login(client, "sara"), {"name": "Uden Cpr"})  # Digital Post needs a CPR number
    transport = DigitalPost(DigitalPostSettings(url=post_office.url, sender_cvr="29189889", timeout_seconds=5))
    assert dispatch(services, transport).failed == 1
    log_in(page, "lars")
    page.get_by_role("link", name="Brevproblemer").click()
    table = page.get_by_role("table", name="Breve på tværs af teams")
    row = table.get_by_role("row").filter(has_text="Partshøring")
    expect(row).to_contain_text(case["reference"])
    expect(row).to_contain_text("intet CPR-nummer")
    expect(row).to_contain_text("Team Nord")
    assert "Uden" not in page.url and all("Uden" not in (a or "") for a in _links(page))
    axe_check(page, "brevproblemer")
    row.get_by_role("button", name="Send igen").click()
    expect(page.get_by_text("sendes igen ved næste afsendelse")).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Partshøring")).to_have_count(0)
    expect(table).to_contain_text("Ingen brevproblemer")
    journal = Api.login(client, "sara").get(f"/cases/{case['id']}/journal").get_json()
    assert any(e["action"] == "letter_resent" and e["actor"] == "lars" for e in journal)


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href], form[action]", "els => els.map(e => e.href || e.action)")


def test_a_leder_downloads_last_months_statistics(page, client, people, services, clock, settings):
    api = Api.login(client, "sara")
    case = _decided(api, {"cpr": "010203-1234", "name": "Test Borger"})
    api.complete(api.only_task(case["id"])["id"], bevilling())  # SEL § 85 from 4 January 2027
    clock.set(datetime(2027, 2, 1, 7, 0, tzinfo=UTC))
    make_jobs(services, settings).statistics()
    log_in(page, "lars")
    page.get_by_role("link", name="Statistik").click()
    expect(page.get_by_role("heading", name="Månedlig statistik")).to_be_visible()
    row = page.get_by_role("table", name="Dannede filer").get_by_role("row").filter(has_text="2027-01")
    expect(row).to_contain_text("11")  # a row for every reported paragraph
    axe_check(page, "statistik")
    with page.expect_download() as download:
        row.get_by_role("link", name="Hent CSV").click()
    csv = download.value.path().read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0] == "Måned;Paragraf;Målgruppe;Personer;Bevillinger startet;Bevillinger ophørt"
    assert "2027-01;SEL § 85;uoplyst;1;1;0" in csv.splitlines()
    assert "010203" not in csv and "Test Borger" not in csv


def test_anyone_reads_the_published_sagsbehandlingsfrister_without_logging_in(page):
    page.goto("/sagsbehandlingsfrister")
    expect(page).to_have_url(re.compile(r"/sagsbehandlingsfrister$"))  # no redirect to the login page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sagsbehandlingsfrister")
    table = page.get_by_role("table", name="Frister på det specialiserede voksenområde (serviceloven)")
    expect(table.get_by_role("row").filter(has_text="§ 85 Socialpædagogisk støtte").locator("td")).to_have_text(
        "8 uger"
    )
    expect(table.get_by_role("row").filter(has_text="§ 96").locator("td")).to_have_text("16 uger")
    axe_check(page, "de offentliggjorte frister")
    page.set_viewport_size({"width": 390, "height": 844})
    assert fits_width(page)  # a citizen reads it on a phone
