"""What each letter says, in Danish: afgørelse, ændring/ophør, partshøring, underretning, genvurdering, and the
bundle for Ankestyrelsen.

Pure functions of the case record: they build the letter's body (``LetterContent``) when the
decision is made.  What depends on the day the letter leaves — its date, when it counts as received,
the klagefrist — is added when it is dispatched (``printing.py``), so a letter never states a date
that was not its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from tasks.afgoerelser.model import KIND_DA, UDFALD_DA, Afgoerelse, AfgoerelseKind, PartshoeringStatus, Udfald
from tasks.bevillinger.model import Bevilling
from tasks.cases.model import Case
from tasks.journal.model import JournalEntry
from tasks.klager.model import Klage
from tasks.letters.addressing import Addressing
from tasks.letters.model import Letter
from tasks.letters.pdf import LetterContent, Section
from tasks.pathways.declaration import day, text
from tasks.service.danish import long_date
from tasks.service.danish import stamp as _stamp

GENVURDERING_DA = {
    "medhold": "Du får medhold: afgørelsen er ændret",
    "delvis_medhold": "Du får delvist medhold: afgørelsen er delvist ændret",
    "fastholdt": "Kommunen fastholder afgørelsen",
}


@dataclass(frozen=True)
class Draft:
    """A letter as the command writes it: kind, title, body, and whether a dated klagevejledning closes it."""

    kind: str
    title: str
    body: LetterContent
    klagevejledning: bool


def afgoerelse_letter(
    a: Addressing, case: Case, afg: Afgoerelse, bevilling: Bevilling | None, data: Mapping[str, Any]
) -> Draft:
    ydelse = afg.ydelse or case.ydelse or "din ansøgning"
    sections = [Section("Afgørelse", (f"Udfald: {UDFALD_DA[afg.udfald]} ({ydelse}).", _decision_sentence(afg, ydelse)))]
    if bevilling is not None:
        sections.append(_granted(bevilling, data))
    sections += [*_begrundelse(afg), _partshoering(afg, data), _questions(a)]
    title = f"Afgørelse om {ydelse}"
    return Draft("afgoerelse", title, _body(a, case, title, sections), klagevejledning=True)


def aendring_letter(
    a: Addressing, case: Case, afg: Afgoerelse, new: Bevilling | None, old: Bevilling | None, data: Mapping[str, Any]
) -> Draft:
    ydelse = afg.ydelse or case.ydelse or "din hjælp"
    if afg.kind == AfgoerelseKind.OPHOER:
        last_day = afg.period_end or (old.slut if old is not None else None)
        what = f"Din hjælp efter {ydelse} ophører. Sidste dag med hjælpen er {_long(last_day)}."
        sections = [Section("Afgørelse", (what,))]
        if old is not None:
            sections.append(Section("Den hjælp, der ophører", rows=_rows(old)))
        kind, title = "ophoer", f"Afgørelse om ophør af {ydelse}"
    else:
        sections = [
            Section("Afgørelse", (f"Din bevilling efter {ydelse} ændres fra {_long(new.start if new else None)}.",))
        ]
        if new is not None:
            sections.append(Section("Det er bevilget fremover", rows=_rows(new)))
        if old is not None:
            sections.append(
                Section(
                    "Den hidtidige bevilling",
                    (f"{old.omfang_i_ord} hos {old.leverandoer} ophører den {_long(old.slut)}.",),
                )
            )
        kind, title = "aendring", f"Afgørelse om ændring af din bevilling ({ydelse})"
    sections += [*_begrundelse(afg), _partshoering(afg, data), _questions(a)]
    return Draft(kind, title, _body(a, case, title, sections), klagevejledning=True)


def partshoering_letter(a: Addressing, case: Case, data: Mapping[str, Any], svarfrist: date, proposal: str) -> Draft:
    ydelse = case.ydelse or "din sag"
    material = text(data, "materiale", "Oplysningerne i din sag")
    sections = [
        Section(
            "Hvorfor får du dette brev",
            (
                f"{proposal} Før vi træffer afgørelse, vil vi gerne høre, om du har bemærkninger til de oplysninger, "
                "vi vil lægge vægt på (partshøring efter forvaltningslovens § 19).",
            ),
        ),
        Section("De oplysninger, vi vil lægge vægt på", (material,)),
        Section(
            "Din svarfrist",
            (
                f"Vi skal have dine bemærkninger senest den {long_date(svarfrist)}. Du kan svare skriftligt eller "
                "ringe til din sagsbehandler. Hvis vi ikke har hørt fra dig inden da, træffer vi afgørelse på det "
                "grundlag, vi har.",
                "Har du brug for mere tid, kan du bede om det. Du kan også bede om, at vi venter med "
                "afgørelsen, til du har udtalt dig (forvaltningslovens § 21).",
            ),
        ),
        _questions(a),
    ]
    title = f"Partshøring før afgørelse om {ydelse}"
    return Draft("partshoering", title, _body(a, case, title, sections), klagevejledning=False)


def underretning_letter(a: Addressing, case: Case, data: Mapping[str, Any], frist_day: date) -> Draft:
    ydelse = case.ydelse or "din ansøgning"
    promised = day(data, "forventet_afgoerelse")
    waits = text(data, "aarsag")
    sections = [
        Section(
            "Din sag tager længere tid",
            (
                f"Vi modtog din henvendelse om {ydelse} den {long_date(case.received_at)}. Kommunens frist for at "
                f"træffe afgørelse er den {long_date(frist_day)}, og den kan vi ikke nå.",
                "Vi skal give dig skriftlig besked, når vi ikke kan træffe afgørelse inden for fristen "
                "(retssikkerhedslovens § 3, stk. 2).",
            ),
        ),
        Section(
            "Hvornår kan du forvente en afgørelse", (f"Vi forventer at træffe afgørelse senest den {_long(promised)}.",)
        ),
    ]
    if waits:
        sections.append(Section("Hvad venter sagen på", (waits,)))
    sections.append(_questions(a))
    title = f"Besked om forlænget sagsbehandlingstid ({ydelse})"
    return Draft("underretning", title, _body(a, case, title, sections), klagevejledning=False)


def genvurdering_letter(a: Addressing, case: Case, afg: Afgoerelse) -> Draft:
    udfald = afg.udfald
    sections = [Section("Resultat af genvurderingen", (GENVURDERING_DA.get(udfald.value, udfald.value) + ".",))]
    sections += _begrundelse(afg)
    if udfald in (Udfald.DELVIS_MEDHOLD, Udfald.FASTHOLDT):
        sections.append(
            Section(
                "Klagen sendes til Ankestyrelsen",
                (
                    "Den del af afgørelsen, kommunen fastholder, sender vi sammen med din klage og sagens akter "
                    "til Ankestyrelsen, som træffer afgørelse i klagesagen. Du hører fra Ankestyrelsen.",
                ),
            )
        )
    sections.append(_questions(a))
    title = "Kommunens genvurdering af din klage"
    # A changed decision is a new afgørelse: it has its own klagefrist (R4 restarts).
    return Draft("genvurdering", title, _body(a, case, title, sections), klagevejledning=udfald != Udfald.FASTHOLDT)


@dataclass(frozen=True)
class BundleSources:
    """What the bundle for Ankestyrelsen quotes from the main case (gathered by the letters handler)."""

    klage: Klage
    parent: Case
    decision: Afgoerelse | None
    genvurdering: Afgoerelse | None
    journal: list[JournalEntry]
    documents: list[Letter]


def ankestyrelsen_bundle(a: Addressing, klage_case: Case, sources: BundleSources, data: Mapping[str, Any]) -> Draft:
    """The klage, the afgørelse, the genvurdering, the main case's journal and its documents, in one PDF."""
    klage, parent, decision = sources.klage, sources.parent, sources.decision
    in_time = "ja" if klage.in_time else "nej - se vurderingen af fristoverskridelsen i journalen"
    sections = [
        Section(
            "Klagen",
            (
                f"Klagesag {klage_case.reference}: klagen er modtaget {long_date(klage.received_on)}; afgørelsen blev "
                f"modtaget {long_date(klage.decision_received_on)}; klagefristen udløb {long_date(klage.klagefrist)}. "
                f"Rettidig: {in_time}.",
            ),
        ),
        Section("Kommunens genvurdering", _quoted(sources.genvurdering, GENVURDERING_DA)),
        Section(f"Den påklagede afgørelse (sag {parent.reference})", _quoted(decision, None, parent.ydelse)),
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
            (f"Sendt til Ankestyrelsen {_long(day(data, 'sendt_dato'))}. Akter: {text(data, 'akter', 'se ovenfor')}.",),
        ),
    ]
    title = f"Klage til Ankestyrelsen - sag {parent.reference}"
    body = _body(a, klage_case, title, sections)
    body = replace(body, recipient=("Ankestyrelsen", "7998 Statsservice"), copies=())
    return Draft("ankestyrelsen_bundle", title, body, klagevejledning=False)


def _quoted(afg: Afgoerelse | None, words: dict[str, str] | None, ydelse: str | None = None) -> tuple[str, ...]:
    if afg is None:
        return ("-",)
    head = (words or {}).get(afg.udfald.value) or (
        f"{KIND_DA[afg.kind]}: {UDFALD_DA[afg.udfald]} ({afg.ydelse or ydelse or '-'})"
    )
    return (
        head + ".",
        f"Regler: {afg.begrundelse_regler}",
        f"Faktiske forhold: {afg.begrundelse_faktiske_forhold}",
        f"Hovedhensyn: {afg.begrundelse_hovedhensyn}",
        afg.partshoering_da + ".",
    )


def plain_letter(a: Addressing, case: Case, title: str, text: str) -> Draft:
    """A letter a diagram writes through the ``skriv_brev`` operation: a title and a text, no klagevejledning."""
    paragraphs = tuple(p.strip() for p in text.split("\n\n") if p.strip()) or ("",)
    return Draft("brev", title, _body(a, case, title, [Section(title, paragraphs)]), klagevejledning=False)


def _decision_sentence(afg: Afgoerelse, ydelse: str) -> str:
    if afg.udfald == Udfald.AFSLAG:
        return f"Du får afslag på din ansøgning om hjælp efter {ydelse}."
    if afg.udfald == Udfald.DELVIS_BEVILLING:
        return f"Du får delvist bevilget den hjælp efter {ydelse}, du har søgt om. Se nedenfor, hvad du får."
    return f"Du får bevilget hjælp efter {ydelse}. Se nedenfor, hvad du får, hvem der leverer det og hvor længe."


def _granted(bevilling: Bevilling, data: Mapping[str, Any]) -> Section:
    rows = list(_rows(bevilling))
    if named := str(data.get("ydelse_navn") or ""):  # the catalogue's name: "§ 85 Socialpædagogisk støtte"
        rows[0] = ("Ydelse", f"{named} (serviceloven)" if bevilling.ydelse.startswith("SEL ") else named)
    if free_choice := str(data.get("frit_valg_tekst") or ""):
        rows.insert(3, ("Frit valg", free_choice))
    if first := day(data, "naeste_opfoelgning"):
        rows.append(("Første opfølgning", f"Senest {long_date(first)}"))
    if "handleplan_tilbudt" in data:
        rows.append(("Handleplan (§ 141)", "Du får tilbudt en handleplan" if data.get("handleplan_tilbudt") else "-"))
    return Section("Det er bevilget", rows=tuple(rows))


def _rows(bevilling: Bevilling) -> tuple[tuple[str, str], ...]:
    period = f"Fra {long_date(bevilling.start)} " + (
        f"til {long_date(bevilling.slut)}" if bevilling.slut else "og indtil videre (følges op løbende)"
    )
    return (
        ("Ydelse", bevilling.ydelse),
        ("Omfang", bevilling.omfang_i_ord or "-"),
        ("Leverandør", bevilling.leverandoer or "-"),
        ("Periode", period),
        ("Egenbetaling", bevilling.egenbetaling or "Ingen"),
    )


def _begrundelse(afg: Afgoerelse) -> list[Section]:
    return [
        Section("Begrundelse: de regler, afgørelsen bygger på", (afg.begrundelse_regler,)),
        Section("Begrundelse: de faktiske forhold", (afg.begrundelse_faktiske_forhold,)),
        Section("Begrundelse: det har vi lagt vægt på", (afg.begrundelse_hovedhensyn,)),
    ]


def _partshoering(afg: Afgoerelse, data: Mapping[str, Any]) -> Section:
    if afg.partshoering == PartshoeringStatus.GENNEMFOERT:
        sent = f" den {long_date(afg.partshoering_sendt)}" if afg.partshoering_sendt else ""
        answered = day(data, "svar_modtaget")
        reply = (
            f"Vi modtog dine bemærkninger den {long_date(answered)} og har inddraget dem."
            if answered
            else "Vi har ikke modtaget bemærkninger fra dig inden svarfristen."
        )
        return Section("Partshøring", (f"Vi sendte dig oplysningerne i sagen til partshøring{sent}. {reply}",))
    if afg.partshoering == PartshoeringStatus.UNDTAGET:
        return Section(
            "Partshøring",
            (
                f"Vi har ikke partshørt dig før afgørelsen ({afg.partshoering_undtagelse}).",
                f"Begrundelse: {afg.partshoering_begrundelse}",
            ),
        )
    return Section("Partshøring", ("Afgørelsen bygger på din klage og sagens oplysninger.",))


def _questions(a: Addressing) -> Section:
    who = a.caseworker[0] if a.caseworker else "din sagsbehandler"
    mail = next((line.split(": ", 1)[1] for line in a.caseworker[1:] if line.startswith("E-mail: ")), None)
    phone = str(a.municipality["telefon"]).replace(" ", "\u00a0") if a.municipality.get("telefon") else None
    ways = [f"skriv til {mail}" for _ in [mail] if mail] + [f"ring på {phone}" for _ in [phone] if phone]
    how = f": {' eller '.join(ways)}" if ways else ""
    return Section("Har du spørgsmål", (f"Kontakt din sagsbehandler, {who}{how}.",))


def _body(a: Addressing, case: Case, title: str, sections: list[Section]) -> LetterContent:
    return LetterContent(
        sender=a.sender,
        recipient=a.recipient,
        reference=case.reference,
        title=title,
        sections=tuple(sections),
        caseworker=a.caseworker,
        signature=a.signature,
        copies=a.copies,
    )


def _long(value: date | None) -> str:
    return long_date(value) if value is not None else "-"
