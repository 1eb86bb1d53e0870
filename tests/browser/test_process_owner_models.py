"""A procesejer works with models from other tools in the modeler: a documentation model opens, a task
moves to another lane, the modeler asks before edits are lost, problems are listed by name and a
failing sequence flow is marked, and an earlier version is made the one new cases use again."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tasks.definitions.deployment import read_forms
from tests.browser.conftest import axe_check, log_in, snap
from tests.helpers import Api

ROOT = Path(__file__).resolve().parents[2]
OWNERS = ROOT / "tests" / "processes" / "owners"
PROCESSES = ROOT / "processes"


def _deploy(client, name: str, **extra) -> dict:
    api = Api.login(client, "pia")
    bpmn = (OWNERS / name).read_text(encoding="utf-8")
    response = api.post("/process-definitions", json={"bpmn": bpmn, "forms": read_forms(OWNERS / "forms"), **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _select(page, element_id: str) -> None:
    page.locator(f'.djs-element[data-element-id="{element_id}"]').first.click()
    expect(page.locator("#element-type")).to_contain_text(element_id)


def _lane_refs(page, lane_id: str) -> list[str]:
    return page.evaluate(
        """(lane) => (window.sagsflowModeler.get('elementRegistry').get(lane).businessObject.flowNodeRef || [])
                     .map((n) => n.id)""",
        lane_id,
    )


def test_a_documentation_model_opens_in_the_modeler_a_task_moves_lane_and_it_is_deployed_again(page, client, people):
    _deploy(client, "dokumentation.bpmn")
    log_in(page, "pia")
    page.goto("/processer")
    row = page.get_by_role("table", name="Versioner af bostoette_reference").locator("tr[data-version='1']")
    expect(row).to_contain_text("Dokumentation")
    expect(row.get_by_role("button", name="Brug til nye sager (version 1 af bostoette_reference)")).to_have_count(0)
    page.get_by_role("link", name="Redigér «Bostøtte (referencemodel)» i modeller").click()
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    expect(page.locator("#modeller-version")).to_contain_text("version 1")
    expect(page.locator("#modeller-version")).to_contain_text("dokumentation")
    axe_check(page, "modelleren med en dokumentationsmodel")

    _select(page, "vurder")
    lane = page.get_by_label("Bane (rolle)")
    expect(lane).to_have_value("lane_sagsbehandler")
    expect(page.locator("#aendringer")).to_be_hidden()
    lane.select_option(label="Faglig konsulent")
    assert "vurder" in _lane_refs(page, "lane_faglig") and "vurder" not in _lane_refs(page, "lane_sagsbehandler")
    moved_y = page.evaluate("window.sagsflowModeler.get('elementRegistry').get('vurder').y")
    assert moved_y >= 240  # drawn inside the Faglig konsulent band now
    expect(page.locator("#aendringer")).to_be_visible()
    _select(page, "modtag")
    expect(page.get_by_label("Bane (rolle)")).to_have_value("lane_sagsbehandler")
    _select(page, "vurder")
    expect(page.get_by_label("Bane (rolle)")).to_have_value("lane_faglig")

    page.get_by_role("button", name="Validér").click()
    expect(page.locator("#resultat")).to_contain_text("ingen proces er eksekverbar")
    page.get_by_role("button", name="Udrul ny version").click()
    expect(page.locator("#resultat")).to_contain_text("Version 2 er udrullet som dokumentation")
    expect(page.locator("#modeller-version")).to_contain_text("version 2")
    expect(page.locator("#aendringer")).to_be_hidden()
    snap(page, "modeler_documentation_lane_moved")

    xml = (
        Api.login(client, "pia").get("/process-definitions/bostoette_reference/versions/2/bpmn").get_data(as_text=True)
    )
    faglig = xml.split('id="lane_faglig"', 1)[1].split("</bpmn:lane>", 1)[0]
    assert "<bpmn:flowNodeRef>vurder</bpmn:flowNodeRef>" in faglig


def test_leaving_the_modeler_with_edits_not_deployed_asks_first(page, client, people):
    log_in(page, "pia")
    page.goto("/processer/sagsbehandling/modeler")
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    page.locator(".breadcrumb a").click()  # nothing changed: no question (a dialog would stop the navigation)
    expect(page.get_by_role("heading", name="Processer", exact=True)).to_be_visible()

    page.goto("/processer/sagsbehandling/modeler")
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    _select(page, "udredning")
    page.get_by_label("Navn").fill("Udredning (ændret)")
    page.get_by_label("Navn").press("Tab")
    expect(page.locator("#aendringer")).to_be_visible()
    asked: list[str] = []

    def stay(dialog) -> None:  # the browser asks during the click; answering "stay" ends the click
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator(".breadcrumb a").click()
    assert asked == ["beforeunload"]
    assert page.url.endswith("/processer/sagsbehandling/modeler")  # stayed, the edit is still there
    expect(page.locator('.djs-element[data-element-id="udredning"]')).to_contain_text("Udredning (ændret)")


def test_problems_are_listed_by_name_a_failing_flow_is_marked_and_the_heading_follows_the_file(
    page, client, people, tmp_path
):
    broken = (PROCESSES / "sagsbehandling.bpmn").read_text(encoding="utf-8")
    broken = broken.replace(
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfald = "afslag"',
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${udfald == "afslag"}',
    )
    upload = tmp_path / "fra_camunda.bpmn"
    upload.write_text(broken, encoding="utf-8")
    log_in(page, "pia")
    page.goto("/processer/sagsbehandling/modeler")
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    expect(page.locator("#modeller-version")).to_contain_text("version 1 (bruges af nye sager)")
    page.set_input_files("#upload", str(upload))
    expect(page.locator("#modeller-version")).to_contain_text("indlæst fra filen fra_camunda.bpmn")
    page.get_by_role("button", name="Validér").click()
    problem = page.locator("#fejlliste li[data-element='flow_afslag']")
    expect(problem).to_contain_text("Afslag (flow_afslag):")
    expect(problem).to_contain_text("JUEL/Camunda 7")
    flow = page.locator('.djs-connection.sf-error[data-element-id="flow_afslag"] .djs-visual > path')
    expect(flow).to_be_attached()
    assert flow.evaluate("(p) => getComputedStyle(p).stroke") == "rgb(164, 22, 26)"
    problem.get_by_role("button").click()
    expect(page.locator("#element-type")).to_contain_text("flow_afslag")
    axe_check(page, "modelleren med et fejlende flow")
    snap(page, "modeler_failing_flow_marked")


def test_an_earlier_version_is_made_the_one_new_cases_use_from_the_process_list(page, client, people):
    _deploy(client, "enkel.bpmn")
    changed = (OWNERS / "enkel.bpmn").read_text(encoding="utf-8").replace("Første opgave", "Ny første opgave")
    api = Api.login(client, "pia")
    second = api.post(
        "/process-definitions", json={"bpmn": changed, "forms": read_forms(OWNERS / "forms"), "key": "Process_1"}
    )
    assert second.get_json()["version"] == 2
    log_in(page, "pia")
    page.goto("/processer")
    table = page.get_by_role("table", name="Versioner af Process_1")
    expect(table.locator("tr[data-active=true]")).to_have_attribute("data-version", "2")
    table.get_by_role("button", name="Brug til nye sager (version 1 af Process_1)").click()
    expect(page.get_by_role("status").filter(has_text="Version 1")).to_contain_text("bruges nu af nye sager")
    expect(table.locator("tr[data-active=true]")).to_have_attribute("data-version", "1")
    case = Api.login(client, "sara").open_case(process="Process_1")
    assert case["process_version"] == 1
    history = api.get("/process-definitions/Process_1/activations").get_json()
    assert (history[-1]["version"], history[-1]["activated_by"], history[-1]["reason"]) == (1, "pia", "activate")
    axe_check(page, "proceslisten efter en tilbagerulning")
