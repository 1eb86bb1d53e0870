"""The citizen's address and Digital Post status from the CPR register, asked when a case opens or on request.

The register is asked before any transaction opens (a slow register never holds a database lock) and
its answer is cached on the case's citizen party, so letters, pages and the print batch read the
party, never the register.  When the register is not configured, or does not answer, the case goes
on: the address the caseworker entered is used and the party says so in Danish ("indtastet
manuelt").  The CPR number goes to the register in the request body only and is never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from tasks.parties.cpr_register import CprRegister, CprUnavailable, Person
from tasks.parties.model import AddressSource

log = logging.getLogger(__name__)

ENTERED_BY_HAND = "Adressen er indtastet manuelt"


@dataclass(frozen=True)
class AddressOrigin:
    """Where a new party's address came from, and what the caseworker should know about it."""

    source: AddressSource | None
    note: str | None
    looked_up_at: datetime | None = None
    protected: bool = False  # the register says navne- og adressebeskyttelse


@dataclass(frozen=True)
class RegisterAnswer:
    name: str | None
    address: tuple[str, str, str] | None  # street, postal code, city
    digital_post_exempt: bool
    origin: AddressOrigin


def consult(
    register: CprRegister | None,
    cpr: str | None,
    given_address: tuple[str, str, str] | None,
    given_exempt: bool,
    now: datetime,
) -> RegisterAnswer | None:
    """The register's answer for a new case's citizen, or the caseworker's own entry when it cannot answer.
    None when there is no citizen with a CPR number to ask about and nothing was entered."""
    manual = AddressOrigin(AddressSource.MANUEL, ENTERED_BY_HAND) if given_address else None
    if register is None or not cpr:
        return RegisterAnswer(None, given_address, given_exempt, manual) if manual else None
    try:
        person = register.lookup(cpr)
    except CprUnavailable as exc:
        log.warning("CPR-opslag ved oprettelse fejlede: %s", exc)
        return RegisterAnswer(None, given_address, given_exempt, unavailable(str(exc), given_address is not None))
    return answer_from(person, given_address, now)


def answer_from(person: Person, given_address: tuple[str, str, str] | None, now: datetime) -> RegisterAnswer:
    address: tuple[str, str, str] | None
    if person.has_address:
        address = (person.street or "", person.postal_code or "", person.city or "")
        origin = AddressOrigin(
            AddressSource.CPR,
            "Adresse og Digital Post-status er hentet fra CPR-registret",
            now,
            protected=person.protected_address,
        )
    else:
        address = given_address
        note = "CPR-registret har ingen adresse på borgeren: " + (
            "adressen er indtastet manuelt" if given_address else "indtast den manuelt"
        )
        origin = AddressOrigin(
            AddressSource.MANUEL if given_address else None, note, now, protected=person.protected_address
        )
    return RegisterAnswer(person.name, address, not person.digital_post, origin)


def unavailable(reason: str, entered: bool) -> AddressOrigin:
    if entered:
        return AddressOrigin(AddressSource.MANUEL, f"{reason}: {ENTERED_BY_HAND.lower()}")
    return AddressOrigin(None, f"{reason}: indtast adressen manuelt, når den kendes")
