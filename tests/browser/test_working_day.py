"""A caseworker's whole working day in Chromium (issue 15): find a case by CPR, read back a completed udredning,
add a note, upload and open a document, save a draft and resume it, reassign a task, register a klage, register
a stay choosing a team that then sees it; the idle-logout warning; administration.  axe-core on every new page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, log_in, snap
from tests.helpers import Api, granted_case, henvendelse, make_team, make_user, udredning

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CPR = "010190-1234"


@pytest.fixture
def colleagues(services, people):
    make_user(services, "nora", "sagsbehandler")
    make_user(services, "kc", "krisecenter", team=None)
    make_user(services, "ada", "administrator", team=None)
    make_team(services, "Team Syd")


def _case_after_udredning(client) -> dict:
    api = Api.login(client, "sara")
    case = api.open_case(title="Ansøgning om bostøtte", citizen={"cpr": CPR, "name": "Jens Testesen"})
    api.complete(case["tasks"][0]["id"], henvendelse())
    api.complete(api.only_task(case["id"])["id"], udredning())
    return case


def test_find_a_case_by_cpr_read_the_udredning_add_a_note_and_a_document(page, client, colleagues):
    case = _case_after_udredning(client)
    log_in(page, "sara")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Sager").click()
    expect(page.get_by_role("heading", name="Sager", level=1)).to_be_visible()
    axe_check(page, "sagslisten")
    page.get_by_label("Søg").fill(CPR)
    page.get_by_role("button", name="Søg", exact=True).click()
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(2)  # header and the one case
    assert CPR.replace("-", "") not in page.url and CPR not in page.url
    snap(page, "day_search_by_cpr")
    page.get_by_role("link", name=case["reference"]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ansøgning om bostøtte")

    page.get_by_role("navigation", name="Filtrér tidslinjen").get_by_role("link", name="Udførte opgaver").click()
    page.get_by_text("Udredning (VUM 2.0) er udført").click()
    expect(page.locator(".timeline")).to_contain_text("Livsområder › Mobilitet › Niveau")
    expect(page.locator(".timeline")).to_contain_text("Kan selv handle ind inden 6 måneder")
    axe_check(page, "sagen med udførte opgaver")

    page.get_by_label("Nyt journalnotat").fill("Borgeren ringede; ønsker møde i næste uge")
    page.get_by_role("button", name="Tilføj notat").click()
    expect(page.get_by_role("status").filter(has_text="Journalnotatet er tilføjet")).to_be_visible()
    expect(page.locator(".notes")).to_contain_text("ønsker møde i næste uge")

    page.get_by_label("Læg et dokument på sagen").set_input_files(
        files=[{"name": "lægeerklæring.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Læg på sagen").click()
    expect(page.get_by_role("status").filter(has_text="er lagt på sagen")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="lægeerklæring.pdf").first.click()
    assert download.value.suggested_filename == "lægeerklæring.pdf"
    assert open(download.value.path(), "rb").read() == PDF
    axe_check(page, "sagen med notat og dokument")
    snap(page, "day_case_file")


def test_save_a_draft_resume_it_and_reassign_the_task(page, client, colleagues):
    case = _case_after_udredning(client)
    task = Api.login(client, "sara").only_task(case["id"])
    log_in(page, "sara")
    page.goto(f"/opgaver/{task['id']}")
    page.get_by_role("button", name="Tag opgaven").click()
    page.get_by_label("Oplysninger sendt i høring").fill("Udredningen og lægens udtalelse")
    page.get_by_role("button", name="Gem kladde").click()
    expect(page.get_by_role("status").filter(has_text="Kladden er gemt")).to_be_visible()
    page.get_by_role("link", name="Indbakke").first.click()
    page.get_by_role("link", name="Send partshøring").click()
    expect(page.get_by_text(re.compile("Din kladde fra"))).to_be_visible()
    expect(page.get_by_label("Oplysninger sendt i høring")).to_have_value("Udredningen og lægens udtalelse")
    axe_check(page, "opgaven med kladde, fordeling og frist")
    snap(page, "day_draft_resumed")

    page.get_by_label("Giv opgaven til").select_option("nora")
    page.get_by_role("button", name="Giv opgaven videre").click()
    expect(page.get_by_role("status").filter(has_text="Opgaven er givet til nora")).to_be_visible()
    expect(page.get_by_text("Opgaven er taget af nora.")).to_be_visible()

    log_in(page, "nora")
    expect(page.get_by_role("link", name=re.compile("Notifikationer 1"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Notifikationer")).click()
    expect(page.locator(".notifications")).to_contain_text("«Send partshøring» er givet til dig af sara")
    axe_check(page, "notifikationerne")


def test_register_a_klage_from_the_case_page_and_see_both_cases_linked(page, client, colleagues):
    case = granted_case(Api.login(client, "sara"), citizen={"cpr": CPR, "name": "Jens Testesen"})
    log_in(page, "sara")
    page.goto(f"/sager/{case['id']}")
    page.get_by_role("link", name="Registrér klage").click()
    axe_check(page, "klageformularen")
    page.get_by_role("group", name=re.compile("Hvad klages der over")).get_by_label("En afgørelse").check()
    page.get_by_label("Hvad borgeren klager over").fill("Borgeren mener, at 3 timer om ugen er for lidt")
    page.get_by_role("button", name="Registrér klagen").click()
    expect(page.get_by_role("status").filter(has_text="Klagen er registreret")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Klage over afgørelse")
    linked = page.get_by_role("region", name="Tilknyttede sager")
    expect(linked).to_contain_text("klagen handler om denne sag")
    linked.get_by_role("link", name=case["reference"]).click()
    expect(page.get_by_role("region", name="Tilknyttede sager")).to_contain_text("klage over denne sag")
    snap(page, "day_klage_linked")


def test_a_stay_registered_with_a_chosen_team_is_seen_by_that_team(page, client, colleagues):
    log_in(page, "kc")
    page.get_by_role("link", name="Registrér ophold").click()
    expect(page.get_by_text("§ 110")).to_have_count(0)
    page.get_by_label("Opholdet begyndte").fill("2026-11-20")
    page.get_by_role("group", name=re.compile("Kommunens team")).get_by_label("Team Nord").check()
    axe_check(page, "registrér ophold")
    page.get_by_role("button", name="Opret").click()
    expect(page.get_by_role("status").filter(has_text="er oprettet")).to_be_visible()
    reference = re.search(r"SAG-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text()).group(0)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Sager").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()  # the krisecenter finds its stay again

    log_in(page, "sara")
    page.get_by_role("link", name="Indbakke").first.click()
    expect(page.get_by_role("row").filter(has_text=reference)).to_contain_text("Tilbyd koordinerende rådgivning")
    snap(page, "day_stay_seen_by_team")


def test_the_idle_logout_is_announced_before_it_happens(page, client, colleagues):
    page.clock.install()
    log_in(page, "sara")
    box = page.get_by_role("alertdialog", name="Du bliver snart logget ud")
    expect(box).to_be_hidden()
    page.clock.run_for(int(timedelta(minutes=28, seconds=30).total_seconds() * 1000))
    expect(box).to_be_visible()
    axe_check(page, "advarslen om automatisk log ud")
    snap(page, "day_idle_warning")
    box.get_by_role("button", name="Forbliv logget ind").click()
    expect(box).to_be_hidden()


def test_administration_pages(page, client, colleagues):
    sara = Api.login(client, "sara")
    case = sara.open_case()
    sara.get(f"/cases/{case['id']}")
    log_in(page, "ada")
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Brugere")).to_be_visible()
    axe_check(page, "brugerne")
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Teams").click()
    page.get_by_label("Navn", exact=True).last.fill("Team Vest")
    page.get_by_role("button", name="Opret team").click()
    expect(page.get_by_role("status").filter(has_text="Team Vest er oprettet")).to_be_visible()
    axe_check(page, "teams")
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Adgangslog").click()
    page.get_by_label("Sag (sagsnummer)").fill(case["reference"])
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("table")).to_contain_text(case["reference"])
    axe_check(page, "adgangsloggen")
    snap(page, "day_access_log")


def test_bpmn_and_dmn_editors_speak_danish(page, client, colleagues):
    log_in(page, "pia")
    page.goto("/processer/sagsbehandling/modeler")
    expect(page.locator("#canvas[data-ready=true]")).to_be_attached()
    titles = page.locator(".djs-palette .entry").evaluate_all(
        "(entries) => entries.map((e) => e.getAttribute('aria-label') || '')"
    )
    assert any(t.startswith("Opret starthændelse") for t in titles), titles
    assert any(t.startswith("Aktivér håndværktøjet") for t in titles), titles
    page.goto("/kvalitetsstandard/sagsbehandlingsfrist/editor")
    expect(page.locator("#dmn[data-ready=true]")).to_be_attached()
    expect(page.locator(".dmn-decision-table-container")).to_contain_text("Hitpolitik:")
    expect(page.locator(".dmn-decision-table-container")).to_contain_text("Når")
    expect(page.locator(".dmn-decision-table-container")).not_to_contain_text("Hit policy")
