"""Digital Post: a letter leaves as one MeMo message, POSTed to the configured endpoint.

The endpoint (``SAGSFLOW_DIGITAL_POST_URL``) is the municipality's access to Digital Post (in
production the NgDP/Serviceplatformen endpoint or the municipality's own integration broker), reached
with a client certificate and/or a bearer token.  The CPR number travels in the message body only,
never in the URL, and is never logged.

What the answer means:

- 2xx: delivered.  409 (or any 2xx for a message id seen before): the receiver already has this
  message (a retry after a crash between sending and recording it): delivered, not sent twice.
- 408, 425, 429, 5xx, a timeout or no connection: try again later (``TransportError``), with the
  same message id, date and PDF.
- any other 4xx: the receiver will never take this message (``Undeliverable``): the letter is
  marked failed and shown as such; retrying would not help.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time

import requests

from tasks.letters import memo
from tasks.letters.transport import Outgoing, TransportError, Undeliverable

log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({408, 425, 429})
ANKESTYRELSEN_BUNDLE = "ankestyrelsen_bundle"


@dataclass(frozen=True)
class DigitalPostSettings:
    url: str
    sender_cvr: str  # the municipality's CVR number (MeMo Sender)
    sender_label: str = "Kommunen"
    ankestyrelsen_cvr: str | None = None  # the recipient of the klage bundle
    client_cert: str | None = None  # PEM file with the certificate (and key, unless ``client_key``)
    client_key: str | None = None
    ca_bundle: str | None = None  # PEM file the endpoint's certificate is checked against
    token: str | None = None  # Authorization: Bearer
    timeout_seconds: float = 30.0


class DigitalPost:
    """The Digital Post transport (``dispatch.Transport``)."""

    def __init__(self, settings: DigitalPostSettings, http: requests.Session | None = None) -> None:
        self.settings = settings
        self._http = http or requests.Session()

    def send(self, letter: Outgoing) -> None:
        xml = memo.build(self.message(letter))
        if found := memo.problems(xml):  # our own message breaks the schema: a bug, never retried
            raise Undeliverable("MeMo-beskeden er ugyldig: " + "; ".join(found[:3]))
        try:
            response = self._http.post(
                self.settings.url,
                data=xml,
                headers=self._headers(letter),
                timeout=self.settings.timeout_seconds,
                cert=self._cert(),
                verify=self.settings.ca_bundle or True,
            )
        except requests.RequestException as exc:
            raise TransportError(f"Digital Post svarer ikke: {type(exc).__name__}") from None
        self._judge(response.status_code, letter)

    def message(self, letter: Outgoing) -> memo.MemoMessage:
        recipient_id, recipient_type = self._recipient(letter)
        return memo.MemoMessage(
            message_uuid=letter.message_uuid,
            message_id=f"{letter.reference}-{letter.letter_id}",
            label=letter.title,
            sender_cvr=self.settings.sender_cvr,
            sender_label=self.settings.sender_label,
            recipient_id=recipient_id,
            recipient_type=recipient_type,
            recipient_label=letter.recipient_name,
            case_reference=letter.reference,
            created=letter.prepared_at or datetime.combine(letter.letter_date, time(), UTC),
            filename=f"{letter.reference}-{letter.kind}-{letter.letter_id}.pdf",
            pdf=letter.pdf,
        )

    def _recipient(self, letter: Outgoing) -> tuple[str, str]:
        if letter.kind == ANKESTYRELSEN_BUNDLE:
            if not self.settings.ankestyrelsen_cvr:
                raise Undeliverable("Ankestyrelsens CVR-nummer er ikke sat op (SAGSFLOW_ANKESTYRELSEN_CVR)")
            return self.settings.ankestyrelsen_cvr, "CVR"
        if not letter.recipient_cpr:
            raise Undeliverable("Sagen har intet CPR-nummer på borgeren, så brevet kan ikke sendes med Digital Post")
        return letter.recipient_cpr, "CPR"

    def _headers(self, letter: Outgoing) -> dict[str, str]:
        headers = {"Content-Type": "application/xml; charset=utf-8", "Idempotency-Key": letter.message_uuid}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        return headers

    def _cert(self) -> str | tuple[str, str] | None:
        if self.settings.client_cert and self.settings.client_key:
            return (self.settings.client_cert, self.settings.client_key)
        return self.settings.client_cert

    @staticmethod
    def _judge(status: int, letter: Outgoing) -> None:
        if 200 <= status < 300:
            return
        if status == 409:
            log.info("Brev %s: Digital Post havde allerede beskeden (samme id); regnes som afsendt", letter.letter_id)
            return
        if status in RETRY_STATUSES or status >= 500:
            raise TransportError(f"Digital Post svarede {status}; prøves igen")
        raise Undeliverable(f"Digital Post afviste brevet ({status})")
