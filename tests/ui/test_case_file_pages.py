"""Issue 15's pages through Flask's test client: case list and search, the case file, notes, documents, drafts,
reassignment, due dates, klage, administration, notifications, and the smaller defects."""

from __future__ import annotations

import io

import pytest

from tests.helpers import (
    Api,
    afgoerelse,
    decided_case,
    granted_case,
    henvendelse,
    make_team,
    make_user,
    partshoering,
    udredning,
)
from tests.ui.pages import Browser, text

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "nord2", "sagsbehandler")
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    make_user(services, "karen", "faglig_konsulent", team=None)
    make_user(services, "lars", "leder", team=None)
    make_user(services, "ada", "administrator", team=None)
    make_user(services, "kc", "krisecenter", team=None)


@pytest.fixture
def api(client, people) -> Api:
    return Api.login(client, "sara")


def _access_log(client, case_id: int) -> list[dict]:
    return Api.login(client, "ada").get(f"/access-log?case_id={case_id}").get_json()


def test_the_case_list_searches_by_cpr_in_a_posted_form_and_logs_every_case_shown(client, api):
    case = api.open_case(title="Ansøgning om bostøtte", citizen={"cpr": "010203-1234", "name": "Jens Testesen"})
    api.open_case(title="Andet")
    sara = Browser.login(client, "sara")
    page = sara.get("/sager")
    assert page.status_code == 200 and case["reference"] in text(page)
    found = sara.post("/sager", {"q": "010203-1234"}, from_page="/sager")
    assert found.status_code == 200
    assert case["reference"] in text(found) and "Andet" not in text(found)
    assert "1 sag" in text(found)
    searches = [e for e in _access_log(client, case["id"]) if e["purpose"] == "ui:soegning"]
    assert len(searches) >= 2  # the list as first shown, then the search (one row per case each time)
    sorted_page = sara.post("/sager", {"q": "", "sort": "title", "retning": "op"}, from_page="/sager")
    assert text(sorted_page).index("Andet") < text(sorted_page).index("Ansøgning om bostøtte")
    assert Browser.login(client, "syd").post("/sager", {"q": "010203-1234"}, from_page="/sager").status_code == 200
    assert case["reference"] not in text(Browser.login(client, "syd").post("/sager", {"q": ""}, from_page="/sager"))


def test_the_case_page_is_the_file_completed_answers_decisions_and_timeline_filters(client, api):
    case = granted_case(api)
    sara = Browser.login(client, "sara")
    page = text(sara.get(f"/sager/{case['id']}"))
    assert "Afgørelser" in page and "Bevillinger" in page
    assert "Trin 3" in page and "Borgeren opfylder betingelserne" in page
    assert "Livsområder › Mobilitet › Niveau" in page  # the udredning's answers with the form's labels
    notes_only = text(sara.get(f"/sager/{case['id']}?vis=noter"))
    assert "Intet i denne visning" in notes_only
    letters_only = text(sara.get(f"/sager/{case['id']}?vis=breve"))
    assert "brev Afgørelse om SEL § 85" in letters_only and "Henvendelse registreret" not in letters_only


def test_a_completed_task_page_shows_what_it_was_completed_with(client, api):
    case = api.open_case()
    task_id = case["tasks"][0]["id"]
    api.complete(task_id, henvendelse())
    page = text(Browser.login(client, "sara").get(f"/opgaver/{task_id}"))
    assert "Det blev udført med" in page and "Samtykke" in page


def test_notes_are_added_from_the_case_page_and_an_empty_one_is_refused_at_the_field(client, api):
    case = api.open_case()
    sara = Browser.login(client, "sara")
    empty = sara.post(f"/sager/{case['id']}/notater", {"text": "  "}, from_page=f"/sager/{case['id']}")
    assert empty.status_code == 422 and "Skriv notatets tekst" in text(empty)
    done = sara.post(f"/sager/{case['id']}/notater", {"text": "Talt med borgeren"}, from_page=f"/sager/{case['id']}")
    assert done.status_code == 302
    assert "Talt med borgeren" in text(sara.get(f"/sager/{case['id']}?vis=noter"))
    assert len(api.get(f"/cases/{case['id']}/notes").get_json()) == 1


def test_documents_are_uploaded_and_downloaded_from_the_case_page(client, api):
    case = api.open_case()
    sara = Browser.login(client, "sara")
    token = sara.csrf(f"/sager/{case['id']}")
    wrong = client.post(
        f"/sager/{case['id']}/dokumenter",
        data={"csrf_token": token, "file": (io.BytesIO(b"hej verden"), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert wrong.status_code == 415 and "ikke en tilladt type" in text(wrong)
    done = client.post(
        f"/sager/{case['id']}/dokumenter",
        data={"csrf_token": token, "file": (io.BytesIO(PDF), "udtalelse.pdf")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    document = api.get(f"/cases/{case['id']}/documents").get_json()[0]
    download = sara.get(f"/sager/{case['id']}/dokumenter/{document['id']}")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")
    assert any(e["purpose"] == "ui:dokument" for e in _access_log(client, case["id"]))
    assert Browser.login(client, "syd").get(f"/sager/{case['id']}/dokumenter/{document['id']}").status_code == 404


def test_a_draft_is_saved_resumed_and_cleared_on_completion(client, api):
    case = api.open_case()
    api.complete(case["tasks"][0]["id"], henvendelse())
    task = api.only_task(case["id"])
    sara = Browser.login(client, "sara")
    sara.post(f"/opgaver/{task['id']}/tag", from_page="/indbakke")
    saved = sara.post(
        f"/opgaver/{task['id']}/kladde",
        {"faglig_vurdering": "Halvt skrevet vurdering", "livsomraader.mobilitet.niveau": "D"},
        from_page="/indbakke",
    )
    assert saved.status_code == 302
    page = sara.get(f"/opgaver/{task['id']}").get_data(as_text=True)
    assert "Halvt skrevet vurdering" in page and "Din kladde fra" in page
    api.complete(task["id"], udredning())
    assert api.get(f"/tasks/{task['id']}/draft").status_code == 404


def test_a_rejected_afvigelse_comes_back_prefilled_with_the_comment(client, api):
    case = api.open_case()
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}):
        api.complete(api.only_task(case["id"])["id"], data)
    api.complete(api.only_task(case["id"])["id"], afgoerelse(afvigelse=True))
    karen = Api.login(client, "karen")
    approval = karen.get("/tasks?role=faglig_konsulent").get_json()[0]
    karen.complete(approval["id"], {"godkendt": False, "kommentar": "Behovet er ikke belyst"})
    again = api.only_task(case["id"])
    assert again["name"] == "Træf afgørelse"
    html = Browser.login(client, "sara").get(f"/opgaver/{again['id']}").get_data(as_text=True)
    assert "Behovet er ikke belyst" in html
    assert "Pakke over standarden pga. særlige behov" in html  # the previous answer is back
    assert "tidligere svar" in html


def test_opret_bevilling_starts_with_the_cases_ydelse_and_ydelser_are_in_paragraph_order(client, api):
    case = decided_case(api, ydelse="SEL § 97")
    bevilling = api.only_task(case["id"])
    html = Browser.login(client, "sara").get(f"/opgaver/{bevilling['id']}").get_data(as_text=True)
    assert '<option value="SEL § 97" selected' in html
    form = Browser.login(client, "sara").get("/sager/ny").get_data(as_text=True)
    assert form.index("§ 82 a") < form.index("§ 85") < form.index("§ 100")
    assert "Socialpædagogisk støtte" in form


def test_a_task_claimed_by_a_colleague_says_who_has_it_and_a_leder_can_reassign_it(client, api):
    case = api.open_case()
    task_id = case["tasks"][0]["id"]
    api.post(f"/tasks/{task_id}/claim")
    colleague = text(Browser.login(client, "nord2").get(f"/opgaver/{task_id}"))
    assert "Opgaven er taget af sara" in colleague and "Tag opgaven for at udfylde" not in colleague
    lars = Browser.login(client, "lars")
    page = lars.get(f"/opgaver/{task_id}").get_data(as_text=True)
    assert 'value="nord2"' in page and 'value="syd"' not in page  # only colleagues who can see the case
    bad = lars.post(f"/opgaver/{task_id}/tildel", {"username": "syd"}, from_page="/overblik")
    assert bad.status_code == 422 and "Team Syd" not in text(bad) or "kan ikke se sagen" in text(bad)
    done = lars.post(f"/opgaver/{task_id}/tildel", {"username": "nord2"}, from_page="/overblik")
    assert done.status_code == 302
    assert api.get(f"/tasks/{task_id}").get_json()["assignee"] == "nord2"
    assert any("givet til dig" in n["message"] for n in Api.login(client, "nord2").get("/notifications").get_json())
    assert "Notifikationer 1" in text(Browser.login(client, "nord2").get("/indbakke"))


def test_a_due_date_change_needs_a_reason_and_shows_both_frister(client, api):
    case = api.open_case()
    for data in (henvendelse(), udredning(), partshoering()):
        api.complete(api.only_task(case["id"])["id"], data)
    task = api.only_task(case["id"])
    sara = Browser.login(client, "sara")
    missing = sara.post(f"/opgaver/{task['id']}/frist", {"due_on": "2026-12-30", "reason": ""}, from_page="/indbakke")
    assert missing.status_code == 422 and "Skriv hvorfor fristen ændres" in text(missing)
    done = sara.post(
        f"/opgaver/{task['id']}/frist", {"due_on": "2026-12-30", "reason": "Borgeren er indlagt"}, from_page="/indbakke"
    )
    assert done.status_code == 302
    page = text(sara.get(f"/opgaver/{task['id']}"))
    assert "Lovbestemt frist" in page and "30. dec. 2026" in page


def test_a_klage_is_registered_from_the_case_page_and_both_cases_link(client, api):
    case = granted_case(api)
    sara = Browser.login(client, "sara")
    form = sara.get(f"/sager/{case['id']}/klage")
    assert form.status_code == 200 and "Udførelsen af hjælpen" in text(form)
    bad = sara.post(
        f"/sager/{case['id']}/klage",
        {"subject": "afgoerelse", "received_on": "i går", "decision_received_on": "2026-11-23"},
        from_page=f"/sager/{case['id']}/klage",
    )
    assert bad.status_code == 422 and "Klagen modtaget" in text(bad)
    letters = api.get(f"/cases/{case['id']}/letters").get_json()
    letter = next(x for x in letters if x["kind"] == "afgoerelse")
    done = sara.post(
        f"/sager/{case['id']}/klage",
        {
            "subject": "afgoerelse",
            "letter_id": str(letter["id"]),
            "received_on": "2026-11-23",
            "decision_received_on": "2026-11-23",
            "complaint": "For få timer",
        },
        from_page=f"/sager/{case['id']}/klage",
    )
    assert done.status_code == 302
    klage_page = text(sara.get(done.headers["Location"]))
    assert case["reference"] in klage_page and "klagen handler om denne sag" in klage_page
    main_page = text(sara.get(f"/sager/{case['id']}"))
    assert "klage over denne sag" in main_page
    execution = sara.post(
        f"/sager/{case['id']}/klage",
        {"subject": "udfoerelse", "received_on": "2026-11-23", "complaint": "Hjælperen kommer for sent"},
        from_page=f"/sager/{case['id']}/klage",
    )
    assert execution.status_code == 302
    assert "Hjælperen kommer for sent" in text(sara.get(f"/sager/{case['id']}"))


def test_a_stay_is_registered_with_a_team_from_the_list_and_the_krisecenter_finds_it_again(client, people, services):
    make_team(services, "Team Nord")
    kc = Browser.login(client, "kc")
    form = kc.get("/ophold/nyt").get_data(as_text=True)
    assert "§ 110" not in form and 'value="Team Nord"' in form
    typo = kc.post(
        "/ophold/nyt",
        {"process": "krisecenter", "stay_started_on": "2026-11-20", "received_on": "2026-11-23", "team": "Team Nrod"},
        from_page="/ophold/nyt",
    )
    assert typo.status_code == 422 and "Kommunens team" in text(typo)
    forsorgshjem = kc.post(
        "/ophold/nyt",
        {"process": "forsorgshjem", "stay_started_on": "2026-11-20", "received_on": "2026-11-23", "team": "Team Nord"},
        from_page="/ophold/nyt",
    )
    assert forsorgshjem.status_code == 422
    done = kc.post(
        "/ophold/nyt",
        {"process": "krisecenter", "stay_started_on": "2026-11-20", "received_on": "2026-11-23", "team": "Team Nord"},
        from_page="/ophold/nyt",
    )
    assert done.status_code == 302
    case_id = int(done.headers["Location"].rsplit("/", 1)[1])
    assert f"/sager/{case_id}" in kc.get("/sager").get_data(as_text=True)
    assert Browser.login(client, "sara").get(f"/sager/{case_id}").status_code == 200


def test_a_leder_moves_a_case_to_another_team_from_its_page(client, api):
    case = api.open_case()
    lars = Browser.login(client, "lars")
    moved = lars.post(f"/sager/{case['id']}/team", {"team": "Team Syd"}, from_page=f"/sager/{case['id']}")
    assert moved.status_code == 302
    assert Browser.login(client, "syd").get(f"/sager/{case['id']}").status_code == 200
    assert Browser.login(client, "sara").get(f"/sager/{case['id']}").status_code == 404
    assert Browser.login(client, "sara").post(f"/sager/{case['id']}/team", {"team": "Team Nord"}).status_code == 403


def test_administrators_manage_users_and_teams_and_filter_the_access_log(client, api):
    case = api.open_case()
    Browser.login(client, "sara").get(f"/sager/{case['id']}")
    ada = Browser.login(client, "ada")
    made = ada.post(
        "/admin/teams", {"name": "Team Vest", "mailbox_email": "vest@kommune.invalid"}, from_page="/admin/teams"
    )
    assert made.status_code == 302 and "Team Vest" in text(ada.get("/admin/teams"))
    bad_user = ada.post("/admin/brugere", {"username": "ny", "password": "kort"}, from_page="/admin/brugere")
    assert bad_user.status_code == 422 and "Adgangskode" in text(bad_user)
    created = ada.post(
        "/admin/brugere",
        {"username": "vera", "password": "lang-nok-1", "roles": ["sagsbehandler"], "team": "Team Vest"},
        from_page="/admin/brugere",
    )
    assert created.status_code == 302
    users = Api.login(client, "ada").get("/users").get_json()
    vera = next(u for u in users if u["username"] == "vera")
    assert vera["team"] == "Team Vest"
    deactivated = ada.post(
        f"/admin/brugere/{vera['id']}",
        {"roles": ["sagsbehandler"], "team": "Team Vest", "active": "false"},
        from_page="/admin/brugere",
    )
    assert deactivated.status_code == 302
    assert client.post("/api/v1/auth/token", json={"username": "vera", "password": "lang-nok-1"}).status_code == 401
    log = text(ada.get(f"/adgangslog?sag={case['reference']}&bruger=sara"))
    assert "Sagens side" in log
    reversed_period = ada.get("/adgangslog?fra=2026-12-01&til=2026-11-01")
    assert reversed_period.status_code == 422 and "Til" in text(reversed_period)
    assert Browser.login(client, "sara").get("/admin/brugere").status_code == 403


def test_a_reversed_report_period_keeps_the_form_with_the_error_at_the_field(client, people):
    lars = Browser.login(client, "lars")
    response = lars.get("/rapporter/sagsbehandlingstider?fra=2026-12-01&til=2026-01-01")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="til-fejl"' in html and 'value="2026-12-01"' in html and "Noget gik galt" not in html


def test_the_inbox_shows_the_case_title_and_the_diagram_marks_a_loops_current_task_only_as_current(client, api):
    case = api.open_case(title="Bostøtte til Jens")
    assert "Bostøtte til Jens" in text(Browser.login(client, "sara").get("/indbakke"))
    page = Browser.login(client, "sara").get(f"/sager/{case['id']}").get_data(as_text=True)
    assert 'data-active="henvendelse" data-done=""' in page


def test_aktindsigt_from_the_case_page_is_a_pdf(client, api):
    case = api.open_case()
    response = Browser.login(client, "sara").get(f"/sager/{case['id']}/aktindsigt.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert any(e["purpose"] == "aktindsigt" for e in _access_log(client, case["id"]))
