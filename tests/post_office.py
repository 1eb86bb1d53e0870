"""A Digital Post receiver on 127.0.0.1 for the tests: a real HTTP server that checks what it gets.

Every POST must be a MeMo message valid against ``memo.xsd`` (read with lxml, independently of the
code that wrote it), carry a real PDF as its main document, name the recipient in the body and never
a CPR number in the URL.  It remembers each ``messageUUID`` and answers a repeat with 409, as a
receiver that dedupes does; ``outage`` makes the next N requests answer 503.
"""

from __future__ import annotations

import base64
import io
import re
import threading
from dataclasses import dataclass, field

from lxml import etree
from pypdf import PdfReader
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from tasks.letters.memo import NAMESPACE, SCHEMA_PATH

M = f"{{{NAMESPACE}}}"
CPR_SHAPE = re.compile(r"\d{6}-?\d{4}")


@dataclass
class Received:
    message_uuid: str
    recipient_id: str
    recipient_type: str
    sender_id: str
    label: str
    case_id: str
    pdf_text: str
    status: int


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:  # no access log lines in the test output
        return None


@dataclass
class PostOffice:
    outage: int = 0  # answer the next N requests with 503
    refuse: int = 0  # answer the next N requests with 400
    received: list[Received] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    requests: int = 0

    def __post_init__(self) -> None:
        self._schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._server = make_server("127.0.0.1", 0, self._app, request_handler=_Quiet)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/memo/v1/messages"

    def start(self) -> PostOffice:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def delivered(self) -> list[Received]:
        return [r for r in self.received if r.status == 201]

    def _app(self, environ: dict, start_response):  # type: ignore[no-untyped-def]
        request = Request(environ)
        with self._lock:
            self.requests += 1
            status = self._answer(request)
        return Response(status=status)(environ, start_response)

    def _answer(self, request: Request) -> int:
        if CPR_SHAPE.search(request.full_path):
            self.problems.append(f"CPR-nummer i URL'en: {request.path}")
        if self.outage:
            self.outage -= 1
            return 503
        if self.refuse:
            self.refuse -= 1
            return 400
        if request.method != "POST" or request.mimetype != "application/xml":
            self.problems.append(f"{request.method} {request.mimetype}")
            return 415
        document = etree.fromstring(request.get_data())
        if not self._schema.validate(document):
            self.problems.append(str(self._schema.error_log))
            return 400
        received = self._read(document)
        received.status = 409 if received.message_uuid in self._seen else 201
        self._seen.add(received.message_uuid)
        self.received.append(received)
        return received.status

    def _read(self, document: etree._Element) -> Received:
        header = document.find(f"{M}MessageHeader")
        content = document.findtext(f"{M}MessageBody/{M}MainDocument/{M}File/{M}content") or ""
        pdf = base64.b64decode(content)
        if not pdf.startswith(b"%PDF-"):
            self.problems.append("Hoveddokumentet er ikke en PDF")
        pages = PdfReader(io.BytesIO(pdf)).pages
        return Received(
            message_uuid=header.findtext(f"{M}messageUUID"),
            recipient_id=header.findtext(f"{M}Recipient/{M}recipientID"),
            recipient_type=header.findtext(f"{M}Recipient/{M}idType"),
            sender_id=header.findtext(f"{M}Sender/{M}senderID"),
            label=header.findtext(f"{M}label"),
            case_id=header.findtext(f"{M}ContentData/{M}CaseID/{M}caseID"),
            pdf_text=" ".join(" ".join(page.extract_text() for page in pages).split()),
            status=0,
        )
