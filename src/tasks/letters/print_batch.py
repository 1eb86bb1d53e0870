"""The physical post: one PDF per day for citizens exempt from Digital Post, an address page before each letter.

A letter on ``fysisk_post`` never leaves over the network: the dispatch job puts it in the day's batch
and marks it sent in one transaction, so a letter is in a batch exactly when it is marked sent (a
crash before the commit leaves it waiting and out of the batch).  The batch row is locked while a
letter is added, so two schedulers add one after the other.  An administrator or a leder downloads
the day's PDF and prints it; every download is access-logged for each case in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer

from tasks.access.log import log_read
from tasks.cases.model import Case
from tasks.letters.model import Letter, PrintBatch
from tasks.letters.pdf import FONT, LetterContent, LetterFonts
from tasks.service.actors import Actor
from tasks.service.danish import long_date
from tasks.service.errors import Forbidden, NotFound
from tasks.service.uow import UnitOfWork

PRINT_ROLES = frozenset({"administrator", "leder"})


def put_in_batch(uow: UnitOfWork, letter: Letter, body: LetterContent, day: date, now: datetime) -> PrintBatch:
    """Within the dispatch's transaction: the letter, behind its address page, in ``day``'s batch (locked)."""
    batch = _batch_for_update(uow, day, now)
    batch.add(address_page(body, letter, uow.fonts), letter.pdf or b"", now)
    return batch


def _batch_for_update(uow: UnitOfWork, day: date, now: datetime) -> PrintBatch:
    query = select(PrintBatch).where(PrintBatch.day == day).options(undefer(PrintBatch.pdf)).with_for_update()
    batch = uow.session.scalar(query)
    if batch is not None:
        return batch
    try:
        with uow.session.begin_nested():  # two schedulers may open the day at once: one row wins
            uow.session.add(PrintBatch(day=day, letters=0, created_at=now, updated_at=now))
    except IntegrityError:
        pass
    return uow.session.scalars(query).one()


def address_page(body: LetterContent, letter: Letter, fonts: LetterFonts) -> bytes:
    """The page the print shop puts in the envelope's window: the recipient's name and address as the letter has
    them, the sender for returns, and the case reference for the print log."""
    fonts.check()
    pdf = FPDF(format="A4")
    pdf.add_font(FONT, "", str(fonts.regular))
    pdf.add_font(FONT, "B", str(fonts.bold))
    pdf.set_margins(22, 18, 22)
    pdf.add_page()
    pdf.set_font(FONT, size=8)
    pdf.cell(0, 4, "Afsender: " + ", ".join(body.sender[:3]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, 40)  # the address window of a C5 envelope
    pdf.set_font(FONT, style="B", size=12)
    for line in body.recipient or ("(ingen adresse)",):
        pdf.cell(90, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(120)
    pdf.set_font(FONT, size=9)
    pdf.cell(0, 5, f"Adresseside - sag {body.reference}, brev {letter.id}", new_x="LMARGIN", new_y="NEXT")
    if letter.letter_date is not None:
        pdf.cell(0, 5, f"Brevets dato: {long_date(letter.letter_date)}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@dataclass(frozen=True)
class PrintBatchView:
    day: date
    letters: int
    created_at: datetime
    updated_at: datetime


def list_batches(uow: UnitOfWork, actor: Actor, limit: int = 60) -> list[PrintBatchView]:
    """The newest days' batches (no personal data: a day and a count)."""
    _ensure_may_print(actor)
    with uow:
        rows = uow.session.scalars(select(PrintBatch).order_by(PrintBatch.day.desc()).limit(limit))
        return [PrintBatchView(r.day, r.letters, r.created_at, r.updated_at) for r in rows]


def batch_pdf(uow: UnitOfWork, actor: Actor, day: date, purpose: str = "api:printbatch") -> tuple[str, bytes]:
    """The day's PDF; the read is access-logged on every case with a letter in it."""
    _ensure_may_print(actor)
    with uow:
        batch = uow.session.scalar(select(PrintBatch).where(PrintBatch.day == day).options(undefer(PrintBatch.pdf)))
        if batch is None or not batch.pdf:
            raise NotFound(f"Der er ingen fysisk post for {long_date(day)}")
        case_ids = select(Letter.case_id).where(Letter.print_batch_id == batch.id).distinct()
        for case in uow.session.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id)):
            log_read(uow.session, actor, case, purpose, uow.clock.now())
        pdf = batch.pdf
        uow.commit()
    return f"fysisk-post-{day.isoformat()}.pdf", pdf


def _ensure_may_print(actor: Actor) -> None:
    if not actor.roles & PRINT_ROLES:
        raise Forbidden("Kun administratorer og ledere kan hente den fysiske post")
