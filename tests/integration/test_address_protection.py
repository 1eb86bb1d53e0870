"""Navne- og adressebeskyttelse: the CPR register (SF1520 on 127.0.0.1) says the address is protected; no letter about
the citizen goes in the shared print batch (held for manual handling with the reason), no address is printed in a
letter, and only the sagsbehandler sees the address on the case."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tasks.letters.digital_post import DigitalPost, DigitalPostSettings
from tasks.parties.cpr_register import CprSettings, Sf1520
from tests.cpr_office import CprOffice, Resident
from tests.helpers import Api, afgoerelse, dispatch, henvendelse, make_user, partshoering, udredning
from tests.post_office import PostOffice
from tests.ui.pages import Browser, text

PAPER = "0102031234"  # protected, exempt from Digital Post
DIGITAL = "0203041234"  # protected, on Digital Post
REP = {"name": "Bente Bisidder", "address": {"street": "Nørregade 3", "postal_code": "7100", "city": "Vejle"}}


@pytest.fixture
def cpr_office(services) -> Iterator[CprOffice]:
    office = CprOffice(
        residents={
            PAPER: Resident("Skjult Borger", "Hemmeligvej", "7", "7100", "Vejle", digital_post=False, protected=True),
            DIGITAL: Resident("Anden Borger", "Lukketgade", "3", "8000", "Aarhus C", digital_post=True, protected=True),
        }
    ).start()
    services.cpr_register = Sf1520(CprSettings(url=office.url, timeout_seconds=5))
    yield office
    office.stop()
    assert office.problems == []


@pytest.fixture
def post_office() -> Iterator[PostOffice]:
    office = PostOffice().start()
    yield office
    office.stop()


@pytest.fixture
def digital_post(post_office: PostOffice) -> DigitalPost:
    return DigitalPost(DigitalPostSettings(url=post_office.url, sender_cvr="29189889", timeout_seconds=5))


def _afslag(api: Api, cpr: str, **fields) -> int:
    case = api.open_case(title="Bostøtte", citizen={"cpr": f"{cpr[:6]}-{cpr[6:]}"}, **fields)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse("afslag")):
        api.complete(api.only_task(case["id"])["id"], data)
    return case["id"]


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_physical_post_for_a_protected_citizen_is_held_with_the_reason_never_batched(
    sara, services, client, cpr_office, digital_post
):
    case_id = _afslag(sara, PAPER)
    assert sara.get(f"/cases/{case_id}/citizen").get_json()["address_protected"] is True
    result = dispatch(services, digital_post)
    assert (result.sent, result.failed) == (0, 0)
    letters = sara.get(f"/cases/{case_id}/letters").get_json()
    assert {x["state"] for x in letters} == {"tilbageholdt"}
    assert all("navne- og adressebeskyttelse" in x["last_error"] for x in letters)
    held = next(x for x in letters if x["kind"] == "afgoerelse")
    assert held["letter_date"] is not None  # dated and rendered for the caseworker to send by hand
    pdf_text = _text(sara.get(f"/cases/{case_id}/letters/{held['id']}/pdf").data)
    assert "Skjult Borger" in pdf_text and "Hemmeligvej" not in pdf_text  # no address printed in the letter
    assert dispatch(services, digital_post).sent == 0  # held stays held
    assert "sagsflow_letters_held 2.0" in client.get("/metrics").get_data(as_text=True)
    make_user(services, "lene", "leder")
    make_user(services, "admin", "administrator", team=None)
    assert Api.login(client, "admin").get("/print-batches").get_json() == []
    journal = sara.get(f"/cases/{case_id}/journal").get_json()
    assert sum(e["action"] == "letter_held" for e in journal) == 2
    refused = sara.post(f"/cases/{case_id}/letters/{held['id']}/resend")
    assert refused.status_code == 409 and "sendes manuelt" in refused.get_json()["message"]
    problems = text(Browser.login(client, "lene").get("/brevproblemer"))
    assert "Tilbageholdt til manuel håndtering" in problems and "Send manuelt" in problems
    assert "Hemmeligvej" not in problems


def test_a_protected_citizen_on_digital_post_gets_the_letter_and_the_representatives_copy_is_held(
    sara, services, client, cpr_office, post_office, digital_post
):
    case_id = _afslag(sara, DIGITAL, representatives=[REP])
    dispatch(services, digital_post)
    letters = sara.get(f"/cases/{case_id}/letters").get_json()
    assert {x["state"] for x in letters if x["copy_of_id"] is None} == {"sendt"}
    assert {x["state"] for x in letters if x["copy_of_id"] is not None} == {"tilbageholdt"}
    received = post_office.delivered()
    assert len(received) == 2 and all("Lukketgade" not in r.pdf_text for r in received)
    make_user(services, "admin", "administrator", team=None)
    assert Api.login(client, "admin").get("/print-batches").get_json() == []


def test_only_the_sagsbehandler_sees_a_protected_address(sara, services, client, cpr_office):
    case_id = _afslag(sara, PAPER)
    mine = sara.get(f"/cases/{case_id}/citizen").get_json()
    assert (mine["street"], mine["city"]) == ("Hemmeligvej 7", "Vejle")
    make_user(services, "lene", "leder")
    make_user(services, "fiona", "faglig_konsulent")
    for other in ("lene", "fiona"):
        record = Api.login(client, other).get(f"/cases/{case_id}/citizen").get_json()
        assert (record["street"], record["postal_code"], record["city"]) == (None, None, None)
        assert "navne- og adressebeskyttelse" in record["address_note"]
        page = text(Browser.login(client, other).get(f"/sager/{case_id}"))
        assert "Navne- og adressebeskyttelse" in page and "Hemmeligvej" not in page
    page = text(Browser.login(client, "sara").get(f"/sager/{case_id}"))
    assert "Navne- og adressebeskyttelse : Hemmeligvej 7, 7100 Vejle" in page


def test_a_caseworker_can_register_protection_by_hand_when_the_register_is_down(sara, services, client):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    typed = {
        "address": {"street": "Algade 1", "postal_code": "7100", "city": "Vejle"},
        "digital_post_exempt": True,
        "address_protected": True,
    }
    response = sara.client.put(
        f"/api/v1/cases/{case['id']}/citizen/address", json=typed, headers={"Authorization": f"Bearer {sara.token}"}
    )
    assert response.status_code == 200 and response.get_json()["address_protected"] is True
    make_user(services, "lene", "leder")
    assert Api.login(client, "lene").get(f"/cases/{case['id']}/citizen").get_json()["street"] is None
    journal = sara.get(f"/cases/{case['id']}/journal").get_json()
    assert any("navne- og adressebeskyttelse registreret" in e["message"] for e in journal)
