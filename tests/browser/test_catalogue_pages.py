"""Issue 14's pages in a real browser: the handleplan and a bestilling on the case page, the visitationsudvalg's
decision, the catalogue upload, and the catalogue's choices in the bevilling form."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, log_in, snap
from tests.helpers import Api, decided_case, to_opfoelgning, to_udvalg


def test_sagsbehandler_accepts_a_handleplan_and_orders_from_the_leverandoer(page, client, people):
    api = Api.login(client, "sara")
    case = api.open_case(title="Bostøtte")
    to_opfoelgning(api, case["id"])
    log_in(page, "sara")
    page.goto(f"/sager/{case['id']}")
    expect(page.get_by_role("heading", name="Handleplan")).to_be_visible()
    axe_check(page, "sagens handleplan og bestillinger")

    page.get_by_label("Status").select_option("accepteret")
    page.get_by_role("button", name="Gem handleplan").click()  # no goal: refused
    expect(page.locator("#fejlopsummering")).to_contain_text("Skriv indsatsformål og mål")
    page.locator("#handleplan-maal-0-indsatsformaal").fill("Indkøb og madlavning")
    page.locator("#handleplan-maal-0-maal").fill("Handler selv ind to gange om ugen")
    page.get_by_role("button", name="Gem handleplan").click()
    expect(page.get_by_role("status").filter(has_text="Handleplanen er gemt (accepteret)")).to_be_visible()
    expect(page.locator("#handleplan-maalliste")).to_contain_text("Handler selv ind to gange om ugen")

    page.get_by_label("Indsats (skal udfyldes)", exact=True).fill("Støtte til indkøb")
    page.get_by_label("Formål (skal udfyldes)", exact=True).fill("Selvstændighed i hverdagen")
    page.locator("#bestilling-maal").fill("Handler selv ind")
    page.get_by_role("button", name="Opret bestilling").click()
    flash = page.get_by_role("status").filter(has_text="Bestillingen hos Center for Social Rehabilitering")
    expect(flash).to_be_visible()
    expect(page.locator("#bestillingsliste")).to_contain_text("Støtte til indkøb")
    expect(page.locator("#bestillingsliste")).to_contain_text("Afventer")
    axe_check(page, "sagen med handleplan og bestilling")
    snap(page, "case_handleplan_and_bestilling")


def test_leder_records_the_visitationsudvalgs_decision(page, client, people):
    api = Api.login(client, "sara")
    case_id = to_udvalg(api)
    reference = api.get(f"/cases/{case_id}").get_json()["reference"]
    log_in(page, "lars")
    page.get_by_role("link", name="Visitationsudvalg").click()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Afventer mødet")
    axe_check(page, "visitationsudvalgets side")

    row.get_by_label("Indstillingen følges ikke").check()
    row.get_by_role("button", name="Registrér afgørelsen").click()
    expect(page.locator("#fejlopsummering")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=reference)
    row.get_by_label("Indstillingen følges", exact=True).check()
    row.get_by_label("Kommentar").fill("Udvalget følger indstillingen")
    row.get_by_role("button", name="Registrér afgørelsen").click()
    flash = page.get_by_role("status").filter(has_text=f"Udvalgets afgørelse er registreret på {reference}")
    expect(flash).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("Indstillingen fulgt")
    assert api.only_task(case_id)["name"] == "Opret bevilling"


def test_procesejer_uploads_a_catalogue_file_after_a_refused_one(page, client, people, tmp_path):
    content = Api.login(client, "pia").get("/catalogue/ydelser").get_json()["content"]
    log_in(page, "pia")
    page.get_by_role("link", name="Katalog").click()
    expect(page.get_by_role("heading", name="Kvalitetsstandardens katalog")).to_be_visible()
    expect(page.locator("#ydelser")).to_contain_text("Socialpædagogisk støtte")
    axe_check(page, "kataloget")

    broken = tmp_path / "ydelser.json"
    broken.write_text('{\n  "ydelser": [\n    {"ydelse": "SEL § 85",}\n  ]\n}\n', encoding="utf-8")
    page.set_input_files("#fil-ydelser", str(broken))
    page.get_by_role("button", name="Udrul ydelseskataloget").click()
    expect(page.locator("#fejlopsummering")).to_contain_text("linje 3")
    axe_check(page, "kataloget med en fejl")

    content["kommune"] = "Prøve Kommune"
    good = tmp_path / "ydelser-ny.json"
    good.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("#fil-ydelser", str(good))
    page.get_by_role("button", name="Udrul ydelseskataloget").click()
    expect(page.get_by_role("status").filter(has_text="version 2 er udrullet")).to_be_visible()
    expect(page.get_by_role("heading", name="Ydelser i kataloget (Prøve Kommune)")).to_be_visible()

    page.get_by_role("button", name="Brug version 1 af ydelseskataloget").click()
    expect(page.get_by_role("status").filter(has_text="Version 1 af ydelseskataloget gælder nu")).to_be_visible()
    snap(page, "catalogue_rolled_back")


def test_the_bevilling_form_offers_the_catalogues_choices(page, client, people):
    api = Api.login(client, "sara")
    case = decided_case(api)
    task = next(t for t in api.get(f"/cases/{case['id']}").get_json()["tasks"] if t["bpmn_id"] == "bevilling")
    log_in(page, "sara")
    page.goto(f"/opgaver/{task['id']}")
    page.get_by_role("button", name="Tag opgaven").click()
    expect(page.locator("#f-pakke")).to_have_attribute("list", "f-pakke-valg")
    expect(page.locator("#f-pakke-valg option")).to_have_count(5)
    expect(page.locator("#f-leverandoer-valg option[value='Center for Social Rehabilitering']")).to_have_count(1)
    axe_check(page, "bevillingsformularen med katalogets valg")
