"""Afgørelsesbreve and genvurderinger as PDFs: the decision, the begrundelse, the klagefrist date."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from pypdf import PdfReader

from tests.helpers import Api, afgoerelse, decided_case, henvendelse, make_user, partshoering, udredning


def _decide(api: Api, case_id: int, udfald: str = "bevilling") -> None:
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse(udfald)):
        api.complete(api.only_task(case_id)["id"], data)


def _pdf_text(api: Api, case_id: int, letter_id: int) -> str:
    response = api.get(f"/cases/{case_id}/letters/{letter_id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "010203" not in response.headers["Content-Disposition"]  # no CPR in the file name
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_the_afgoerelse_letter_names_decision_begrundelse_and_the_klagefrist_date(sara):
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger"})
    assert sara.get(f"/cases/{case['id']}/letters").get_json() == []
    _decide(sara, case["id"], "afslag")
    letters = sara.get(f"/cases/{case['id']}/letters").get_json()
    assert [(x["kind"], x["klagefrist_ends_on"]) for x in letters] == [("afgoerelse", "2026-12-21")]
    text = _pdf_text(sara, case["id"], letters[0]["id"])
    assert "Afslag (SEL § 85)" in text
    assert "Borgeren opfylder betingelserne" in text
    assert "Test Borger" in text
    assert "sendt med Digital Post den 23. november 2026" in text
    assert "modtaget senest den 21. december 2026" in text  # 4 weeks, same weekday
    assert "ikke direkte til Ankestyrelsen" in text


def test_a_klagefrist_ending_on_a_holiday_rolls_to_the_next_hverdag(sara, clock, client):
    case = sara.open_case(title="Bostøtte")
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))  # Saturday: + 4 weeks = Saturday 26 December
    sara = Api.login(client, "sara")
    _decide(sara, case["id"])
    letter = sara.get(f"/cases/{case['id']}/letters").get_json()[0]
    assert letter["klagefrist_ends_on"] == "2026-12-28"  # past 26 Dec (2. juledag) and Sunday 27 Dec
    assert "senest den 28. december 2026" in _pdf_text(sara, case["id"], letter["id"])


def test_letters_are_for_those_who_may_see_the_case_and_reads_are_logged(sara, services, client):
    case = sara.open_case(title="Bostøtte")
    _decide(sara, case["id"])
    letter = sara.get(f"/cases/{case['id']}/letters").get_json()[0]
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    other = Api.login(client, "syd")
    assert other.get(f"/cases/{case['id']}/letters").status_code == 404
    assert other.get(f"/cases/{case['id']}/letters/{letter['id']}/pdf").status_code == 404
    _pdf_text(sara, case["id"], letter["id"])
    make_user(services, "admin1", "administrator", team=None)
    log = Api.login(client, "admin1").get(f"/access-log?case_id={case['id']}").get_json()
    assert any(e["purpose"] == "api:brev" and e["username"] == "sara" for e in log)


def _klage(api: Api, case_id: int) -> dict:
    response = api.post(
        f"/cases/{case_id}/klager",
        json={"received_at": "2026-11-23T08:00:00+01:00", "decision_received_on": "2026-11-20"},
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_genvurdering_with_medhold_is_a_new_afgoerelse_with_its_own_klagefrist(sara):
    case = decided_case(sara, title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger"})
    klage = _klage(sara, case["id"])
    sara.complete(sara.only_task(klage["id"])["id"], {"udfald": "medhold", "begrundelse": "Nye lægelige oplysninger"})
    letter = sara.get(f"/cases/{klage['id']}/letters").get_json()[0]
    assert letter["kind"] == "genvurdering" and letter["klagefrist_ends_on"] == "2026-12-21"
    text = _pdf_text(sara, klage["id"], letter["id"])
    assert "Du får medhold" in text and "Nye lægelige oplysninger" in text and "Test Borger" in text
    assert "modtaget senest den 21. december 2026" in text
    assert "sendes til Ankestyrelsen" not in text


def test_a_fastholdt_genvurdering_tells_the_citizen_the_klage_goes_to_ankestyrelsen(sara):
    case = decided_case(sara, title="Bostøtte")
    klage = _klage(sara, case["id"])
    sara.complete(sara.only_task(klage["id"])["id"], {"udfald": "fastholdt", "begrundelse": "Ingen nye oplysninger"})
    letter = sara.get(f"/cases/{klage['id']}/letters").get_json()[0]
    assert letter["klagefrist_ends_on"] is None  # no new decision, so no new klagefrist
    text = _pdf_text(sara, klage["id"], letter["id"])
    assert "Kommunen fastholder afgørelsen" in text and "Klagen sendes til Ankestyrelsen" in text
