"""A leder's overview of frister and the sagsbehandlingstider report with chart and CSV."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, fits_width, log_in
from tests.helpers import Api, afgoerelse, henvendelse, partshoering, udredning


def _decided_case(api: Api) -> dict:
    case = api.open_case(title="Afgjort sag", ydelse="SEL § 85")
    api.complete(case["tasks"][0]["id"], henvendelse())
    api.complete(api.only_task(case["id"])["id"], udredning())
    api.complete(api.only_task(case["id"])["id"], partshoering())
    api.complete(api.only_task(case["id"])["id"], {"svar_modtaget": "2026-11-30"})
    api.complete(api.only_task(case["id"])["id"], afgoerelse())
    return case


def test_overview_counts_overdue_frister_by_team_and_ydelse(page, client, people, clock):
    api = Api.login(client, "sara")
    overdue = api.open_case(title="Gammel sag", ydelse="SEL § 83")  # 1 uge
    api.open_case(title="Ny sag", ydelse="SEL § 85")
    clock.advance(days=10)
    log_in(page, "lars")
    expect(page.get_by_role("heading", name="Overblik over frister")).to_be_visible()
    by_ydelse = page.get_by_role("table", name="Frister pr. ydelse")
    overdue_83 = int(by_ydelse.get_by_role("row").filter(has_text="SEL § 83").locator("td").first.inner_text())
    overdue_85 = int(by_ydelse.get_by_role("row").filter(has_text="SEL § 85").locator("td").first.inner_text())
    assert overdue_83 >= 1 and overdue_85 == 0  # 1 uge has passed, 8 uger have not
    by_team = page.get_by_role("table", name="Frister pr. team")
    overdue_team = int(by_team.get_by_role("row").filter(has_text="Team Nord").locator("td").first.inner_text())
    assert overdue_team == overdue_83 + overdue_85
    overdue_rows = page.get_by_role("table", name="Overskredne frister, ældste først").get_by_role("row")
    expect(overdue_rows.filter(has_text="sagsbehandlingsfrist 1 uge for SEL § 83")).to_contain_text(
        overdue["reference"]
    )
    axe_check(page, "overblikket")


def test_report_shows_processing_times_against_the_frist_and_exports_csv(page, client, people, clock):
    api = Api.login(client, "sara")
    _decided_case(api)
    clock.advance(days=3)
    log_in(page, "lars")
    page.goto("/rapporter/sagsbehandlingstider")
    row = page.get_by_role("row").filter(has_text="SEL § 85")
    expect(row).to_contain_text("8 uger")
    expect(row).to_contain_text("1 (100 %)")
    expect(page.locator("#tider-diagram")).to_be_visible()
    axe_check(page, "rapporten")
    assert fits_width(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent som CSV").click()
    csv = download.value.path().read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith("Ydelse;Offentliggjort frist")
    assert csv.splitlines()[1].startswith("SEL § 85;8 uger;56;1;1;100,0")
