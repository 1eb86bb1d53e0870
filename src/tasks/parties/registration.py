"""Register a case's parties when it is opened: the citizen's address and Digital Post status, representatives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from tasks.cases.model import Case
from tasks.parties.lookup import AddressOrigin
from tasks.parties.model import Party, PartyKind
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork

_POSTAL_CODE = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class NewParty:
    name: str
    relation: str = ""
    address: Address | None = None


def check_parties(
    citizen_name: str | None,
    address: Address | None,
    digital_post_exempt: bool,
    representatives: tuple[NewParty, ...],
) -> None:
    """Refuse, naming the field, what no letter could be sent to."""
    errors: dict[str, list[str]] = {}
    if (address is not None or digital_post_exempt) and not citizen_name:
        errors["citizen.name"] = ["Borgerens navn skal udfyldes, når adresse eller Digital Post-fritagelse er givet"]
    if digital_post_exempt and address is None:
        errors["citizen.address"] = ["Påkrævet, når borgeren er fritaget for Digital Post (brevene sendes med post)"]
    check_address(address, "citizen.address", errors)
    for i, party in enumerate(representatives):
        if not party.name.strip():
            errors[f"representatives.{i}.name"] = ["Feltet skal udfyldes"]
        check_address(party.address, f"representatives.{i}.address", errors)
    if errors:
        raise Invalid("Parternes oplysninger er ikke udfyldt korrekt", errors)


def check_address(address: Address | None, where: str, errors: dict[str, list[str]]) -> None:
    if address is None:
        return
    if not address.street.strip():
        errors[f"{where}.street"] = ["Feltet skal udfyldes"]
    if not _POSTAL_CODE.fullmatch(address.postal_code):
        errors[f"{where}.postal_code"] = ["Postnummeret skal være 4 cifre"]
    if not address.city.strip():
        errors[f"{where}.city"] = ["Feltet skal udfyldes"]


def register_parties(
    uow: UnitOfWork,
    case: Case,
    address: Address | None,
    digital_post_exempt: bool,
    representatives: tuple[NewParty, ...],
    now: datetime,
    origin: AddressOrigin | None = None,
) -> None:
    """Within an open unit of work: the citizen party (when the case names a citizen), with where its address came
    from, and the representatives."""
    if case.citizen_name:
        citizen = _party(case, PartyKind.BORGER, case.citizen_name, "", address, digital_post_exempt, now)
        if origin is not None:
            citizen.address_source, citizen.address_note = origin.source, origin.note
            citizen.looked_up_at = origin.looked_up_at
            citizen.address_protected = origin.protected
        uow.parties.add(citizen)
    for rep in representatives:
        uow.parties.add(_party(case, PartyKind.REPRAESENTANT, rep.name.strip(), rep.relation, rep.address, False, now))


def _party(
    case: Case, kind: PartyKind, name: str, relation: str, address: Address | None, exempt: bool, now: datetime
) -> Party:
    return Party(
        case_id=case.id,
        kind=kind,
        name=name,
        relation=relation.strip(),
        street=address.street.strip() if address else None,
        postal_code=address.postal_code if address else None,
        city=address.city.strip() if address else None,
        digital_post_exempt=exempt,
        added_at=now,
    )
