"""A process owner edits a diagram in the bpmn-js modeler, deploys version 2, and is refused a broken one."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, fits_width, log_in, snap
from tests.helpers import Api

PROCESSES = Path(__file__).resolve().parents[2] / "processes"


def _select(page, element_id: str) -> None:
    page.locator(f'.djs-element[data-element-id="{element_id}"]').first.click()
    expect(page.locator("#element-type")).to_contain_text(element_id)


def test_rename_a_task_deploy_version_2_while_a_running_case_stays_on_version_1(page, client, people):
    running = Api.login(client, "sara").open_case(title="Startet før ændringen")
    log_in(page, "pia")
    expect(page.get_by_role("heading", name="Processer")).to_be_visible()
    axe_check(page, "proceslisten")
    page.get_by_role("link", name="Redigér «Sagsbehandling (voksne, Serviceloven)» i modelleren").click()
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    axe_check(page, "modelleren")

    _select(page, "udredning")
    page.get_by_label("Navn").fill("Udredning og faglig vurdering")
    page.get_by_label("Navn").press("Tab")
    page.get_by_role("button", name="Validér").click()
    expect(page.locator("#resultat")).to_contain_text("Diagrammet er gyldigt")
    expect(page.locator('.djs-element[data-element-id="udredning"]')).to_contain_text("Udredning og faglig vurdering")
    page.get_by_role("button", name="Udrul ny version").click()
    expect(page.locator("#resultat")).to_contain_text("Version 2 er udrullet")
    snap(page, "modeler_version_2_deployed")

    page.goto("/processer")
    table = page.get_by_role("table", name="Versioner af sagsbehandling")
    expect(table.locator("tr[data-version='2']")).to_contain_text("pia")
    expect(table.locator("tr[data-version='1'] td.num")).to_have_text("1")  # the running case
    expect(table.locator("tr[data-version='2'] td.num")).to_have_text("0")

    api = Api.login(client, "sara")
    assert api.get(f"/cases/{running['id']}").get_json()["process_version"] == 1
    new = api.open_case(title="Startet efter ændringen")
    assert new["process_version"] == 2
    page.goto(f"/sager/{running['id']}")
    expect(page.get_by_role("heading", name="Siden findes ikke")).to_be_visible()  # a procesejer sees no cases


def test_a_broken_diagram_is_marked_and_nothing_is_deployed(page, client, people, tmp_path):
    broken = (PROCESSES / "sagsbehandling.bpmn").read_text(encoding="utf-8")
    broken = broken.replace('name="Faglig konsulent"', 'name="Kaffeholdet"')
    upload = tmp_path / "sagsbehandling.bpmn"
    upload.write_text(broken, encoding="utf-8")

    log_in(page, "pia")
    page.goto("/processer/sagsbehandling/modeler")
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    page.set_input_files("#upload", str(upload))
    expect(page.locator("#resultat")).to_contain_text("er indlæst")
    page.get_by_role("button", name="Validér").click()
    expect(page.locator("#resultat")).to_contain_text("Diagrammet er ikke gyldigt")
    expect(page.locator('.djs-element.sf-error[data-element-id="godkend_afvigelse"]')).to_be_attached()
    page.get_by_role("button", name="Udrul ny version").click()

    expect(page.locator("#resultat")).to_contain_text("Diagrammet blev afvist")
    problem = page.locator("#fejlliste li[data-element='godkend_afvigelse']")
    expect(problem).to_contain_text("Kaffeholdet")
    expect(page.locator('.djs-element.sf-error[data-element-id="godkend_afvigelse"]')).to_be_attached()
    axe_check(page, "modelleren med fejl")
    snap(page, "modeler_broken_diagram_marked")
    page.goto("/processer")
    expect(page.locator("tr[data-version='2']")).to_have_count(0)


def test_modeler_on_a_tablet(page, client, people):
    page.set_viewport_size({"width": 800, "height": 1100})
    log_in(page, "pia")
    page.goto("/processer/sagsbehandling/modeler")
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    assert fits_width(page)
