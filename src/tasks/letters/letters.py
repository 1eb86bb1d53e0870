"""Letters to the citizen: each afgørelse and each genvurdering becomes a PDF with a klagevejledning.

Written in the same transaction as the step that made the decision (the Behandling subprocess
ending, or the genvurdering task completing), so a decision never exists without its letter.
The klagevejledning names the day the klagefrist ends (R4: 4 weeks from receipt; a letter sent
by Digital Post counts as received the day it is sent, so from the letter's date; rolled forward
past a closed day) and where the klage goes: to the municipality, which genvurderer first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from engine import calendar
from engine.runtime import Step
from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.cases.model import Case
from tasks.frister.deadlines import klagefrist
from tasks.journal.journal import entries as journal_entries
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.letters.model import Letter
from tasks.letters.pdf import LetterContent, Section, render
from tasks.service.actors import Actor
from tasks.service.errors import NotFound
from tasks.service.uow import UnitOfWork

MONTHS_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
DECISION_DA = {"bevilling": "Bevilling", "delvis_bevilling": "Delvis bevilling", "afslag": "Afslag"}
GENVURDERING_DA = {
    "medhold": "Du får medhold: afgørelsen er ændret",
    "delvis_medhold": "Du får delvist medhold: afgørelsen er delvist ændret",
    "fastholdt": "Kommunen fastholder afgørelsen",
}


@dataclass(frozen=True)
class LetterView:
    id: int
    kind: str
    title: str
    created_at: datetime
    klagefrist_ends_on: date | None

    @classmethod
    def of(cls, row: Letter) -> LetterView:
        return cls(row.id, row.kind, row.title, row.created_at, row.klagefrist_ends_on)


def dk_date(day: date) -> str:
    return f"{day.day}. {MONTHS_DA[day.month - 1]} {day.year}"


def write_letters_for_step(uow: UnitOfWork, case: Case, step: Step, now: datetime) -> None:
    """Called by the projection after every command: letters for the decisions this step made."""
    session, standard = uow.session, uow.standard
    if case.process_key == "sagsbehandling" and "behandling" in step.completed:
        _store(session, case, now, *_decision_letter(case, step.data, now, standard))
    if case.process_key == "klage" and "genvurdering" in step.completed:
        _store(session, case, now, *_genvurdering_letter(session, case, step.data, now, standard))
    if case.process_key == "klage" and "send_ankestyrelsen" in step.completed:
        _store(session, case, now, *_ankestyrelsen_bundle(uow, case, step.data, now, standard))


def list_letters(uow: UnitOfWork, actor: Actor, case_id: int) -> list[LetterView]:
    with uow:
        case = visible_case(uow, actor, case_id)
        rows = uow.session.scalars(select(Letter).where(Letter.case_id == case.id).order_by(Letter.id))
        return [LetterView.of(r) for r in rows]


def letter_pdf(
    uow: UnitOfWork, actor: Actor, case_id: int, letter_id: int, purpose: str = "api:brev"
) -> tuple[str, bytes]:
    """The PDF and a file name without personal data; the read is access-logged."""
    with uow:
        case = visible_case(uow, actor, case_id)
        row = uow.session.scalar(
            select(Letter).where(Letter.id == letter_id, Letter.case_id == case.id).options(undefer(Letter.pdf))
        )
        if row is None:
            raise NotFound("Brevet findes ikke")
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        filename, pdf = f"{case.reference}-{row.kind}-{row.id}.pdf", row.pdf
        uow.commit()
    return filename, pdf


def _store(session: Session, case: Case, now: datetime, kind: str, content: LetterContent, frist: date | None) -> None:
    session.add(
        Letter(
            case_id=case.id,
            kind=kind,
            title=content.title,
            created_at=now,
            klagefrist_ends_on=frist,
            pdf=render(content),
        )
    )


def _decision_letter(
    case: Case, data: dict[str, Any], now: datetime, standard: Kvalitetsstandard
) -> tuple[str, LetterContent, date]:
    sent_on = calendar.local_date(now)
    ends_on = calendar.local_date(klagefrist(sent_on))
    ydelse = data.get("lovgrundlag") or case.ydelse or "din ansøgning"
    udfald = DECISION_DA.get(data.get("udfald", ""), str(data.get("udfald", "")))
    sections = [
        Section("Afgørelse", (f"{udfald} ({ydelse}).",)),
        Section("Begrundelse", (str(data.get("begrundelse", "")),)),
        _klagevejledning(sent_on, ends_on, standard),
    ]
    return "afgoerelse", _content(case, f"Afgørelse om {ydelse}", sent_on, sections, standard), ends_on


def _genvurdering_letter(
    session: Session, case: Case, data: dict[str, Any], now: datetime, standard: Kvalitetsstandard
) -> tuple[str, LetterContent, date | None]:
    sent_on = calendar.local_date(now)
    udfald = data.get("udfald", "")
    sections = [
        Section("Resultat af genvurderingen", (GENVURDERING_DA.get(udfald, str(udfald)) + ".",)),
        Section("Begrundelse", (str(data.get("begrundelse", "")),)),
    ]
    ends_on = None
    if udfald in ("medhold", "delvis_medhold"):
        # A changed decision is a new afgørelse: it has its own klagefrist (R4 restarts).
        ends_on = calendar.local_date(klagefrist(sent_on))
        sections.append(_klagevejledning(sent_on, ends_on, standard))
    if udfald in ("delvis_medhold", "fastholdt"):
        sections.append(
            Section(
                "Klagen sendes til Ankestyrelsen",
                (
                    "Den del af afgørelsen, kommunen fastholder, sender vi sammen med din klage og sagens akter "
                    "til Ankestyrelsen, som træffer afgørelse i klagesagen. Du hører fra Ankestyrelsen.",
                ),
            )
        )
    title = f"Genvurdering: {case.title}" if case.title else "Genvurdering af afgørelsen"
    return "genvurdering", _content(case, title, sent_on, sections, standard), ends_on


def _ankestyrelsen_bundle(
    uow: UnitOfWork, klage: Case, data: dict[str, Any], now: datetime, standard: Kvalitetsstandard
) -> tuple[str, LetterContent, None]:
    """The klage, the afgørelse, the genvurdering, the main case's journal and its documents, in one PDF."""
    parent = uow.session.get(Case, (klage.details or {}).get("parent_case_id"))
    details = klage.details or {}
    in_time = "ja" if details.get("klage_rettidig") else "nej - se vurderingen af fristoverskridelsen i journalen"
    sections = [
        Section(
            "Klagen",
            (
                f"Klagesag {klage.reference}: klagen er modtaget {_day(details.get('klage_received_on'))}; "
                f"afgørelsen blev modtaget {_day(details.get('decision_received_on'))}; klagefristen udløb "
                f"{_day((details.get('klagefrist') or '')[:10])}. Rettidig: {in_time}.",
            ),
        ),
        Section(
            "Kommunens genvurdering",
            (
                GENVURDERING_DA.get(data.get("udfald", ""), str(data.get("udfald", ""))) + ".",
                str(data.get("begrundelse", "")),
            ),
        ),
    ]
    if parent is not None:
        decision = uow.instances.data(uow.instances.get(parent.instance_id))
        sections.append(
            Section(
                f"Den påklagede afgørelse (sag {parent.reference})",
                (
                    f"{DECISION_DA.get(decision.get('udfald', ''), decision.get('udfald', '-'))} "
                    f"({decision.get('lovgrundlag') or parent.ydelse or '-'}).",
                    f"Begrundelse: {decision.get('begrundelse', '-')}",
                ),
            )
        )
        entries = journal_entries(uow.session, parent.id)
        sections.append(
            Section(
                f"Sagens journal ({len(entries)} indførsler)",
                tuple(f"{_stamp(e.at)}  {e.actor}: {e.message}" for e in entries),
            )
        )
        documents = uow.session.scalars(
            select(Letter).where(Letter.case_id.in_([parent.id, klage.id])).order_by(Letter.created_at, Letter.id)
        ).all()
        sections.append(
            Section("Sagens dokumenter", tuple(f"{_stamp(d.created_at)}  {d.title}" for d in documents) or ("Ingen",))
        )
    sections.append(
        Section(
            "Oversendelse",
            (f"Sendt til Ankestyrelsen {_day(data.get('sendt_dato'))}. Akter: {data.get('akter') or 'se ovenfor'}.",),
        )
    )
    title = f"Klage til Ankestyrelsen - sag {parent.reference if parent else klage.reference}"
    content = _content(klage, title, calendar.local_date(now), sections, standard)
    content = LetterContent(
        ("Til Ankestyrelsen", *content.sender),
        content.recipient,
        content.date_line,
        content.reference,
        content.title,
        content.sections,
    )
    return "ankestyrelsen_bundle", content, None


def _day(iso: str | None) -> str:
    try:
        return dk_date(date.fromisoformat(iso)) if iso else "-"
    except ValueError:
        return str(iso)


def _stamp(moment: datetime) -> str:
    local = moment.astimezone(calendar.COPENHAGEN)
    return f"{local:%d.%m.%Y %H:%M}"


def _klagevejledning(sent_on: date, ends_on: date, standard: Kvalitetsstandard) -> Section:
    municipality = standard.municipality
    return Section(
        "Klagevejledning",
        (
            "Du kan klage over afgørelsen. Klagefristen er 4 uger fra den dag, du modtog afgørelsen "
            "(retssikkerhedslovens § 67). Afgørelsen er sendt med Digital Post den "
            f"{dk_date(sent_on)}, så din klage skal være modtaget senest den {dk_date(ends_on)}.",
            f"Send klagen til {municipality['navn']} - ikke direkte til Ankestyrelsen. Du kan klage til "
            f"{municipality['klage_til']}, skriftligt eller mundtligt. Kommunen genvurderer afgørelsen inden "
            "for 4 uger. Giver vi dig ikke fuldt ud medhold, sender vi klagen og sagens akter videre til "
            "Ankestyrelsen (retssikkerhedslovens § 66).",
        ),
    )


def _content(
    case: Case, title: str, sent_on: date, sections: list[Section], standard: Kvalitetsstandard
) -> LetterContent:
    municipality = standard.municipality
    recipient = (case.citizen_name,) if case.citizen_name else ("Til borgeren",)
    return LetterContent(
        sender=(municipality["navn"], *municipality.get("adresse", [])),
        recipient=recipient,
        date_line=dk_date(sent_on),
        reference=case.reference,
        title=title,
        sections=tuple(sections),
    )
