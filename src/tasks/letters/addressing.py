"""Who a letter is from and to, and how it travels: the municipality, the citizen, the caseworker, the channel.

The citizen's name is the case's; the address and the Digital Post status are the citizen party's (a
klage case uses its main case's).  A citizen exempt from Digital Post gets physical post; a case with
no citizen (anonymous) has no channel at all.  Representatives get a copy.  A citizen with navne- og
adressebeskyttelse has no address printed in a letter (Digital Post needs none; physical post is held).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tasks.accounts.model import User
from tasks.cases.model import Case
from tasks.letters.model import LetterChannel
from tasks.parties.model import Party
from tasks.service.uow import UnitOfWork


@dataclass(frozen=True)
class Addressing:
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    channel: LetterChannel | None
    caseworker: tuple[str, ...]
    signature: tuple[str, ...]
    copies: tuple[str, ...]
    municipality: Mapping[str, Any]


def addressing(uow: UnitOfWork, case: Case, caseworker: User | None = None) -> Addressing:
    municipality = uow.standard.municipality
    citizen, representatives = _parties(uow, case)
    name = case.citizen_name or (citizen.name if citizen is not None else None)
    recipient: tuple[str, ...] = ()
    channel = None
    if name:
        protected = citizen is not None and citizen.address_protected  # the address is printed nowhere
        recipient = (name, *(citizen.address_lines if citizen is not None and not protected else ()))
        exempt = citizen is not None and citizen.digital_post_exempt
        channel = LetterChannel.FYSISK_POST if exempt else LetterChannel.DIGITAL_POST
    worker = caseworker or case.sagsansvarlig
    return Addressing(
        sender=sender_lines(municipality),
        recipient=recipient,
        channel=channel,
        caseworker=_caseworker(worker, municipality),
        signature=_signature(worker, municipality),
        copies=tuple(p.describe() for p in representatives),
        municipality=municipality,
    )


def sender_lines(municipality: Mapping[str, Any]) -> tuple[str, ...]:
    lines = [str(municipality["navn"])]
    if municipality.get("afdeling"):
        lines.append(str(municipality["afdeling"]))
    lines += [str(line) for line in municipality.get("adresse", [])]
    if municipality.get("telefon"):
        lines.append(f"Telefon {municipality['telefon']}")
    if municipality.get("web"):
        lines.append(str(municipality["web"]))
    return tuple(lines)


def _parties(uow: UnitOfWork, case: Case) -> tuple[Party | None, list[Party]]:
    """The case's citizen party and representatives; a klage case without them: its main case's."""
    citizen, representatives = uow.parties.citizen_and_representatives(case.id)
    if case.parent_case_id is not None and (citizen is None or not representatives):
        main_citizen, main_representatives = uow.parties.citizen_and_representatives(case.parent_case_id)
        citizen = citizen if citizen is not None else main_citizen
        representatives = representatives or main_representatives
    return citizen, representatives


def _caseworker(user: User | None, municipality: Mapping[str, Any]) -> tuple[str, ...]:
    if user is None:
        return ()
    lines = [user.full_name or user.username]
    if user.email:
        lines.append(f"E-mail: {user.email}")
    return tuple(lines)


def _signature(user: User | None, municipality: Mapping[str, Any]) -> tuple[str, ...]:
    unit = str(municipality.get("afdeling") or municipality["navn"])
    if user is None:
        return (unit, str(municipality["navn"]))
    return (user.full_name or user.username, "Sagsbehandler", unit, str(municipality["navn"]))
