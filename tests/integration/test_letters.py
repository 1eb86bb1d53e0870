"""Letters as PDFs, read as a citizen reads them: what was decided and granted, the begrundelse, the klagefrist
date, the channel's receipt rule, and a dispatch that dates each letter once."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from tasks.letters.dispatch import TransportError
from tests.helpers import (
    TRIN_3,
    Api,
    afgoerelse,
    bevilling,
    decided_case,
    dispatch,
    genvurdering,
    henvendelse,
    make_user,
    opfoelgning,
    ophoer_uden_partshoering,
    partshoering,
    udredning,
)

ADDRESS = {"street": "Vestergade 12, 2. th.", "postal_code": "7100", "city": "Vejle"}


def _decide(api: Api, case_id: int, udfald: str = "bevilling") -> None:
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse(udfald)):
        api.complete(api.only_task(case_id)["id"], data)
    if udfald != "afslag":
        api.complete(api.only_task(case_id)["id"], bevilling())


def _pdf_text(api: Api, case_id: int, letter_id: int) -> str:
    response = api.get(f"/cases/{case_id}/letters/{letter_id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "010203" not in response.headers["Content-Disposition"]  # no CPR in the file name
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    text = re.sub(r"Sag SAG-\d{4}-\d+ · side \d+ af \d+", " ", text)  # page footers
    return " ".join(text.split())  # the words as read, whatever the line and page breaks


def _letters(api: Api, case_id: int, kind: str) -> list[dict]:
    return [x for x in api.get(f"/cases/{case_id}/letters").get_json() if x["kind"] == kind]


def test_the_afgoerelse_letter_names_decision_begrundelse_and_the_klagefrist_date(sara, services):
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger"})
    assert sara.get(f"/cases/{case['id']}/letters").get_json() == []
    _decide(sara, case["id"], "afslag")
    dispatch(services)
    letters = _letters(sara, case["id"], "afgoerelse")
    assert [(x["kind"], x["klagefrist_ends_on"]) for x in letters] == [("afgoerelse", "2026-12-21")]
    text = _pdf_text(sara, case["id"], letters[0]["id"])
    assert "Afslag (SEL § 85)" in text
    assert "Borgeren opfylder betingelserne" in text
    assert "Test Borger" in text
    assert "sendt med Digital Post den 23. november 2026" in text
    assert "modtaget senest den 21. december 2026" in text  # 4 weeks, same weekday
    assert "ikke direkte til Ankestyrelsen" in text


def test_the_bevilling_letter_is_written_after_opret_bevilling_and_states_what_was_granted(sara, services):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger", "address": ADDRESS})
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse()):
        sara.complete(sara.only_task(case["id"])["id"], data)
    assert _letters(sara, case["id"], "afgoerelse") == []  # not before the bevilling is settled
    sara.complete(sara.only_task(case["id"])["id"], bevilling())
    dispatch(services)
    body = sara.get(f"/cases/{case['id']}").get_json()
    (afg,) = body["afgoerelser"]
    (granted,) = body["bevillinger"]
    assert (afg["kind"], afg["udfald"], afg["ydelse"]) == ("ansoegning", "bevilling", "SEL § 85")
    assert granted == {
        "id": granted["id"],
        "ydelse": "SEL § 85",
        "serviceniveau": "Trin 3",
        "omfang": TRIN_3,
        "leverandoer": "Center for Social Rehabilitering",
        "start": "2027-01-04",
        "slut": None,
        "status": "aktiv",
    }
    (letter,) = _letters(sara, case["id"], "afgoerelse")
    assert afg["letter_id"] == letter["id"] and letter["channel"] == "digital_post"
    text = _pdf_text(sara, case["id"], letter["id"])
    assert "Center for Social Rehabilitering" in text and TRIN_3 in text
    assert "Fra 4. januar 2027" in text and "indtil videre" in text
    assert "Senest 4. april 2027" in text  # the first opfølgning
    assert "Vestergade 12, 2. th." in text and "7100 Vejle" in text
    assert "Med venlig hilsen" in text and "Sagsbehandler" in text
    for part in ("Serviceloven § 85 og kommunens", "moderat nedsat funktionsevne", "opfylder betingelserne"):
        assert part in text  # the three parts of the begrundelse


def test_a_klagefrist_ending_on_a_holiday_rolls_to_the_next_hverdag(sara, services, clock, client):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=UTC))  # Saturday: + 4 weeks = Saturday 26 December
    sara = Api.login(client, "sara")
    _decide(sara, case["id"])
    dispatch(services)
    letter = _letters(sara, case["id"], "afgoerelse")[0]
    assert letter["klagefrist_ends_on"] == "2026-12-28"  # past 26 Dec (2. juledag) and Sunday 27 Dec
    text = _pdf_text(sara, case["id"], letter["id"])
    assert "senest den 28. december 2026" in text, text[text.find("Klagevejledning") :]


def test_a_physical_post_letter_counts_its_klagefrist_from_the_6th_hverdag(sara, services, clock, client):
    clock.set(datetime(2025, 12, 19, 9, 0, tzinfo=UTC))  # Friday 19 December 2025
    sara = Api.login(client, "sara")
    citizen = {"name": "Test Borger", "address": ADDRESS, "digital_post_exempt": True}
    case = sara.open_case(title="Bostøtte", received_at="2025-12-01T09:00:00+01:00", citizen=citizen)
    _decide(sara, case["id"], "afslag")
    dispatch(services)
    (letter,) = _letters(sara, case["id"], "afgoerelse")
    # legal-rules.md § 7: dated Fri 19 Dec 2025, received Mon 5 Jan 2026 (24, 25, 26, 31 Dec and 1 Jan closed)
    assert (letter["channel"], letter["letter_date"], letter["received_on"]) == (
        "fysisk_post",
        "2025-12-19",
        "2026-01-05",
    )
    assert letter["klagefrist_ends_on"] == "2026-02-02"  # 4 weeks from receipt, not from the letter's date
    text = _pdf_text(sara, case["id"], letter["id"])
    assert "Sendt med almindelig post" in text
    assert "altså den 5. januar 2026" in text and "senest den 2. februar 2026" in text


def test_a_retried_dispatch_keeps_the_first_date_and_pdf(sara, services, clock, client):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    _decide(sara, case["id"], "afslag")

    class Down:
        def send(self, letter):
            raise TransportError("Digital Post svarer ikke")

    assert dispatch(services, Down()).failed == 2  # the partshøring letter and the afgørelse
    (waiting,) = _letters(sara, case["id"], "afgoerelse")
    assert (waiting["state"], waiting["letter_date"]) == ("afventer", "2026-11-23")
    first_pdf = sara.get(f"/cases/{case['id']}/letters/{waiting['id']}/pdf").data
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # two days later the channel is back
    sara = Api.login(client, "sara")
    assert dispatch(services).sent == 2
    (sent,) = _letters(sara, case["id"], "afgoerelse")
    assert (sent["state"], sent["letter_date"], sent["klagefrist_ends_on"]) == ("sendt", "2026-11-23", "2026-12-21")
    assert sara.get(f"/cases/{case['id']}/letters/{sent['id']}/pdf").data == first_pdf
    assert dispatch(services).sent == 0  # nothing is sent twice


def test_a_letter_not_dispatched_yet_is_served_at_once_as_a_marked_draft(sara):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    _decide(sara, case["id"], "afslag")
    (letter,) = _letters(sara, case["id"], "afgoerelse")
    assert (letter["state"], letter["dispatched_at"], letter["klagefrist_ends_on"]) == ("afventer", None, None)
    text = _pdf_text(sara, case["id"], letter["id"])
    assert "KLADDE – IKKE AFSENDT" in text and "Afslag (SEL § 85)" in text
    assert _letters(sara, case["id"], "afgoerelse")[0]["state"] == "afventer"  # the draft stored nothing


def test_a_citizen_named_lucja_nowak_is_printed_as_such(sara, services):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Łucja Nowak", "address": ADDRESS})
    _decide(sara, case["id"], "afslag")
    dispatch(services)
    (letter,) = _letters(sara, case["id"], "afgoerelse")
    assert "Łucja Nowak" in _pdf_text(sara, case["id"], letter["id"])


def test_an_anonymous_case_has_no_channel_and_claims_no_digital_post(sara, services):
    case = sara.open_case(title="Anonym henvendelse")
    _decide(sara, case["id"], "afslag")
    dispatch(services)
    (letter,) = _letters(sara, case["id"], "afgoerelse")
    assert (letter["channel"], letter["state"], letter["klagefrist_ends_on"]) == (None, "uden_kanal", None)
    text = _pdf_text(sara, case["id"], letter["id"])
    assert "Sendt med Digital Post" not in text and "sendt med Digital Post" not in text
    assert "Til borgeren" in text and "Klagefristen regnes fra den dag, du fik afgørelsen udleveret" in text


def test_an_ophoer_at_opfoelgning_is_its_own_afgoerelse_with_letter_and_klagefrist(sara, services):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    _decide(sara, case["id"])
    sara.complete(sara.only_task(case["id"])["id"], opfoelgning(continues=False))
    assert sara.only_task(case["id"])["name"] == "Partshøring om ændring eller ophør"
    for data in ophoer_uden_partshoering("2027-05-31"):
        sara.complete(sara.only_task(case["id"])["id"], data)
    dispatch(services)
    body = sara.get(f"/cases/{case['id']}").get_json()
    assert [(a["kind"], a["udfald"]) for a in body["afgoerelser"]] == [
        ("ansoegning", "bevilling"),
        ("ophoer", "afslag"),
    ]
    assert [(b["status"], b["slut"]) for b in body["bevillinger"]] == [("ophoert", "2027-05-31")]
    (letter,) = _letters(sara, case["id"], "ophoer")
    assert body["afgoerelser"][1]["letter_id"] == letter["id"] and letter["klagefrist_ends_on"] == "2026-12-21"
    text = _pdf_text(sara, case["id"], letter["id"])
    assert "Afgørelse om ophør af SEL § 85" in text and "Sidste dag med hjælpen er 31. maj 2027" in text
    assert "Klagevejledning" in text and "senest den 21. december 2026" in text
    assert "Borgeren har selv bedt om at stoppe" in text  # the recorded partshøring exception and its reason


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


def test_a_genvurdering_with_medhold_is_a_new_afgoerelse_with_its_own_klagefrist(sara, services):
    case = decided_case(sara, title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger"})
    klage = _klage(sara, case["id"])
    sara.complete(sara.only_task(klage["id"])["id"], genvurdering("medhold", "Nye lægelige oplysninger"))
    dispatch(services)
    letter = sara.get(f"/cases/{klage['id']}/letters").get_json()[0]
    assert letter["kind"] == "genvurdering" and letter["klagefrist_ends_on"] == "2026-12-21"
    assert [(a["kind"], a["udfald"]) for a in sara.get(f"/cases/{klage['id']}").get_json()["afgoerelser"]] == [
        ("genvurdering", "medhold")
    ]
    text = _pdf_text(sara, klage["id"], letter["id"])
    assert "Du får medhold" in text and "Nye lægelige oplysninger" in text and "Test Borger" in text
    assert "modtaget senest den 21. december 2026" in text
    assert "sendes til Ankestyrelsen" not in text


def test_a_fastholdt_genvurdering_tells_the_citizen_the_klage_goes_to_ankestyrelsen(sara, services):
    case = decided_case(sara, title="Bostøtte")
    klage = _klage(sara, case["id"])
    sara.complete(sara.only_task(klage["id"])["id"], genvurdering("fastholdt", "Ingen nye oplysninger"))
    dispatch(services)
    letter = sara.get(f"/cases/{klage['id']}/letters").get_json()[0]
    assert letter["klagefrist_ends_on"] is None  # no new decision, so no new klagefrist
    text = _pdf_text(sara, klage["id"], letter["id"])
    assert "Kommunen fastholder afgørelsen" in text and "Klagen sendes til Ankestyrelsen" in text
