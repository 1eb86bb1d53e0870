"""The citizen's address and Digital Post status on a case: read it, ask the CPR register again, or enter it by hand.

The address is personal data: every read is access-logged and every change journalled.  Asking the
register happens with no transaction open; when it cannot answer, the caseworker enters the address
by hand and the party says so.  A change reaches the letters written after it (a letter keeps the
address it was written with).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.cases.model import Case
from tasks.parties.cpr_register import CprUnavailable
from tasks.parties.lookup import ENTERED_BY_HAND
from tasks.parties.model import Party, PartyKind
from tasks.parties.registration import Address, check_address
from tasks.service.actors import Actor
from tasks.service.danish import long_date
from tasks.service.errors import Forbidden, Invalid, Unavailable
from tasks.service.uow import UnitOfWork

EDITORS = frozenset({"sagsbehandler", "leder"})
ADDRESS_ROLES = frozenset({"sagsbehandler"})  # who sees a protected address: the caseworker who may send by hand
PROTECTED_NOTE = "Borgeren har navne- og adressebeskyttelse: adressen vises kun for sagsbehandlere"


@dataclass(frozen=True)
class CitizenRecord:
    name: str
    street: str | None
    postal_code: str | None
    city: str | None
    digital_post_exempt: bool
    address_source: str | None  # cpr, manuel, or None: no address yet
    address_note: str | None
    looked_up_at: datetime | None
    address_protected: bool = False

    @classmethod
    def of(cls, party: Party, actor: Actor) -> CitizenRecord:
        """The record as ``actor`` may see it: a protected address only for the roles that need it."""
        if party.address_protected and not actor.roles & ADDRESS_ROLES:
            return cls(
                party.name,
                None,
                None,
                None,
                party.digital_post_exempt,
                party.address_source,
                PROTECTED_NOTE,
                party.looked_up_at,
                True,
            )
        return cls(
            party.name,
            party.street,
            party.postal_code,
            party.city,
            party.digital_post_exempt,
            party.address_source,
            party.address_note,
            party.looked_up_at,
            party.address_protected,
        )


def citizen_record(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:borger") -> CitizenRecord:
    with uow:
        case = visible_case(uow, actor, case_id)
        party = _citizen(uow, case)
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        record = CitizenRecord.of(party, actor)
        uow.commit()
    return record


def refresh_from_register(uow: UnitOfWork, actor: Actor, case_id: int, now: datetime) -> CitizenRecord:
    """Ask the CPR register again and cache its answer on the case (503 with a Danish reason when it cannot)."""
    with uow:
        case = visible_case(uow, actor, case_id)
        _ensure_may_edit(actor)
        _citizen(uow, case)
        cpr = case.citizen_cpr
    if not cpr:
        raise Invalid("Sagen har intet CPR-nummer at slå op", {"citizen.cpr": ["Sagen har intet CPR-nummer"]})
    if uow.cpr_register is None:
        raise Unavailable("CPR-opslag er ikke sat op (SAGSFLOW_CPR_URL): indtast adressen manuelt")
    try:
        person = uow.cpr_register.lookup(cpr)  # no transaction open
    except CprUnavailable as exc:
        raise Unavailable(f"{exc}: prøv igen senere, eller indtast adressen manuelt") from None
    with uow:
        case = visible_case(uow, actor, case_id)
        party = _citizen(uow, case)
        address = (person.street or "", person.postal_code or "", person.city or "") if person.has_address else None
        party.from_register(person.name, address, not person.digital_post, now, person.protected_address)
        uow.journal.record(case, actor=actor.username, action="borger_opslag", at=now, message=party.address_note or "")
        record = CitizenRecord.of(party, actor)
        uow.commit()
    return record


def enter_address(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    address: Address,
    exempt: bool,
    now: datetime,
    protected: bool | None = None,
) -> CitizenRecord:
    """The caseworker's own entry (the register is not configured or cannot answer); ``protected`` sets or clears
    navne- og adressebeskyttelse (None keeps what the case has)."""
    errors: dict[str, list[str]] = {}
    check_address(address, "address", errors)
    if errors:
        raise Invalid("Adressen er ikke udfyldt korrekt", errors)
    with uow:
        case = visible_case(uow, actor, case_id)
        _ensure_may_edit(actor)
        party = _citizen(uow, case)
        note = f"{ENTERED_BY_HAND} af {actor.username} den {long_date(now)}"
        party.enter_by_hand((address.street.strip(), address.postal_code, address.city.strip()), exempt, note)
        if protected is not None:
            party.address_protected = protected
            note += "; navne- og adressebeskyttelse " + ("registreret" if protected else "fjernet")
        uow.journal.record(case, actor=actor.username, action="borger_adresse", at=now, message=note)
        record = CitizenRecord.of(party, actor)
        uow.commit()
    return record


def _citizen(uow: UnitOfWork, case: Case) -> Party:
    party = uow.parties.citizen(case.id)
    if party is not None:
        return party
    if not case.citizen_name:
        raise Invalid("Sagen har ingen navngiven borger", {"citizen": ["Sagen er anonym"]})
    party = Party(case_id=case.id, kind=PartyKind.BORGER, name=case.citizen_name, relation="", added_at=case.opened_at)
    party.digital_post_exempt = False
    return uow.parties.add(party)


def _ensure_may_edit(actor: Actor) -> None:
    if not actor.roles & EDITORS:
        raise Forbidden("Kun sagsbehandlere og ledere kan ændre borgerens adresse")
