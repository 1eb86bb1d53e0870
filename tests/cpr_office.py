"""An SF1520 person lookup (Serviceplatformen's PersonBaseDataExtended ``PersonLookup``) on 127.0.0.1 for the tests.

A real HTTP server: it reads the SOAP request with lxml, takes the PNR from the body (and records a
problem if a CPR number is ever in the URL), and answers from its own little register; ``down``
makes it answer 503, as during an outage.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from lxml import etree
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE = "http://serviceplatformen.dk/xml/wsdl/soap11/CPR/PersonBaseDataExtended/4/"
PNR = "http://serviceplatformen.dk/xml/schemas/cpr/PNR/1/"
CPR_SHAPE = re.compile(r"\d{6}-?\d{4}")


@dataclass(frozen=True)
class Resident:
    name: str
    road: str
    number: str
    postal_code: str
    city: str
    digital_post: bool
    protected: bool = False  # navne- og adressebeskyttelse


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class CprOffice:
    residents: dict[str, Resident] = field(default_factory=dict)  # PNR (10 digits) -> resident
    down: bool = False
    asked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server = make_server("127.0.0.1", 0, self._app, request_handler=_Quiet)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/sf1520/PersonBaseDataExtendedService/4"

    def start(self) -> CprOffice:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _app(self, environ: dict, start_response):  # type: ignore[no-untyped-def]
        request = Request(environ)
        if CPR_SHAPE.search(request.full_path):
            self.problems.append("CPR-nummer i URL'en")
        if self.down:
            return Response("Service Unavailable", status=503)(environ, start_response)
        pnr = etree.fromstring(request.get_data()).findtext(f".//{{{SERVICE}}}PersonLookupRequest/{{{PNR}}}PNR")
        self.asked.append(pnr or "")
        resident = self.residents.get(pnr or "")
        body = _answer(resident) if resident else _fault()
        return Response(body, status=200 if resident else 500, content_type="text/xml")(environ, start_response)


def _answer(r: Resident) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body>
 <ns:PersonLookupResponse xmlns:ns="{SERVICE}">
  <ns:persondata>
   <ns:navn><ns:personadresseringsnavn>{r.name}</ns:personadresseringsnavn></ns:navn>
   <ns:antalBoernUnder18>0</ns:antalBoernUnder18>
   <ns:tilmeldtDigitalpost>{"true" if r.digital_post else "false"}</ns:tilmeldtDigitalpost>{_protection(r)}
  </ns:persondata>
  <ns:adresse><ns:aktuelAdresse>
   <ns:husnummer>{r.number}</ns:husnummer><ns:postnummer>{r.postal_code}</ns:postnummer>
   <ns:postdistrikt>{r.city}</ns:postdistrikt><ns:vejadresseringsnavn>{r.road}</ns:vejadresseringsnavn>
  </ns:aktuelAdresse></ns:adresse>
 </ns:PersonLookupResponse>
</soapenv:Body></soapenv:Envelope>"""


def _protection(r: Resident) -> str:
    if not r.protected:
        return ""
    return "<ns:adressebeskyttelse><ns:beskyttelsestype>0001</ns:beskyttelsestype></ns:adressebeskyttelse>"


def _fault() -> str:
    return f"""<soapenv:Envelope xmlns:soapenv="{SOAP}"><soapenv:Body><soapenv:Fault>
<faultcode>soapenv:Client</faultcode><faultstring>Personen findes ikke</faultstring>
</soapenv:Fault></soapenv:Body></soapenv:Envelope>"""
