"""Letters follow the case record: an afgørelse, a bevilling, a partshøring, an underretning, a genvurdering.

The command that decided stores the letter's content in its own transaction, so a decision never
exists without its letter; the dispatch job (``dispatch.py``) dates, renders and sends it later.  An
afslag's letter is written when the afgørelse is recorded; a bevilling's when the bevilling is set
up, so it states exactly what was granted and for how long.
"""

from __future__ import annotations

from datetime import datetime

from engine import calendar
from tasks.afgoerelser.model import Afgoerelse, AfgoerelseKind
from tasks.cases.model import Case
from tasks.events import ActivityCompleted, AfgoerelseTruffet, BevillingOprettet, LetterWritten
from tasks.frister import rules
from tasks.klager.model import Klage
from tasks.letters import content
from tasks.letters.addressing import Addressing, addressing
from tasks.letters.model import Letter, LetterChannel, LetterState
from tasks.pathways import pathway_for
from tasks.pathways.declaration import day, text
from tasks.pathways.sagsbehandling import AENDRING_PARTSHOERING, NO_EXCEPTION
from tasks.service.uow import UnitOfWork


def on_afgoerelse(event: AfgoerelseTruffet, uow: UnitOfWork) -> None:
    afg, case = event.afgoerelse, event.case
    a = _addressing(uow, case, afg)
    if afg.kind == AfgoerelseKind.ANSOEGNING:
        if afg.grants:
            return  # the letter waits for the bevilling (on_bevilling)
        draft = content.afgoerelse_letter(a, case, afg, None, event.data)
    elif afg.kind in (AfgoerelseKind.AENDRING, AfgoerelseKind.OPHOER):
        new, old = uow.bevillinger.granted_by(afg.id), uow.bevillinger.ended_by(afg.id)
        draft = content.aendring_letter(a, case, afg, new, old, event.data)
    else:
        draft = content.genvurdering_letter(a, case, afg)
    write(uow, case, a, draft, event.at, afg)


def on_bevilling(event: BevillingOprettet, uow: UnitOfWork) -> None:
    afg = event.afgoerelse
    if afg is None or not afg.awaits_letter or afg.kind != AfgoerelseKind.ANSOEGNING:
        return
    a = _addressing(uow, event.case, afg)
    write(uow, event.case, a, content.afgoerelse_letter(a, event.case, afg, event.bevilling, event.data), event.at, afg)


def on_activity(event: ActivityCompleted, uow: UnitOfWork) -> None:
    """Letters that are not afgørelser: partshøring, underretning, the bundle for Ankestyrelsen."""
    pathway = pathway_for(event.case.process_key)
    kind = pathway.letters.get(event.bpmn_id) if pathway is not None else None
    case, data = event.case, event.data
    if kind == "partshoering" and (sent := day(data, "partshoering_sendt")) is not None:
        if text(data, "partshoering_undtagelse", NO_EXCEPTION) != NO_EXCEPTION:
            return  # no partshøring: the exception is recorded with the afgørelse
        svarfrist = rules.partshoering_svarfrist(sent, int(data.get("partshoering_svarfrist_dage") or 14))
        a = _addressing(uow, case, None)
        write(uow, case, a, content.partshoering_letter(a, case, data, svarfrist, _proposal(event)), event.at)
    elif kind == "underretning" and text(data, "sagsbehandlingsfrist"):
        frist_day = calendar.local_date(datetime.fromisoformat(text(data, "sagsbehandlingsfrist")))
        a = _addressing(uow, case, None)
        write(uow, case, a, content.underretning_letter(a, case, data, frist_day), event.at)
    elif kind == "ankestyrelsen_bundle" and (sources := _bundle_sources(uow, case)) is not None:
        a = _addressing(uow, case, None)
        write(uow, case, a, content.ankestyrelsen_bundle(a, case, sources, data), event.at)


def write(
    uow: UnitOfWork, case: Case, a: Addressing, draft: content.Draft, at: datetime, afg: Afgoerelse | None = None
) -> Letter:
    """Store the letter's content, waiting for the dispatch job; link it to the afgørelse it carries."""
    municipality = {"navn": a.municipality.get("navn"), "klage_til": a.municipality.get("klage_til")}
    letter = uow.letters.add(
        Letter(
            case_id=case.id,
            kind=draft.kind,
            title=draft.title,
            created_at=at,
            content={"body": draft.body.to_json(), "klagevejledning": draft.klagevejledning, "kommune": municipality},
            channel=LetterChannel.DIGITAL_POST if draft.kind == "ankestyrelsen_bundle" else a.channel,
            state=LetterState.AFVENTER,
            attempts=0,
        )
    )
    if afg is not None:
        afg.attach_letter(letter.id)
    uow.publish(LetterWritten(case, at, letter))
    return letter


def _addressing(uow: UnitOfWork, case: Case, afg: Afgoerelse | None) -> Addressing:
    # Loading a user by its key sees nothing unflushed (the key is read from memory, a loaded user is taken
    # from the session): no need to flush everything else the command changed first.
    with uow.session.no_autoflush:
        decider = afg.decided_by if afg is not None else None
        caseworker = case.sagsansvarlig or decider
    return addressing(uow, case, caseworker)


def _proposal(event: ActivityCompleted) -> str:
    ydelse = event.case.ydelse or "din hjælp"
    if event.bpmn_id != AENDRING_PARTSHOERING:
        return f"Vi er ved at behandle din ansøgning om hjælp efter {ydelse}."
    if event.data.get("ydelse_fortsaetter") is False:
        return f"Vi overvejer at lade din hjælp efter {ydelse} ophøre."
    return f"Vi overvejer at ændre din bevilling efter {ydelse}."


def _bundle_sources(uow: UnitOfWork, klage_case: Case) -> content.BundleSources | None:
    klage = uow.session.get(Klage, klage_case.id)
    if klage is None:
        return None
    parent = klage.parent
    decisions = [a for a in uow.afgoerelser.for_case(parent.id) if a.kind != AfgoerelseKind.GENVURDERING]
    return content.BundleSources(
        klage=klage,
        parent=parent,
        decision=decisions[-1] if decisions else None,
        genvurdering=uow.afgoerelser.latest(klage_case.id),
        journal=uow.journal.for_case(parent.id),
        documents=uow.letters.for_cases([parent.id, klage_case.id]),
    )
