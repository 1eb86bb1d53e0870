"""The citizen's address and Digital Post status from the CPR register (SF1520) on a real HTTP endpoint on
127.0.0.1: asked once when the case opens and cached on the case, entered by hand when the register is down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tasks.parties.cpr_register import CprSettings, Sf1520
from tests.cpr_office import CprOffice, Resident
from tests.ui.pages import Browser, text

ADDRESS = {"street": "Algade 1", "postal_code": "7100", "city": "Vejle"}


@pytest.fixture
def cpr_office(services) -> Iterator[CprOffice]:
    office = CprOffice(
        residents={
            "0102031234": Resident("Test Borger", "Vestergade", "12", "7100", "Vejle", digital_post=False),
            "0203041234": Resident("Anden Borger", "Nørregade", "3", "8000", "Aarhus C", digital_post=True),
        }
    ).start()
    services.cpr_register = Sf1520(CprSettings(url=office.url, timeout_seconds=5))
    yield office
    office.stop()
    assert office.problems == []  # never a CPR number in a URL


def test_a_new_case_gets_the_address_and_digital_post_status_from_cpr_once(sara, cpr_office):
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234"})
    citizen = sara.get(f"/cases/{case['id']}/citizen").get_json()
    assert citizen["name"] == "Test Borger"  # the register's name when none was given
    assert (citizen["street"], citizen["postal_code"], citizen["city"]) == ("Vestergade 12", "7100", "Vejle")
    assert citizen["digital_post_exempt"] is True  # not registered for Digital Post: letters by post
    assert citizen["address_source"] == "cpr" and "CPR-registret" in citizen["address_note"]
    assert citizen["looked_up_at"] is not None
    sara.get(f"/cases/{case['id']}/citizen")
    assert cpr_office.asked == ["0102031234"]  # cached on the case, not asked per read


def test_the_registers_address_wins_over_a_typed_one_and_digital_post_follows_the_register(sara, cpr_office):
    citizen = {"cpr": "020304-1234", "name": "Anden Borger", "address": ADDRESS, "digital_post_exempt": True}
    case = sara.open_case(title="Bostøtte", citizen=citizen)
    record = sara.get(f"/cases/{case['id']}/citizen").get_json()
    assert (record["street"], record["city"], record["digital_post_exempt"]) == ("Nørregade 3", "Aarhus C", False)


def test_when_the_register_is_down_the_case_opens_and_the_address_is_entered_by_hand(sara, cpr_office):
    cpr_office.down = True
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger", "address": ADDRESS})
    record = sara.get(f"/cases/{case['id']}/citizen").get_json()
    assert (record["street"], record["address_source"]) == ("Algade 1", "manuel")
    assert "CPR-registret svarede 503" in record["address_note"] and "indtastet manuelt" in record["address_note"]

    refresh = sara.post(f"/cases/{case['id']}/citizen/lookup")
    assert refresh.status_code == 503 and "indtast adressen manuelt" in refresh.get_json()["message"]

    typed = {"address": {"street": "Bredgade 4", "postal_code": "7100", "city": "Vejle"}, "digital_post_exempt": True}
    response = sara.client.put(
        f"/api/v1/cases/{case['id']}/citizen/address", json=typed, headers={"Authorization": f"Bearer {sara.token}"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["address_note"].startswith("Adressen er indtastet manuelt af sara den 23. november")
    journal = sara.get(f"/cases/{case['id']}/journal").get_json()
    assert any("indtastet manuelt" in entry["message"] for entry in journal)

    cpr_office.down = False
    back = sara.post(f"/cases/{case['id']}/citizen/lookup").get_json()
    assert (back["street"], back["address_source"], back["digital_post_exempt"]) == ("Vestergade 12", "cpr", True)


def test_a_case_opens_without_an_address_when_the_register_is_down_and_none_was_typed(sara, cpr_office):
    cpr_office.down = True
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger"})
    record = sara.get(f"/cases/{case['id']}/citizen").get_json()
    assert (record["street"], record["address_source"]) == (None, None)
    assert "indtast adressen manuelt" in record["address_note"]


def test_a_typed_address_is_checked_and_refused_in_danish_naming_the_field(sara, cpr_office):
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234"})
    bad = {"address": {"street": " ", "postal_code": "71", "city": "Vejle"}}
    response = sara.client.put(
        f"/api/v1/cases/{case['id']}/citizen/address", json=bad, headers={"Authorization": f"Bearer {sara.token}"}
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["address.postal_code"] == ["Postnummeret skal være 4 cifre"] and "address.street" in errors


def test_without_a_register_the_typed_address_is_marked_as_entered_by_hand(sara):
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger", "address": ADDRESS})
    record = sara.get(f"/cases/{case['id']}/citizen").get_json()
    assert (record["address_source"], record["address_note"]) == ("manuel", "Adressen er indtastet manuelt")
    assert sara.post(f"/cases/{case['id']}/citizen/lookup").status_code == 503


def test_the_case_page_says_where_the_address_came_from(sara, client, cpr_office):
    cpr_office.down = True
    case = sara.open_case(title="Bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger", "address": ADDRESS})
    page = text(Browser.login(client, "sara").get(f"/sager/{case['id']}"))
    assert "Algade 1, 7100 Vejle" in page and "adressen er indtastet manuelt" in page
