"""Issue 15's API contract: search, completed task data, notes, documents, teams, klage links, aktindsigt."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from tests.helpers import Api, afgoerelse, decided_case, granted_case, henvendelse, make_team, make_user, udredning

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


@pytest.fixture
def admin(services, client) -> Api:
    make_user(services, "ada", "administrator", team=None)
    return Api.login(client, "ada")


@pytest.fixture
def syd(services, client) -> Api:
    make_user(services, "sven", "sagsbehandler", team="Team Syd")
    return Api.login(client, "sven")


def _log(admin: Api, case_id: int) -> list[dict]:
    return admin.get(f"/access-log?case_id={case_id}").get_json()


def test_search_finds_by_cpr_reference_name_and_title_and_logs_each_case_shown(sara, syd, admin):
    case = sara.open_case(title="Ansøgning om bostøtte", citizen={"cpr": "010203-1234", "name": "Jens Testesen"})
    other = sara.open_case(title="Ledsagelse", ydelse="SEL § 97")
    for q in ("0102031234", "010203-1234", case["reference"], "testesen", "bostøtte"):
        response = sara.post("/cases/search", json={"q": q})
        assert response.status_code == 200, response.get_json()
        assert [c["reference"] for c in response.get_json()] == [case["reference"]], q
        assert response.headers["X-Total-Count"] == "1"
    assert [c["id"] for c in sara.post("/cases/search", json={"ydelse": "SEL § 97"}).get_json()] == [other["id"]]
    assert len(sara.post("/cases/search", json={"q": "", "limit": 1}).get_json()) == 1
    hit = sara.post("/cases/search", json={"q": "010203-1234"}).get_json()[0]
    assert hit["citizen"] == {"cpr": "010203-1234", "name": "Jens Testesen"}
    searches = [e for e in _log(admin, case["id"]) if e["purpose"] == "api:soegning" and e["username"] == "sara"]
    assert len(searches) >= 6


def test_another_teams_search_returns_nothing_and_logs_nothing(sara, syd, admin):
    case = sara.open_case(citizen={"cpr": "010203-1234", "name": "Jens Testesen"})
    for body in ({"q": "010203-1234"}, {"q": case["reference"]}, {}, {"team": "Team Nord"}):
        response = syd.post("/cases/search", json=body)
        assert response.status_code == 200
        assert response.get_json() == []
    assert not [e for e in _log(admin, case["id"]) if e["username"] == "sven"]


def test_search_refuses_bad_input_naming_the_field(sara):
    assert sara.post("/cases/search", json={"status": "maybe"}).status_code == 422
    response = sara.post("/cases/search", json={"limit": 0})
    assert response.status_code == 422 and "limit" in str(response.get_json()["errors"])
    assert sara.post("/cases/search", json={"cpr": "010203-1234"}).status_code == 422  # unknown field


def test_a_completed_task_answers_with_its_submitted_data(sara):
    case = sara.open_case()
    task_id = case["tasks"][0]["id"]
    assert sara.get(f"/tasks/{task_id}").get_json()["data"] is None
    sara.complete(task_id, henvendelse())
    assert sara.get(f"/tasks/{task_id}").get_json()["data"] == henvendelse()
    udredning_task = sara.only_task(case["id"])["id"]
    sara.complete(udredning_task, udredning())
    assert sara.get(f"/tasks/{udredning_task}").get_json()["data"]["livsomraader"]["mobilitet"]["niveau"] == "C"


def test_notes_are_appended_listed_logged_and_validated(sara, syd, admin):
    case = sara.open_case()
    response = sara.post(f"/cases/{case['id']}/notes", json={"text": "Borgeren ringede og spurgte til sagen"})
    assert response.status_code == 201
    note = response.get_json()
    assert note["author"] == "sara" and note["text"].startswith("Borgeren ringede")
    assert sara.get(f"/cases/{case['id']}/notes").get_json() == [note]
    assert sara.post(f"/cases/{case['id']}/notes", json={"text": "   "}).status_code == 422
    assert sara.post(f"/cases/{case['id']}/notes", json={}).status_code == 422
    assert syd.post(f"/cases/{case['id']}/notes", json={"text": "x"}).status_code == 404
    assert len(sara.get(f"/cases/{case['id']}/notes").get_json()) == 1
    journal = [e["message"] for e in sara.get(f"/cases/{case['id']}/journal").get_json()]
    assert "Journalnotat tilføjet" in journal
    assert any(e["purpose"] == "api:notater" for e in _log(admin, case["id"]))


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_documents_upload_by_real_type_and_download_as_attachment_logged(sara, syd, admin):
    case = sara.open_case()
    url = f"/cases/{case['id']}/documents"
    response = sara.post(url, data={"file": (io.BytesIO(PDF), "lægeerklæring.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    document = response.get_json()
    assert document["mime_type"] == "application/pdf" and document["filename"] == "lægeerklæring.pdf"
    docx = sara.post(url, data={"file": (io.BytesIO(_docx()), "udtalelse.docx")}, content_type="multipart/form-data")
    assert docx.status_code == 201 and docx.get_json()["kind"] == "Word-dokument"
    assert [d["id"] for d in sara.get(url).get_json()] == [document["id"], docx.get_json()["id"]]
    download = sara.get(f"{url}/{document['id']}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert syd.get(f"{url}/{document['id']}").status_code == 404
    assert sum(e["purpose"] == "api:dokument" for e in _log(admin, case["id"])) == 1


def test_uploads_refuse_wrong_types_empty_files_and_too_big_ones(sara, services, settings):
    case = sara.open_case()
    url = f"/cases/{case['id']}/documents"
    script = sara.post(
        url, data={"file": (io.BytesIO(b"#!/bin/sh\necho hej\n"), "x.pdf")}, content_type="multipart/form-data"
    )
    assert script.status_code == 415 and "file" in script.get_json()["errors"]
    fake = sara.post(
        url, data={"file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100), "a.png")}, content_type="multipart/form-data"
    )
    assert fake.status_code == 415
    empty = sara.post(url, data={"file": (io.BytesIO(b""), "tom.pdf")}, content_type="multipart/form-data")
    assert empty.status_code == 422
    missing = sara.post(url, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    big = PDF + b"0" * (settings.max_upload_bytes + 70 * 1024)
    too_big = sara.post(url, data={"file": (io.BytesIO(big), "stor.pdf")}, content_type="multipart/form-data")
    assert too_big.status_code == 413
    just_over = PDF + b"0" * (settings.max_upload_bytes - len(PDF) + 1)
    over = sara.post(url, data={"file": (io.BytesIO(just_over), "stor.pdf")}, content_type="multipart/form-data")
    assert over.status_code == 413 and over.get_json()["errors"]["file"]
    assert sara.get(url).get_json() == []


def test_teams_are_data_managed_by_administrators(sara, admin):
    assert sara.post("/teams", json={"name": "Team Vest"}).status_code == 403
    created = admin.post("/teams", json={"name": "Team Vest", "mailbox_email": "vest@kommune.invalid"})
    assert created.status_code == 201
    assert "Team Vest" in [t["name"] for t in admin.get("/teams").get_json()]
    assert admin.post("/teams", json={"name": "Team Vest"}).status_code == 409
    response = sara.post("/cases", json={"title": "x", "ydelse": "SEL § 85", "team": "Team Nrod"})
    assert response.status_code in (403, 422) and "team" in response.get_json()["errors"]
    team_id = created.get_json()["id"]
    renamed = admin.client.patch(
        f"/api/v1/teams/{team_id}", json={"name": "Team Vestegnen"}, headers={"Authorization": f"Bearer {admin.token}"}
    )
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "Team Vestegnen"


def test_a_leder_moves_a_case_and_its_open_tasks_to_another_team(services, client, sara, syd):
    make_user(services, "lars", "leder", team=None)
    lars = Api.login(client, "lars")
    case = sara.open_case()
    sara.post(f"/tasks/{case['tasks'][0]['id']}/claim")
    assert sara.post(f"/cases/{case['id']}/team", json={"team": "Team Syd"}).status_code == 403
    assert lars.post(f"/cases/{case['id']}/team", json={"team": "Team Nrod"}).status_code == 422
    moved = lars.post(f"/cases/{case['id']}/team", json={"team": "Team Syd"})
    assert moved.status_code == 200 and moved.get_json()["team"] == "Team Syd"
    assert sara.get(f"/cases/{case['id']}").status_code == 404
    task = syd.get(f"/tasks/{case['tasks'][0]['id']}").get_json()
    assert task["team"] == "Team Syd" and task["assignee"] is None
    notes = sara.get("/notifications").get_json()
    assert any("flyttet til Team Syd" in n["message"] for n in notes)


def test_a_due_date_change_is_journalled_and_the_legal_frist_keeps_its_time(sara):
    case = sara.open_case()
    for data in (henvendelse(), udredning(), {"partshoering_sendt": "2026-11-23", "partshoering_svarfrist_dage": 14}):
        sara.complete(sara.only_task(case["id"])["id"], data)
    bevilling = sara.only_task(case["id"])  # Registrér partshøringssvar, with the svarfrist (R3)
    legal = next(d for d in sara.get(f"/cases/{case['id']}").get_json()["deadlines"] if d["task_id"] == bevilling["id"])
    refused = sara.post(f"/tasks/{bevilling['id']}/due", json={"due_at": "2026-12-30T12:00:00+01:00", "reason": ""})
    assert refused.status_code == 422
    response = sara.post(
        f"/tasks/{bevilling['id']}/due", json={"due_at": "2026-12-30T12:00:00+01:00", "reason": "Venter på leverandør"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["due_at"].startswith("2026-12-30T11:00:00")
    after = next(d for d in sara.get(f"/cases/{case['id']}").get_json()["deadlines"] if d["task_id"] == bevilling["id"])
    assert after["due"] == legal["due"]
    journal = [e["message"] for e in sara.get(f"/cases/{case['id']}/journal").get_json()]
    assert any("Venter på leverandør" in m for m in journal)


def test_drafts_are_per_task_and_user_and_cleared_on_completion(sara):
    case = sara.open_case()
    task_id = case["tasks"][0]["id"]
    assert sara.get(f"/tasks/{task_id}/draft").status_code == 404
    saved = sara.client.put(
        f"/api/v1/tasks/{task_id}/draft",
        json={"data": {"kilde": "borger"}},
        headers={"Authorization": f"Bearer {sara.token}"},
    )
    assert saved.status_code == 200
    assert sara.get(f"/tasks/{task_id}/draft").get_json()["data"] == {"kilde": "borger"}
    sara.complete(task_id, henvendelse())
    assert sara.get(f"/tasks/{task_id}/draft").status_code == 404


def test_klage_records_what_it_is_about_and_both_cases_link(sara):
    case = granted_case(sara)
    letters = sara.get(f"/cases/{case['id']}/letters").get_json()
    letter = next(x for x in letters if x["kind"] == "afgoerelse")
    response = sara.post(
        f"/cases/{case['id']}/klager",
        json={
            "received_at": "2026-11-23T10:00:00+01:00",
            "decision_received_on": "2026-11-23",
            "letter_id": letter["id"],
            "complaint": "Borgeren mener, at støtten er for lille",
        },
    )
    assert response.status_code == 201, response.get_json()
    klage = response.get_json()
    main_journal = [e["message"] for e in sara.get(f"/cases/{case['id']}/journal").get_json()]
    klage_journal = [e["message"] for e in sara.get(f"/cases/{klage['id']}/journal").get_json()]
    assert any(klage["reference"] in m for m in main_journal)
    assert any(case["reference"] in m for m in klage_journal)
    bad = sara.post(
        f"/cases/{case['id']}/klager",
        json={"received_at": "2026-11-23T10:00:00+01:00", "decision_received_on": "2026-11-23", "letter_id": 999},
    )
    assert bad.status_code == 422 and "letter_id" in bad.get_json()["errors"]


def test_a_complaint_about_the_execution_of_help_stays_with_the_municipality(sara):
    case = sara.open_case()
    response = sara.post(
        f"/cases/{case['id']}/udfoerelsesklager",
        json={"received_on": "2026-11-23", "complaint": "Støttepersonen kommer ikke til aftalt tid"},
    )
    assert response.status_code == 201
    journal = [e["message"] for e in sara.get(f"/cases/{case['id']}/journal").get_json()]
    assert any("ikke Ankestyrelsen" in m for m in journal)
    assert not [c for c in sara.post("/cases/search", json={}).get_json() if c["process"] == "klage"]


def test_a_refused_krisecenter_stay_can_be_complained_about(services, client, sara):
    make_user(services, "kc", "krisecenter", team=None)
    kc = Api.login(client, "kc")
    stay = kc.open_case(process="krisecenter", team="Team Nord", stay_started_on="2026-11-20", ydelse=None)
    no_refusal = sara.post(
        f"/cases/{stay['id']}/klager",
        json={
            "received_at": "2026-11-23T10:00:00+01:00",
            "decision_received_on": "2026-11-23",
            "subject": "afvist_ophold",
        },
    )
    assert no_refusal.status_code == 422
    refused = kc.post(f"/cases/{stay['id']}/afslag", json={"refused_on": "2026-11-20", "reason": "Ingen plads"})
    assert refused.status_code == 201
    response = sara.post(
        f"/cases/{stay['id']}/klager",
        json={
            "received_at": "2026-11-23T10:00:00+01:00",
            "decision_received_on": "2026-11-20",
            "subject": "afvist_ophold",
        },
    )
    assert response.status_code == 201, response.get_json()
    assert "afslag på ophold" in response.get_json()["title"]
    assert kc.post("/cases/search", json={}).get_json()[0]["id"] == stay["id"]  # the krisecenter finds its stay


def test_aktindsigt_is_one_pdf_with_contents_and_logged(sara, admin):
    case = decided_case(sara, citizen={"cpr": "010203-1234", "name": "Jens Testesen"})
    sara.post(f"/cases/{case['id']}/notes", json={"text": "Notat med æøå og “citat”"})
    response = sara.get(f"/cases/{case['id']}/aktindsigt")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert case["reference"] in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Indhold", "Sagens oplysninger", "Journalnotater", "“citat”", "Træf afgørelse", "Begrundelse"):
        assert expected in text, expected
    assert any(e["purpose"] == "aktindsigt" for e in _log(admin, case["id"]))


def test_notifications_tell_the_maker_when_an_afvigelse_is_decided(services, client, sara):
    make_user(services, "karen", "faglig_konsulent", team=None)
    karen = Api.login(client, "karen")
    case = sara.open_case()
    for data in (
        henvendelse(),
        udredning(),
        {"partshoering_sendt": "2026-11-23", "partshoering_svarfrist_dage": 14},
        {"svar_modtaget": "2026-11-30"},
        afgoerelse(afvigelse=True),
    ):
        sara.complete(sara.only_task(case["id"])["id"], data)
    approval = karen.get("/tasks?role=faglig_konsulent").get_json()[0]
    karen.complete(approval["id"], {"godkendt": False, "kommentar": "Ikke belyst"})
    notes = sara.get("/notifications").get_json()
    assert any("afvist" in n["message"] and case["reference"] in n["message"] for n in notes)
    assert not any("010203" in n["message"] for n in notes)
    make_team(services, "Team Nord")


def test_an_opfoelgning_before_the_bevilling_starts_is_refused_naming_the_field(sara):
    from tests.helpers import to_opfoelgning

    case = sara.open_case()
    first = to_opfoelgning(sara, case["id"])  # the bevilling starts 4 January 2027
    early = sara.complete(first["id"], {"opfoelgning_dato": "2026-12-30", "ydelse_fortsaetter": True}, expect=422)
    assert "opfoelgning_dato" in early["errors"] and "bevillingens start" in early["errors"]["opfoelgning_dato"][0]
    assert sara.only_task(case["id"])["id"] == first["id"]  # nothing moved
    sara.complete(first["id"], {"opfoelgning_dato": "2027-01-04", "ydelse_fortsaetter": True})


def test_the_escalation_scan_notifies_in_the_app_without_personal_data(services, clock, sara):
    from tasks.frister.escalation import scan_deadlines

    case = sara.open_case(received_at="2026-09-01T09:00:00+02:00", citizen={"cpr": "010203-1234", "name": "Jens"})
    scan_deadlines(services.uow(), clock.now(), "http://127.0.0.1")
    scan_deadlines(services.uow(), clock.now(), "http://127.0.0.1")  # a second scan adds nothing
    notes = [n for n in sara.get("/notifications").get_json() if n["kind"] == "frist_overdue"]
    assert notes and len(notes) == len({n["message"] for n in notes})  # once per frist, however often it scans
    assert all(case["reference"] in n["message"] for n in notes)
    assert "010203" not in notes[0]["message"] and "Jens" not in notes[0]["message"]
    assert sara.post(f"/notifications/{notes[0]['id']}/read").status_code == 204
    assert sara.get("/notifications").get_json()[0]["read"] is True
