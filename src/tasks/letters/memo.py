"""MeMo, the national message format of Digital Post (Digitaliseringsstyrelsen's Message Model), as XML.

No package on PyPI or npm carries MeMo's schema, so Sagsflow builds the documented structure with
lxml and checks every message against ``memo.xsd`` beside this file (written from the documentation
and its example messages) before it leaves.  A message is one letter: the header names the message
(``messageUUID``: stable per letter, so a retry is the same message to the receiver), the sender (the
municipality's CVR) and the recipient (the citizen's CPR, or an authority's CVR); the body holds the
letter's PDF, base64-encoded, as the main document.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from lxml import etree

NAMESPACE = "https://DigitalPost.dk/MeMo-1"
SCHEMA_PATH = Path(__file__).with_name("memo.xsd")
MEMO_VERSION = "1.1"
CASE_SYSTEM = "Sagsflow"


@dataclass(frozen=True)
class MemoMessage:
    """What one MeMo message says; ``recipient_id`` is a CPR (10 digits) or CVR (8 digits) number."""

    message_uuid: str
    message_id: str  # our own reference: the case and the letter
    label: str  # the title the citizen sees in the inbox
    sender_cvr: str
    sender_label: str
    recipient_id: str = field(repr=False)  # never in a log line
    recipient_type: str  # "CPR" or "CVR"
    recipient_label: str = field(repr=False)
    case_reference: str
    created: datetime
    filename: str
    pdf: bytes = field(repr=False)


def build(message: MemoMessage) -> bytes:
    """The message as UTF-8 XML bytes."""
    root = _el(None, "Message", memoVersion=MEMO_VERSION, memoSchVersion="1.1.0")
    header = _el(root, "MessageHeader")
    for name, value in (
        ("messageType", "DIGITALPOST"),
        ("messageUUID", message.message_uuid),
        ("messageID", message.message_id),
        ("label", message.label[:256]),
        ("mandatory", "false"),
        ("legalNotification", "false"),
        ("postType", "MYNDIGHEDSPOST"),
    ):
        _el(header, name).text = value
    sender = _el(header, "Sender")
    _texts(sender, senderID=message.sender_cvr, idType="CVR", label=message.sender_label[:256])
    recipient = _el(header, "Recipient")
    _texts(recipient, recipientID=message.recipient_id, idType=message.recipient_type)
    if message.recipient_label:
        _el(recipient, "label").text = message.recipient_label[:256]
    case_id = _el(_el(header, "ContentData"), "CaseID")
    _texts(case_id, caseID=message.case_reference, caseSystem=CASE_SYSTEM)
    body = _el(root, "MessageBody")
    _el(body, "createdDateTime").text = message.created.isoformat().replace("+00:00", "Z")
    document = _el(body, "MainDocument")
    _texts(document, mainDocumentID=message.message_id, label=message.label[:256])
    file = _el(document, "File")
    _texts(
        file,
        encodingFormat="application/pdf",
        filename=message.filename,
        language="da",
        content=base64.b64encode(message.pdf).decode("ascii"),
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def problems(xml: bytes) -> list[str]:
    """What is wrong with a message against ``memo.xsd`` (empty: valid), each with its line."""
    try:
        document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        return [f"Ikke gyldig XML: {exc}"]
    schema = _schema()
    if schema.validate(document):
        return []
    return [f"linje {e.line}: {e.message}" for e in schema.error_log]


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def _el(parent: etree._Element | None, name: str, **attributes: str) -> etree._Element:
    tag = f"{{{NAMESPACE}}}{name}"
    if parent is None:
        return etree.Element(tag, attrib=attributes, nsmap={"memo": NAMESPACE})
    return etree.SubElement(parent, tag, attrib=attributes)


def _texts(parent: etree._Element, **values: str) -> None:
    for name, value in values.items():
        _el(parent, name).text = value
