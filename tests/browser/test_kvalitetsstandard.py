"""A process owner changes the opfølgningskadence in the DMN editor; new cases get it, old keep theirs."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, log_in, snap
from tests.helpers import Api


def test_edit_a_decision_table_cell_and_deploy_version_2(page, client, people):
    sara = Api.login(client, "sara")
    before = sara.open_case(title="Før", ydelse="SEL § 85")
    log_in(page, "pia")
    page.get_by_role("link", name="Kvalitetsstandard").click()
    axe_check(page, "kvalitetsstandardens tabeller")
    page.get_by_role("link", name="Redigér «Opfølgningskadence pr. ydelse»").click()
    expect(page.locator("#dmn[data-ready=true]")).to_be_attached()
    cell = page.locator('[data-element-id="r5_foerste"]')
    expect(cell).to_contain_text('"3 måneder"')
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type('"2 måneder"')
    page.locator("h1").click()  # leave the cell
    expect(cell).to_contain_text('"2 måneder"')
    axe_check(page, "DMN-editoren")
    page.get_by_role("button", name="Udrul ny version").click()
    expect(page.locator("#resultat")).to_contain_text("Version 2 er udrullet")
    snap(page, "dmn_editor_version_2_deployed")

    after = sara.open_case(title="Efter", ydelse="SEL § 85")
    assert after["kvalitetsstandard"]["opfoelgningskadence"] == 2
    assert sara.get(f"/cases/{before['id']}").get_json()["kvalitetsstandard"]["opfoelgningskadence"] == 1


def test_a_refused_table_shows_the_problem(page, client, people):
    log_in(page, "pia")
    page.goto("/kvalitetsstandard/sagsbehandlingsfrist/editor")
    expect(page.locator("#dmn[data-ready=true]")).to_be_attached()
    cell = page.locator('[data-element-id="r3_frist"]')
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type('"en uge eller to"')
    page.locator("h1").click()
    page.get_by_role("button", name="Udrul ny version").click()
    expect(page.locator("#resultat")).to_contain_text("Tabellen blev afvist")
    expect(page.locator("#fejlliste li[data-element='regel_3']")).to_contain_text("en uge eller to")
