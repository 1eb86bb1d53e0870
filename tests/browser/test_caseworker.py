"""A sagsbehandler and a faglig konsulent at work in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import axe_check, fits_width, log_in, snap
from tests.helpers import Api, afgoerelse, henvendelse, partshoering, udredning

LIFE_AREAS_DA = [
    "Kommunikation",
    "Egenomsorg",
    "Mobilitet",
    "Praktiske opgaver",
    "Sundhed",
    "Samfundsliv",
    "Socialt liv",
    "Omgivelser",
]


def _case_at_udredning(client) -> dict:
    api = Api.login(client, "sara")
    case = api.open_case(title="Ansøgning om bostøtte")
    api.complete(case["tasks"][0]["id"], henvendelse())
    return case


def test_sagsbehandler_claims_and_completes_udredning_after_a_validation_error(page, client, people):
    case = _case_at_udredning(client)
    log_in(page, "sara")
    expect(page.get_by_role("heading", name="Indbakke")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Udredning (VUM 2.0)")
    expect(row).to_contain_text(case["reference"])
    axe_check(page, "indbakken")

    row.get_by_role("link", name="Udredning (VUM 2.0)").click()
    page.get_by_role("button", name="Tag opgaven").click()
    expect(page.get_by_role("status").filter(has_text="Du har taget opgaven")).to_be_visible()

    # First attempt: only one life area and no faglig vurdering -> errors next to the fields.
    page.locator("#f-livsomraader-kommunikation-niveau").select_option("C")
    page.get_by_role("button", name="Udfør opgaven").click()
    summary = page.locator("#fejlopsummering")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Faglig vurdering: Feltet skal udfyldes")
    expect(summary).to_contain_text("Livsområder › Mobilitet › Niveau: Feltet skal udfyldes")
    expect(page.locator("#f-faglig_vurdering-fejl")).to_have_text(re.compile("Feltet skal udfyldes"))
    expect(page.locator("#f-livsomraader-kommunikation-niveau")).to_have_value("C")  # kept
    axe_check(page, "opgaven med valideringsfejl")
    snap(page, "task_form_validation_errors")

    for area in LIFE_AREAS_DA:
        page.get_by_role("group", name=area).get_by_label("Niveau").select_option("C")
    page.get_by_label("Faglig vurdering").fill("Moderat nedsat funktionsevne; støtte anbefales")
    page.get_by_role("group", name="Måltype").get_by_label("Udvikle funktionsevne").check()
    page.get_by_role("button", name="Udfør opgaven").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Send partshøring")
    expect(page.get_by_role("status").filter(has_text="«Udredning (VUM 2.0)» er udført")).to_be_visible()


def test_case_page_shows_timeline_and_the_diagram_position(page, client, people):
    case = _case_at_udredning(client)
    log_in(page, "sara")
    page.goto(f"/sager/{case['id']}")
    expect(page.get_by_role("heading", name="Tidslinje")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Henvendelse registreret")
    expect(page.locator("#diagram[data-ready=true]")).to_be_attached()
    expect(page.locator('.djs-element.sf-active[data-element-id="udredning"]')).to_be_attached()
    expect(page.locator('.djs-element.sf-done[data-element-id="henvendelse"]')).to_be_attached()
    axe_check(page, "sagen")


def test_faglig_konsulent_approves_an_afvigelse(page, client, people):
    api = Api.login(client, "sara")
    case = _case_at_udredning(client)
    api.complete(api.only_task(case["id"])["id"], udredning())
    api.complete(api.only_task(case["id"])["id"], partshoering())
    api.complete(api.only_task(case["id"])["id"], {"svar_modtaget": "2026-11-30"})
    api.complete(api.only_task(case["id"])["id"], afgoerelse(afvigelse=True))

    log_in(page, "karen")
    expect(page.get_by_role("heading", name="Godkendelser")).to_be_visible()
    axe_check(page, "godkendelseskøen")
    page.get_by_role("row").filter(has_text=case["reference"]).get_by_role("link", name="Godkend afvigelse").click()
    expect(page.locator(".context")).to_contain_text("Pakke over standarden pga. særlige behov")
    page.get_by_role("button", name="Tag opgaven").click()
    page.get_by_role("group", name="Afvigelsen godkendes").get_by_label("Ja").check()
    page.get_by_label("Kommentar").fill("Godkendt: særlige behov er dokumenteret")
    page.get_by_role("button", name="Udfør opgaven").click()

    expect(page.get_by_role("status").filter(has_text="«Godkend afvigelse» er udført")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case["reference"])
    expect(page.locator(".timeline")).to_contain_text("Godkend afvigelse")
    assert api.only_task(case["id"])["name"] == "Opret bevilling"


def test_inbox_works_on_a_tablet(page, client, people):
    _case_at_udredning(client)
    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(page, "sara")
    expect(page.get_by_role("link", name="Udredning (VUM 2.0)")).to_be_visible()
    assert fits_width(page)
    page.get_by_role("link", name="Udredning (VUM 2.0)").click()
    page.wait_for_url(re.compile(r"/opgaver/\d+$"))  # measure the task page, not the page being left
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert fits_width(page)


def test_sagsbehandler_registers_a_henvendelse(page, client, people):
    log_in(page, "sara")
    page.get_by_role("link", name="Ny henvendelse").click()
    axe_check(page, "ny henvendelse")
    page.get_by_label("Emne").fill("Ansøgning om støtte-kontaktperson")
    page.get_by_label("Ydelse").select_option("SEL § 85")
    page.get_by_label("CPR-nummer").fill("010203-1234")
    page.get_by_role("button", name="Opret").click()
    expect(page.get_by_role("status").filter(has_text="er oprettet")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ansøgning om støtte-kontaktperson")
    expect(page.get_by_role("link", name="Vurdér henvendelse")).to_be_visible()
