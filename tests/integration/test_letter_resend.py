"""A failed letter can be sent again by a sagsbehandler or a leder (API and button), journalled; a letter that has
not failed is refused in Danish; the leder's Brevproblemer lists failed letters across teams, with ids in URLs only."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tasks.letters.digital_post import DigitalPost, DigitalPostSettings
from tests.helpers import Api, afgoerelse, dispatch, henvendelse, make_user, partshoering, udredning
from tests.post_office import PostOffice
from tests.ui.pages import Browser, text

CITIZEN = {"cpr": "010203-1234", "name": "Test Borger"}


@pytest.fixture
def post_office() -> Iterator[PostOffice]:
    office = PostOffice().start()
    yield office
    office.stop()


@pytest.fixture
def digital_post(post_office: PostOffice) -> DigitalPost:
    return DigitalPost(DigitalPostSettings(url=post_office.url, sender_cvr="29189889", timeout_seconds=5))


def _failed_afslag(api: Api, services, post_office: PostOffice, digital_post: DigitalPost) -> tuple[int, dict]:
    case = api.open_case(title="Bostøtte", citizen=CITIZEN)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse("afslag")):
        api.complete(api.only_task(case["id"])["id"], data)
    post_office.refuse = 2
    assert dispatch(services, digital_post).failed == 2
    letter = next(x for x in api.get(f"/cases/{case['id']}/letters").get_json() if x["kind"] == "afgoerelse")
    assert letter["state"] == "fejlet"
    return case["id"], letter


def test_a_sagsbehandler_sends_a_failed_letter_again_and_the_citizen_gets_it_once(
    sara, services, post_office, digital_post
):
    case_id, letter = _failed_afslag(sara, services, post_office, digital_post)
    response = sara.post(f"/cases/{case_id}/letters/{letter['id']}/resend")
    assert response.status_code == 200, response.get_json()
    again = response.get_json()
    assert (again["state"], again["attempts"], again["letter_date"]) == ("afventer", 0, letter["letter_date"])
    journal = sara.get(f"/cases/{case_id}/journal").get_json()
    resent = [e for e in journal if e["action"] == "letter_resent"]
    assert len(resent) == 1 and "Digital Post afviste brevet (400)" in resent[0]["message"]
    assert resent[0]["actor"] == "sara"
    assert dispatch(services, digital_post).sent == 1
    sent = next(x for x in sara.get(f"/cases/{case_id}/letters").get_json() if x["id"] == letter["id"])
    assert sent["state"] == "sendt" and sent["letter_date"] == letter["letter_date"]
    delivered = [r for r in post_office.delivered() if r.label == "Afgørelse om SEL § 85"]
    assert len(delivered) == 1

    refused = sara.post(f"/cases/{case_id}/letters/{letter['id']}/resend")
    assert refused.status_code == 409
    assert refused.get_json()["message"].startswith("Kun et brev, hvis afsendelse er fejlet, kan sendes igen")


def test_only_sagsbehandlere_and_ledere_who_see_the_case_may_send_again(
    sara, services, client, post_office, digital_post
):
    case_id, letter = _failed_afslag(sara, services, post_office, digital_post)
    path = f"/cases/{case_id}/letters/{letter['id']}/resend"
    make_user(services, "fiona", "faglig_konsulent")
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    assert Api.login(client, "fiona").post(path).status_code == 403
    assert Api.login(client, "syd").post(path).status_code == 404  # another team's case: as if it did not exist
    assert sara.post(f"/cases/{case_id}/letters/999999/resend").status_code == 404
    make_user(services, "lene", "leder", team="Team Syd")
    assert Api.login(client, "lene").post(path).status_code == 200  # a leder works across teams


def test_the_leder_sees_brevproblemer_and_sends_again_from_the_page(sara, services, client, post_office, digital_post):
    case_id, letter = _failed_afslag(sara, services, post_office, digital_post)
    reference = sara.get(f"/cases/{case_id}").get_json()["reference"]
    make_user(services, "lene", "leder", team="Team Syd")
    assert Api.login(client, "lene").get("/letter-problems").get_json()[0]["reason"] == (
        "Digital Post afviste brevet (400)"
    )
    assert Api.login(client, "sara").get("/letter-problems").status_code == 403
    browser = Browser.login(client, "lene")
    response = browser.get("/brevproblemer")
    page = text(response)
    assert reference in page and "Afgørelse om SEL § 85" in page and "Afsendelse fejlet" in page
    assert "Team Nord" in page and "Send igen" in page
    links = re.findall(r'(?:href|action)="([^"]+)"', response.get_data(as_text=True))
    assert not any(re.search(r"\d{6}-?\d{4}|Borger", link) for link in links)  # ids only, no CPR or name
    moved = browser.post(
        f"/sager/{case_id}/breve/{letter['id']}/send-igen", {"tilbage": "brevproblemer"}, from_page="/brevproblemer"
    )
    assert moved.status_code == 302 and moved.headers["Location"].endswith("/brevproblemer")
    after = text(browser.get("/brevproblemer"))
    assert "sendes igen ved næste afsendelse" in after and "Afgørelse om SEL § 85" not in after.split("Handling")[-1]
    make_user(services, "admin", "administrator", team=None)
    log = Api.login(client, "admin").get(f"/access-log?case_id={case_id}").get_json()
    assert {"ui:brevproblemer", "api:brevproblemer"} <= {entry["purpose"] for entry in log}


def test_the_case_page_shows_the_failure_and_a_send_again_button(sara, services, client, post_office, digital_post):
    case_id, letter = _failed_afslag(sara, services, post_office, digital_post)
    browser = Browser.login(client, "sara")
    page = text(browser.get(f"/sager/{case_id}"))
    assert "afsendelsen er fejlet: Digital Post afviste brevet (400)" in page and "Send igen" in page
    done = browser.post(f"/sager/{case_id}/breve/{letter['id']}/send-igen", from_page=f"/sager/{case_id}")
    assert done.status_code == 302
    again = browser.post(f"/sager/{case_id}/breve/{letter['id']}/send-igen", from_page=f"/sager/{case_id}")
    assert again.status_code == 302
    page = text(browser.get(f"/sager/{case_id}"))
    assert "Kun et brev, hvis afsendelse er fejlet, kan sendes igen" in page  # refused, in Danish, never a 500
