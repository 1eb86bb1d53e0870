"""Representatives get a copy of every letter to the citizen: its own dispatch row and message id, the original's
PDF stamped "KOPI til …", in the day's print batch behind the representative's address page; never twice."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from tasks.letters.digital_post import DigitalPost, DigitalPostSettings
from tasks.letters.transport import Outgoing
from tests.helpers import Api, afgoerelse, dispatch, henvendelse, make_user, partshoering, udredning
from tests.post_office import PostOffice

CITIZEN = {"cpr": "010203-1234", "name": "Test Borger"}
REP = {
    "name": "Bente Bisidder",
    "relation": "partsrepræsentant",
    "address": {"street": "Nørregade 3", "postal_code": "7100", "city": "Vejle"},
}


@pytest.fixture
def post_office() -> Iterator[PostOffice]:
    office = PostOffice().start()
    yield office
    office.stop()


@pytest.fixture
def digital_post(post_office: PostOffice) -> DigitalPost:
    return DigitalPost(DigitalPostSettings(url=post_office.url, sender_cvr="29189889", timeout_seconds=5))


def _afslag(api: Api, **fields) -> int:
    case = api.open_case(title="Bostøtte", **fields)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse("afslag")):
        api.complete(api.only_task(case["id"])["id"], data)
    return case["id"]


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_each_representative_gets_a_stamped_copy_by_post_and_the_citizen_one_letter(
    sara, services, client, post_office, digital_post
):
    second = {"name": "Verner Værge", "relation": "værge", "address": {**REP["address"], "street": "Torvet 1"}}
    case_id = _afslag(sara, citizen=CITIZEN, representatives=[REP, second])
    result = dispatch(services, digital_post)
    assert (result.sent, result.failed) == (6, 0)  # partshøring and afgørelse, each to the citizen and two copies
    assert len(post_office.delivered()) == 2  # the citizen: one message per letter, by Digital Post
    letters = sara.get(f"/cases/{case_id}/letters").get_json()
    originals = [x for x in letters if x["copy_of_id"] is None]
    copies = [x for x in letters if x["copy_of_id"] is not None]
    assert len(originals) == 2 and len(copies) == 4
    afgoerelse_letter = next(x for x in originals if x["kind"] == "afgoerelse")
    to_rep = [c for c in copies if c["copy_of_id"] == afgoerelse_letter["id"]]
    assert sorted(c["copy_to"] for c in to_rep) == ["Bente Bisidder (partsrepræsentant)", "Verner Værge (værge)"]
    for copy in to_rep:
        assert (copy["state"], copy["channel"]) == ("sendt", "fysisk_post")
        assert (copy["letter_date"], copy["klagefrist_ends_on"]) == (
            afgoerelse_letter["letter_date"],
            afgoerelse_letter["klagefrist_ends_on"],
        )
        text = _text(sara.get(f"/cases/{case_id}/letters/{copy['id']}/pdf").data)
        assert f"KOPI til {copy['copy_to']}" in text and "Afslag (SEL § 85)" in text
    assert "KOPI til" not in _text(sara.get(f"/cases/{case_id}/letters/{afgoerelse_letter['id']}/pdf").data)

    assert dispatch(services, digital_post).sent == 0  # a second run sends nothing again
    assert len(sara.get(f"/cases/{case_id}/letters").get_json()) == 6
    make_user(services, "admin", "administrator", team=None)
    batch = Api.login(client, "admin").get("/print-batches/2026-11-23/pdf").data
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(batch)).pages]
    address_pages = [p for p in pages if p.startswith("Afsender:")]
    assert len(address_pages) == 4
    assert sum("Bente Bisidder" in p and "Nørregade 3" in p for p in address_pages) == 2
    assert not any("Test Borger" in p for p in address_pages)  # the copies go to the representatives
    assert "010203" not in " ".join(pages)


class Crash(Exception):
    """The scheduler dies after the original was sent and its copies made, before they were dispatched."""


def test_a_crash_and_a_retry_never_make_or_send_a_second_copy(sara, services, clock, client, post_office, digital_post):
    case_id = _afslag(sara, citizen=CITIZEN, representatives=[REP])

    class SendThenDie:
        calls = 0

        def send(self, letter: Outgoing) -> None:
            digital_post.send(letter)
            SendThenDie.calls += 1
            if SendThenDie.calls == 2:
                raise Crash

    with pytest.raises(Crash):
        dispatch(services, SendThenDie())  # the first letter and its copy go; the second dies before recording
    clock.advance(minutes=6)
    sara = Api.login(client, "sara")
    dispatch(services, digital_post)
    dispatch(services, digital_post)
    letters = sara.get(f"/cases/{case_id}/letters").get_json()
    copies = [x for x in letters if x["copy_of_id"] is not None]
    assert len(copies) == 2 and {c["state"] for c in copies} == {"sendt"}
    assert len({r.message_uuid for r in post_office.received}) == 2  # the citizen's two letters, each once
    make_user(services, "admin", "administrator", team=None)
    (batch,) = Api.login(client, "admin").get("/print-batches").get_json()
    assert batch["letters"] == 2  # one copy of each letter in the print batch, never a second


def test_a_representative_without_an_address_gets_a_failed_copy_with_the_reason(sara, services, digital_post):
    case_id = _afslag(sara, citizen=CITIZEN, representatives=[{"name": "Bente Bisidder"}])
    assert dispatch(services, digital_post).sent == 2
    copies = [x for x in sara.get(f"/cases/{case_id}/letters").get_json() if x["copy_of_id"] is not None]
    assert len(copies) == 2 and {c["state"] for c in copies} == {"fejlet"}
    assert "Repræsentanten har ingen adresse" in copies[0]["last_error"]
    again = sara.post(f"/cases/{case_id}/letters/{copies[0]['id']}/resend")
    assert again.status_code == 200 and dispatch(services, digital_post).sent == 0
    copy = next(x for x in sara.get(f"/cases/{case_id}/letters").get_json() if x["id"] == copies[0]["id"])
    assert copy["state"] == "fejlet"  # still no address: never an envelope without one in the print batch
