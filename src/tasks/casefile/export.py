"""Export a case's whole file for aktindsigt: facts, frister, journal, notes, documents, letters, decisions and
every completed task's answers, as one PDF with a table of contents; the documents and letters are attached.

Who may see the case may export it; the export is a read of everything, access-logged (``aktindsigt``) and
journalled.  The file name carries the case reference only.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import undefer

from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.casefile.pdf import Attachment, CaseFile, Part, render
from tasks.cases.model import Case
from tasks.cases.reading import case_view
from tasks.cases.views import CaseView
from tasks.documents.model import Document
from tasks.events import CaseFileExported
from tasks.letters.model import Letter
from tasks.letters.reading import pdf_or_draft
from tasks.notes.writing import case_notes
from tasks.pathways import pathway_for
from tasks.service.actors import Actor
from tasks.service.danish import long_date, stamp
from tasks.service.uow import UnitOfWork
from tasks.work.submissions import SubmissionView, case_submissions

STATE_DA = {"open": "åben", "met": "overholdt", "late": "overholdt for sent", "overdue": "overskredet"}


def export_case_file(
    uow: UnitOfWork, actor: Actor, case_id: int, font_dir: Path, purpose: str = "aktindsigt"
) -> tuple[str, bytes]:
    with uow:
        case = visible_case(uow, actor, case_id)
        now = uow.clock.now()
        documents = list(
            uow.session.scalars(select(Document).where(Document.case_id == case.id).options(undefer(Document.content)))
        )
        letters = list(
            uow.session.scalars(select(Letter).where(Letter.case_id == case.id).options(undefer(Letter.pdf)))
        )
        attachments = tuple(Attachment(f"dokument-{d.id}-{d.filename}", d.content, d.mime_type) for d in documents)
        attachments += tuple(
            Attachment(
                f"brev-{x.id}-{x.kind}{'' if x.pdf is not None else '-kladde'}.pdf",
                pdf_or_draft(x, uow),
                "application/pdf",
            )
            for x in letters
        )
        case_file = CaseFile(
            title=f"Aktindsigt: sag {case.reference}",
            subtitle=f"Udskrevet {long_date(now)} af {actor.username}. Sagens akter efter forvaltningslovens § 9 "
            "og databeskyttelsesforordningens artikel 15.",
            parts=_parts(uow, case, documents, letters),
            attachments=attachments,
        )
        pdf = render(case_file, font_dir)
        log_read(uow.session, actor, case, purpose, now)
        uow.publish(CaseFileExported(case, now, actor.username))
        filename = f"{case.reference}-aktindsigt.pdf"
        uow.commit()
    return filename, pdf


def _parts(uow: UnitOfWork, case: Case, documents: list[Document], letters: list[Letter]) -> tuple[Part, ...]:
    view = case_view(uow, case)
    submissions = case_submissions(uow, case.id)
    pathway = pathway_for(case.process_key)
    decisions = [s for s in submissions if pathway is not None and s.bpmn_id in pathway.decision_tasks]
    notes = tuple(f"{stamp(n.at)}  {n.author}:\n{n.text}" for n in case_notes(uow, case.id))
    return (
        _facts(view),
        _frister(view),
        Part("Afgørelser og bevillinger", subparts=tuple(_answers(s) for s in decisions) or (Part("Ingen"),)),
        Part("Udførte opgaver", subparts=tuple(_answers(s) for s in submissions) or (Part("Ingen"),)),
        Part("Journalnotater", lines=notes or ("Ingen",)),
        Part(
            "Dokumenter (vedhæftet PDF-filen)",
            lines=tuple(
                f"{stamp(d.uploaded_at)}  {d.filename} ({d.mime_type}, {d.size} byte) – {d.uploaded_by}"
                for d in documents
            )
            or ("Ingen",),
        ),
        Part(
            "Breve (vedhæftet PDF-filen)",
            lines=tuple(f"{stamp(x.created_at)}  {x.title}" for x in letters) or ("Ingen",),
        ),
        Part("Journal", lines=tuple(f"{stamp(e.at)}  {e.actor}: {e.message}" for e in uow.journal.for_case(case.id))),
    )


def _facts(view: CaseView) -> Part:
    citizen = view.citizen or {}
    pairs = (
        ("Sag", view.reference),
        ("Emne", view.title or "–"),
        ("Forløb", f"{view.process} (version {view.process_version})"),
        ("Ydelse", view.ydelse or "–"),
        ("Status", view.status + (f" – {view.outcome}" if view.outcome else "")),
        ("Team", view.team or "–"),
        ("Modtaget", stamp(view.received_at)),
        ("Borger", " ".join(x for x in (citizen.get("name"), citizen.get("cpr")) if x) or "Anonym"),
    )
    return Part("Sagens oplysninger", pairs=pairs)


def _frister(view: CaseView) -> Part:
    lines = tuple(
        f"{d.rule}: {stamp(d.due)} ({STATE_DA.get(d.state, d.state)})"
        + (f", lukket {stamp(d.closed_at)}" if d.closed_at else "")
        for d in view.deadlines
    )
    return Part("Frister", lines=lines or ("Ingen",))


def _answers(submission: SubmissionView) -> Part:
    heading = f"{submission.task_name} – {stamp(submission.submitted_at)}, {submission.submitted_by}"
    return Part(heading, pairs=tuple((a.label, a.value) for a in submission.answers))
