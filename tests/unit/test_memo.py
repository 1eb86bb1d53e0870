"""MeMo messages against the schema Sagsflow wrote from the documentation, and the SF1520 answer read back."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from tasks.letters import memo
from tasks.parties.cpr_register import request_body

MESSAGE = memo.MemoMessage(
    message_uuid="8c2ea15d-61fb-4ba9-9366-42f8b194c114",
    message_id="SAG-2026-1-7",
    label="Afgørelse om SEL § 85",
    sender_cvr="29189889",
    sender_label="Vejle Kommune",
    recipient_id="0102031234",
    recipient_type="CPR",
    recipient_label="Test Borger",
    case_reference="SAG-2026-1",
    created=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    filename="SAG-2026-1-afgoerelse-7.pdf",
    pdf=b"%PDF-1.4 test",
)


def test_a_letter_as_memo_is_valid_against_the_schema():
    xml = memo.build(MESSAGE)
    assert memo.problems(xml) == []
    assert b"<memo:recipientID>0102031234</memo:recipientID>" in xml
    assert b"<memo:createdDateTime>2026-11-23T09:00:00Z</memo:createdDateTime>" in xml


def test_a_message_the_schema_refuses_names_what_is_wrong():
    bad = memo.build(replace(MESSAGE, recipient_id="010203-1234", message_uuid="ikke-et-uuid"))
    found = " ".join(memo.problems(bad))
    assert "recipientID" in found and "messageUUID" in found
    assert memo.problems(b"<ikke xml") != []


def test_the_person_lookup_sends_the_cpr_number_in_the_body_without_the_hyphen():
    body = request_body("010203-1234")
    assert b">0102031234</cpr:PNR>" in body and b"PersonLookupRequest" in body
