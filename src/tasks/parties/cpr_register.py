"""The CPR register through Serviceplatformen's person lookup (SF1520, PersonBaseDataExtended ``PersonLookup``).

One SOAP 1.1 call per lookup, POSTed to the configured endpoint (``SAGSFLOW_CPR_URL``): the CPR number
travels in the body (``PNR``), never in the URL, and is never logged.  The answer gives the name, the
current address (``aktuelAdresse``) and whether the citizen is registered for Digital Post
(``tilmeldtDigitalpost``: false means exempt, so letters go by physical post).

Any failure — no connection, a timeout, a non-200 answer, a SOAP fault, an answer Sagsflow cannot
read — is ``CprUnavailable``: the case goes on, and the address is entered by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import requests
from lxml import etree

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE = "http://serviceplatformen.dk/xml/wsdl/soap11/CPR/PersonBaseDataExtended/4/"
PNR = "http://serviceplatformen.dk/xml/schemas/cpr/PNR/1/"
SOAP_ACTION = SERVICE + "PersonLookup"
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class CprSettings:
    url: str
    client_cert: str | None = None
    client_key: str | None = None
    ca_bundle: str | None = None
    token: str | None = None
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class Person:
    """What the register says about a citizen (what letters need)."""

    name: str | None = field(repr=False)
    street: str | None = field(repr=False)
    postal_code: str | None = field(repr=False)
    city: str | None = field(repr=False)
    digital_post: bool  # registered for Digital Post; False: exempt (physical post)
    protected_address: bool = False  # adressebeskyttelse: the address is never shown outside the case

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.postal_code and self.city)


class CprUnavailable(Exception):
    """The register did not answer usefully; the message is Danish and carries no personal data."""


class CprRegister(Protocol):
    def lookup(self, cpr: str) -> Person: ...


class Sf1520:
    """The person lookup over HTTP (``CprRegister``)."""

    def __init__(self, settings: CprSettings, http: requests.Session | None = None) -> None:
        self.settings = settings
        self._http = http or requests.Session()

    def lookup(self, cpr: str) -> Person:
        try:
            response = self._http.post(
                self.settings.url,
                data=request_body(cpr),
                headers=self._headers(),
                timeout=self.settings.timeout_seconds,
                cert=self._cert(),
                verify=self.settings.ca_bundle or True,
            )
        except requests.RequestException as exc:
            raise CprUnavailable(f"CPR-registret svarer ikke ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise CprUnavailable(f"CPR-registret svarede {response.status_code}")
        return parse_response(response.content)

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{SOAP_ACTION}"'}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        return headers

    def _cert(self) -> str | tuple[str, str] | None:
        if self.settings.client_cert and self.settings.client_key:
            return (self.settings.client_cert, self.settings.client_key)
        return self.settings.client_cert


def request_body(cpr: str) -> bytes:
    """The SOAP envelope of a PersonLookupRequest for ``cpr`` (with or without the hyphen)."""
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soapenv": SOAP})
    body = etree.SubElement(envelope, f"{{{SOAP}}}Body")
    request = etree.SubElement(body, f"{{{SERVICE}}}PersonLookupRequest", nsmap={"ns": SERVICE, "cpr": PNR})
    etree.SubElement(request, f"{{{PNR}}}PNR").text = cpr.replace("-", "")
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def parse_response(content: bytes) -> Person:
    try:
        root = etree.fromstring(content, parser=_SAFE)
    except etree.XMLSyntaxError:
        raise CprUnavailable("CPR-registrets svar kunne ikke læses") from None
    if root.find(f".//{{{SOAP}}}Fault") is not None:
        raise CprUnavailable("CPR-registret kunne ikke slå personen op")
    answer = root.find(f".//{{{SERVICE}}}PersonLookupResponse")
    if answer is None:
        raise CprUnavailable("CPR-registrets svar kunne ikke læses")
    person = answer.find(f"{{{SERVICE}}}persondata")
    address = answer.find(f"{{{SERVICE}}}adresse/{{{SERVICE}}}aktuelAdresse")
    digital = _text(person, "tilmeldtDigitalpost")
    return Person(
        name=_text(person, f"navn/{{{SERVICE}}}personadresseringsnavn"),
        street=_street(address),
        postal_code=_text(address, "postnummer"),
        city=_text(address, "postdistrikt"),
        digital_post=digital is None or digital.lower() == "true",
        protected_address=_text(person, "adressebeskyttelse") is not None,
    )


def _street(address: etree._Element | None) -> str | None:
    if standard := _text(address, "standardadresse"):
        return standard
    road = _text(address, "vejadresseringsnavn") or _text(address, "vejnavn")
    if road is None:
        return None
    number = _text(address, "husnummer") or ""
    floor = ", ".join(p for p in (_text(address, "etage"), _text(address, "sidedoer")) if p)
    return " ".join(p for p in (road, number.lstrip("0")) if p) + (f", {floor}" if floor else "")


def _text(parent: etree._Element | None, path: str) -> str | None:
    if parent is None:
        return None
    found = parent.find(f"{{{SERVICE}}}{path}")
    if found is None:
        return None
    if len(found):  # an element with children (adressebeskyttelse): present
        return "".join(found.itertext()).strip() or "ja"
    text = (found.text or "").strip()
    return text or None
