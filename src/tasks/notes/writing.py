"""Add a journalnotat to a case and read a case's notes back (a read of personal data: access-logged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.events import NoteAdded
from tasks.notes.model import Note
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid
from tasks.service.uow import UnitOfWork

MAX_NOTE = 20_000
WRITERS = frozenset({"sagsbehandler", "faglig_konsulent", "leder", "krisecenter"})


@dataclass(frozen=True)
class NoteView:
    id: int
    case_id: int
    at: datetime
    author: str
    text: str

    @classmethod
    def of(cls, note: Note) -> NoteView:
        return cls(note.id, note.case_id, note.at, note.author, note.text)


def add_note(uow: UnitOfWork, actor: Actor, case_id: int, text: str, now: datetime) -> NoteView:
    """Append a note (who, when, text); it can never be changed or deleted afterwards."""
    text = (text or "").strip()
    if not text:
        raise Invalid("Notatet er tomt", {"text": ["Skriv notatets tekst"]})
    if len(text) > MAX_NOTE:
        raise Invalid("Notatet er for langt", {"text": [f"Højst {MAX_NOTE} tegn"]})
    with uow:
        case = visible_case(uow, actor, case_id)
        if not actor.roles & WRITERS:
            raise Forbidden("Din rolle kan ikke skrive journalnotater")
        note = Note(case_id=case.id, at=now, author_id=actor.id, author=actor.username, text=text)
        uow.session.add(note)
        uow.session.flush()
        uow.publish(NoteAdded(case, now, actor.username, note.id))
        view = NoteView.of(note)
        uow.commit()
    return view


def list_notes(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:notater") -> list[NoteView]:
    with uow:
        case = visible_case(uow, actor, case_id)
        notes = [NoteView.of(n) for n in case_notes(uow, case.id)]
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return notes


def case_notes(uow: UnitOfWork, case_id: int) -> list[Note]:
    """Within an open unit of work: the case's notes, oldest first."""
    return list(uow.session.scalars(select(Note).where(Note.case_id == case_id).order_by(Note.at, Note.id)))
