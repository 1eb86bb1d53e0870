"""What each letter says: the afgørelse, the genvurdering and the bundle for Ankestyrelsen, in Danish.

Pure functions of the case and the process data: they build a ``LetterContent`` the PDF renderer
prints.  The klagevejledning names the day the klagefrist ends (R4: 4 weeks from receipt; a letter
sent by Digital Post counts as received the day it is sent; rolled forward past a closed day) and
where the klage goes: to the municipality, which genvurderer first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from engine import calendar
from tasks.cases.model import Case
from tasks.frister.rules import klagefrist
from tasks.journal.model import JournalEntry
from tasks.klager.model import Klage
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.letters.model import Letter
from tasks.letters.pdf import LetterContent, Section
from tasks.service.danish import long_date as dk_date
from tasks.service.danish import stamp as _stamp

DECISION_DA = {"bevilling": "Bevilling", "delvis_bevilling": "Delvis bevilling", "afslag": "Afslag"}
GENVURDERING_DA = {
    "medhold": "Du får medhold: afgørelsen er ændret",
    "delvis_medhold": "Du får delvist medhold: afgørelsen er delvist ændret",
    "fastholdt": "Kommunen fastholder afgørelsen",
}


def decision_letter(
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


def genvurdering_letter(
    case: Case, data: dict[str, Any], now: datetime, standard: Kvalitetsstandard
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


@dataclass(frozen=True)
class BundleSources:
    """What the bundle for Ankestyrelsen quotes from the main case (gathered by the letters handler)."""

    klage: Klage
    parent: Case
    parent_data: dict[str, Any]
    journal: list[JournalEntry]
    documents: list[Letter]


def ankestyrelsen_bundle(
    klage_case: Case, sources: BundleSources, data: dict[str, Any], now: datetime, standard: Kvalitetsstandard
) -> tuple[str, LetterContent, None]:
    """The klage, the afgørelse, the genvurdering, the main case's journal and its documents, in one PDF."""
    klage, parent, decision = sources.klage, sources.parent, sources.parent_data
    in_time = "ja" if klage.in_time else "nej - se vurderingen af fristoverskridelsen i journalen"
    sections = [
        Section(
            "Klagen",
            (
                f"Klagesag {klage_case.reference}: klagen er modtaget {dk_date(klage.received_on)}; "
                f"afgørelsen blev modtaget {dk_date(klage.decision_received_on)}; klagefristen udløb "
                f"{dk_date(klage.klagefrist)}. Rettidig: {in_time}.",
            ),
        ),
        Section(
            "Kommunens genvurdering",
            (
                GENVURDERING_DA.get(data.get("udfald", ""), str(data.get("udfald", ""))) + ".",
                str(data.get("begrundelse", "")),
            ),
        ),
        Section(
            f"Den påklagede afgørelse (sag {parent.reference})",
            (
                f"{DECISION_DA.get(decision.get('udfald', ''), decision.get('udfald', '-'))} "
                f"({decision.get('lovgrundlag') or parent.ydelse or '-'}).",
                f"Begrundelse: {decision.get('begrundelse', '-')}",
            ),
        ),
        Section(
            f"Sagens journal ({len(sources.journal)} indførsler)",
            tuple(f"{_stamp(e.at)}  {e.actor}: {e.message}" for e in sources.journal),
        ),
        Section(
            "Sagens dokumenter",
            tuple(f"{_stamp(d.created_at)}  {d.title}" for d in sources.documents) or ("Ingen",),
        ),
        Section(
            "Oversendelse",
            (f"Sendt til Ankestyrelsen {_day(data.get('sendt_dato'))}. Akter: {data.get('akter') or 'se ovenfor'}.",),
        ),
    ]
    title = f"Klage til Ankestyrelsen - sag {parent.reference}"
    content = _content(klage_case, title, calendar.local_date(now), sections, standard)
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


def plain_letter(case: Case, title: str, text: str, now: datetime, standard: Kvalitetsstandard) -> LetterContent:
    """A letter a diagram writes through the ``skriv_brev`` operation: a title and a text, no klagevejledning."""
    paragraphs = tuple(p.strip() for p in text.split("\n\n") if p.strip()) or ("",)
    return _content(case, title, calendar.local_date(now), [Section(title, paragraphs)], standard)


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
