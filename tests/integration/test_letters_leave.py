"""Letters that leave (issue 20): Digital Post as MeMo to a real HTTP endpoint on 127.0.0.1 that checks what it
receives, an outage and a crash survived with one message per letter, and the day's physical-post batch."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tasks.letters.digital_post import DigitalPost, DigitalPostSettings
from tasks.letters.transport import Outgoing
from tests.helpers import Api, afgoerelse, dispatch, henvendelse, make_user, partshoering, udredning
from tests.post_office import PostOffice
from tests.ui.pages import Browser, text

CITIZEN = {"cpr": "010203-1234", "name": "Test Borger"}
ADDRESS = {"street": "Vestergade 12, 2. th.", "postal_code": "7100", "city": "Vejle"}
KOMMUNE_CVR = "29189889"


@pytest.fixture
def post_office() -> Iterator[PostOffice]:
    office = PostOffice().start()
    yield office
    office.stop()


@pytest.fixture
def digital_post(post_office: PostOffice) -> DigitalPost:
    return DigitalPost(DigitalPostSettings(url=post_office.url, sender_cvr=KOMMUNE_CVR, timeout_seconds=5))


def _afslag(api: Api, **fields) -> int:
    case = api.open_case(title="Bostøtte", **fields)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse("afslag")):
        api.complete(api.only_task(case["id"])["id"], data)
    return case["id"]


def _letters(api: Api, case_id: int) -> dict[str, dict]:
    return {x["kind"]: x for x in api.get(f"/cases/{case_id}/letters").get_json()}


def test_a_letter_reaches_digital_post_once_as_memo_with_its_pdf(sara, services, post_office, digital_post):
    case_id = _afslag(sara, citizen=CITIZEN)
    assert dispatch(services, digital_post).sent == 2  # the partshøring letter and the afgørelse
    assert post_office.problems == []
    received = {r.label: r for r in post_office.delivered()}
    afslag = received["Afgørelse om SEL § 85"]
    assert (afslag.recipient_id, afslag.recipient_type, afslag.sender_id) == ("0102031234", "CPR", KOMMUNE_CVR)
    assert afslag.case_id.startswith("SAG-")
    assert "Afslag (SEL § 85)" in afslag.pdf_text and "Borgeren opfylder betingelserne" in afslag.pdf_text
    letters = _letters(sara, case_id)
    assert {k: v["state"] for k, v in letters.items()} == {"partshoering": "sendt", "afgoerelse": "sendt"}
    assert dispatch(services, digital_post).sent == 0 and post_office.requests == 2  # never sent twice


def test_an_outage_keeps_the_letter_waiting_and_the_retry_sends_the_same_message(
    sara, services, clock, client, post_office, digital_post
):
    case_id = _afslag(sara, citizen=CITIZEN)
    post_office.outage = 2
    assert dispatch(services, digital_post).failed == 2
    waiting = _letters(sara, case_id)["afgoerelse"]
    assert (waiting["state"], waiting["attempts"]) == ("afventer", 1)
    assert "503" in waiting["last_error"]
    assert dispatch(services, digital_post).sent == 0  # backoff: not yet
    clock.advance(seconds=31)
    sara = Api.login(client, "sara")
    assert dispatch(services, digital_post).sent == 2
    assert len(post_office.delivered()) == 2 and post_office.problems == []
    sent = _letters(sara, case_id)["afgoerelse"]
    assert (sent["state"], sent["letter_date"], sent["attempts"]) == ("sendt", waiting["letter_date"], 1)


class Crash(Exception):
    """The scheduler dies after the receiver took the letter and before it was marked sent."""


def test_a_crash_after_sending_is_recognised_as_the_same_message_by_the_receiver(
    sara, services, clock, client, post_office, digital_post
):
    case_id = _afslag(sara, citizen=CITIZEN)

    class SendThenDie:
        def send(self, letter: Outgoing) -> None:
            digital_post.send(letter)
            raise Crash

    with pytest.raises(Crash):
        dispatch(services, SendThenDie())
    first = post_office.received[0]
    assert dispatch(services, digital_post).sent == 1  # the other letter; the first is leased by the dead one
    clock.advance(minutes=6)  # the lease runs out
    sara = Api.login(client, "sara")
    assert dispatch(services, digital_post).sent == 1
    again = post_office.received[-1]
    assert (again.message_uuid, again.status) == (first.message_uuid, 409)  # the same message, known to it
    assert len(post_office.delivered()) == 2
    assert {v["state"] for v in _letters(sara, case_id).values()} == {"sendt"}


def test_a_letter_the_receiver_refuses_is_marked_failed_and_counted(sara, services, client, post_office, digital_post):
    case_id = _afslag(sara, citizen=CITIZEN)
    post_office.refuse = 2
    assert dispatch(services, digital_post).failed == 2
    failed = _letters(sara, case_id)["afgoerelse"]
    assert (failed["state"], failed["last_error"]) == ("fejlet", "Digital Post afviste brevet (400)")
    assert dispatch(services, digital_post).failed == 0  # given up: a person must act
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "sagsflow_letters_failed 2.0" in metrics


def test_a_citizen_without_cpr_cannot_get_digital_post_and_is_told_why(sara, services, post_office, digital_post):
    case_id = _afslag(sara, citizen={"name": "Test Borger"})
    assert dispatch(services, digital_post).failed == 2 and post_office.requests == 0
    letter = _letters(sara, case_id)["afgoerelse"]
    assert letter["state"] == "fejlet" and "intet CPR-nummer" in letter["last_error"]


def test_an_exempt_citizens_letter_lands_in_the_days_print_batch(sara, services, client, post_office, digital_post):
    citizen = {**CITIZEN, "address": ADDRESS, "digital_post_exempt": True}
    case_id = _afslag(sara, citizen=citizen)
    assert dispatch(services, digital_post).sent == 2 and post_office.requests == 0
    assert {v["state"] for v in _letters(sara, case_id).values()} == {"sendt"}
    assert sara.get("/print-batches").status_code == 403
    make_user(services, "admin", "administrator", team=None)
    admin = Api.login(client, "admin")
    (batch,) = admin.get("/print-batches").get_json()
    assert (batch["day"], batch["letters"]) == ("2026-11-23", 2)
    response = admin.get("/print-batches/2026-11-23/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages]
    address_pages = [i for i, text in enumerate(pages) if text.startswith("Afsender:")]
    assert len(address_pages) == 2 and address_pages[0] == 0
    first_address = pages[address_pages[0]]
    assert "Test Borger" in first_address and "Vestergade 12, 2. th." in first_address and "7100 Vejle" in first_address
    assert "010203" not in " ".join(pages)  # no CPR number printed on the address pages or in the letters
    assert any("Afslag (SEL § 85)" in text for text in pages[address_pages[1] + 1 :])
    assert admin.get("/print-batches/2026-11-24/pdf").status_code == 404
    bad = admin.get("/print-batches/igaar/pdf")
    assert bad.status_code == 422 and "day" in bad.get_json()["errors"]
    log = admin.get(f"/access-log?case_id={case_id}").get_json()
    assert any(entry["purpose"] == "api:printbatch" for entry in log)


def test_the_print_batch_page_lets_an_administrator_download_the_day(sara, services, client):
    _afslag(sara, citizen={**CITIZEN, "address": ADDRESS, "digital_post_exempt": True})
    dispatch(services)
    make_user(services, "admin", "administrator", team=None)
    browser = Browser.login(client, "admin")
    page = text(browser.get("/fysisk-post"))
    assert "23. nov. 2026 2" in page and "Hent PDF" in page
    pdf = browser.get("/fysisk-post/2026-11-23.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    assert Browser.login(client, "sara").get("/fysisk-post").status_code == 403


def test_two_schedulers_at_once_deliver_each_letter_once(sara, services, post_office, digital_post):
    for n in range(3):
        _afslag(sara, citizen={**CITIZEN, "name": f"Borger {n}"})
    results: list = []
    workers = [threading.Thread(target=lambda: results.append(dispatch(services, digital_post))) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sum(r.sent for r in results) == 6 and sum(r.failed for r in results) == 0
    assert len(post_office.received) == 6 and len({r.message_uuid for r in post_office.received}) == 6
    assert post_office.problems == []
