"""Register a klage on a case's afgørelse: a klage case of its own, with the klagefrist judged at once.

R4: the klagefrist is 4 weeks from the day the citizen received the afgørelse, rolled forward to
the next hverdag when it ends on a closed day; a klage received later is still registered,
flagged, and a sagsbehandler decides whether it is treated (R5).  R6, the genvurdering within
4 weeks of receiving the klage, is the frist of the diagram's genvurdering task.

The klage's link to the main case is decided here, after checking the actor may see that case and
that it has an afgørelse to complain about — never taken from what a client sends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from engine import calendar
from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.cases.model import Case
from tasks.cases.opening import NewCase, ensure_may_open, start_case
from tasks.cases.reading import case_view
from tasks.cases.views import CaseView
from tasks.events import KlageRegistered
from tasks.frister import rules
from tasks.frister.rules import klagefrist
from tasks.klager.model import Klage, KlageSubject
from tasks.letters.model import Letter
from tasks.parties.model import Party
from tasks.parties.registration import Address
from tasks.pathways.klage import KLAGE
from tasks.service.actors import Actor
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork
from tasks.stays.model import StayRefusal

DECISION_LETTERS = ("afgoerelse", "aendring", "ophoer", "genvurdering")
MAX_COMPLAINT = 10_000


@dataclass(frozen=True)
class KlageView:
    case: CaseView
    in_time: bool
    klagefrist: datetime


@dataclass(frozen=True)
class KlageAbout:
    """What the citizen complains about: an afgørelse (optionally its letter) or a krisecenter's refusal."""

    subject: KlageSubject = KlageSubject.AFGOERELSE
    letter_id: int | None = None
    complaint: str = ""


def register_klage(
    uow: UnitOfWork,
    actor: Actor,
    case_id: int,
    received_at: datetime,
    decision_received_on: date,
    now: datetime,
    about: KlageAbout | None = None,
) -> KlageView:
    about = about or KlageAbout()
    ensure_may_open(actor, "sagsbehandling")
    _check(about, received_at, decision_received_on, now)
    with uow:
        parent = visible_case(uow, actor, case_id)
        _ensure_can_be_complained_about(uow, parent, about)
        due = klagefrist(decision_received_on)
        in_time = rules.in_time(received_at, due)  # the whole last day, Copenhagen time
        received_on = calendar.local_date(received_at)
        system_data = {
            "klage_received_on": received_on.isoformat(),
            "decision_received_on": decision_received_on.isoformat(),
            "klagefrist": due.isoformat(),
            "klage_rettidig": in_time,
        }
        citizen = uow.parties.citizen(parent.id)
        new = NewCase(
            process=KLAGE.process_key,
            received_at=received_at,
            title=f"Klage over {_what(about)} i {parent.reference}",
            ydelse=parent.ydelse,
            team=parent.team,
            citizen_cpr=parent.citizen_cpr,
            citizen_name=parent.citizen_name,
            citizen_address=_address_of(citizen),
            digital_post_exempt=citizen.digital_post_exempt if citizen is not None else False,
        )
        case = start_case(uow, actor, new, now, parent=parent, system_data=system_data)
        uow.session.add(
            Klage(
                case_id=case.id,
                parent_case_id=parent.id,
                received_on=received_on,
                decision_received_on=decision_received_on,
                klagefrist=due,
                in_time=in_time,
                subject=about.subject,
                letter_id=about.letter_id,
                complaint=about.complaint.strip(),
            )
        )
        uow.publish(KlageRegistered(case, parent, now, actor.username, about.subject.label_da.lower()))
        uow.dispatch()
        view = case_view(uow, case)
        uow.commit()
    return KlageView(view, in_time, due)


def _check(about: KlageAbout, received_at: datetime, decision_received_on: date, now: datetime) -> None:
    if len(about.complaint) > MAX_COMPLAINT:
        raise Invalid("Klagens tekst er for lang", {"complaint": [f"Højst {MAX_COMPLAINT} tegn"]})
    if received_at > now:
        raise Invalid("Klagen kan ikke være modtaget i fremtiden", {"received_at": ["Må ikke ligge i fremtiden"]})
    if decision_received_on > calendar.local_date(received_at):
        raise Invalid(
            "Afgørelsen kan ikke være modtaget efter klagen", {"decision_received_on": ["Senere end received_at"]}
        )


def _what(about: KlageAbout) -> str:
    return "afslag på ophold" if about.subject == KlageSubject.AFVIST_OPHOLD else "afgørelse"


def _address_of(party: Party | None) -> Address | None:
    if party is None or not party.has_address:
        return None
    return Address(party.street or "", party.postal_code or "", party.city or "")


def _ensure_can_be_complained_about(uow: UnitOfWork, case: Case, about: KlageAbout) -> None:
    if about.subject == KlageSubject.AFVIST_OPHOLD:
        if uow.session.get(StayRefusal, case.id) is None:
            raise Invalid(
                f"{case.reference} har intet afslag på ophold, der kan klages over",
                {"subject": ["Der er ikke registreret et afslag på ophold på sagen"]},
            )
        return
    if about.letter_id is not None:
        letter = uow.session.get(Letter, about.letter_id)
        if letter is None or letter.case_id != case.id or letter.kind not in DECISION_LETTERS:
            raise Invalid("Afgørelsen findes ikke på sagen", {"letter_id": ["Vælg en af sagens afgørelser"]})
        return
    if not uow.afgoerelser.for_case(case.id):
        raise Invalid(
            f"{case.reference} har ingen afgørelse, der kan klages over",
            {"case_id": ["Sagen har ingen afgørelse endnu"]},
        )


@dataclass(frozen=True)
class KlageChoices:
    """What a klage on this case can be about: its decision letters and a refused stay."""

    case_id: int
    reference: str
    title: str
    letters: list[tuple[int, str, date]]  # (letter id, title, the day it was sent)
    refused_on: date | None


def klage_choices(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "ui:klage") -> KlageChoices:
    with uow:
        case = visible_case(uow, actor, case_id)
        rows = uow.session.scalars(
            select(Letter).where(Letter.case_id == case.id, Letter.kind.in_(DECISION_LETTERS)).order_by(Letter.id)
        )
        letters = [(r.id, r.title, calendar.local_date(r.created_at)) for r in rows]
        refusal = uow.session.get(StayRefusal, case.id)
        choices = KlageChoices(case.id, case.reference, case.title, letters, refusal.refused_on if refusal else None)
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return choices
