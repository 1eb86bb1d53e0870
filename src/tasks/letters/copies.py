"""Representatives' copies and held letters: who else gets a letter, and which letters never go in the print batch.

**Copies.** When a letter to the citizen is sent, each representative of the case (partsrepræsentant,
værge, bisidder; a klage case uses its main case's) gets a copy: a letter row of its own with its own
dispatch record — the original's date, receipt day and klagefrist, the original's PDF with "KOPI til …"
stamped on every page, and its own stable message id (``uuid5(installation, "sagsflow-letter:<id>:kopi:<party>")``).
The copies are made in the transaction that marks the original sent, and a copy is unique per original
and representative (``uq_letters_copy_party``), so a crash or a retry never makes or sends a second one.
Representatives are registered with a name and a postal address, no CPR number, so a copy goes by
physical post, in the day's print batch behind an address page with the representative's address; a
representative without an address cannot get one, and the copy is marked failed with the reason.

**Held letters.** A citizen with navne- og adressebeskyttelse (from the CPR register, or entered by the
caseworker) never has a letter in the shared print batch — neither their own physical post nor a
representative's copy: the letter is dated and rendered, then held (``tilbageholdt``) with a Danish
reason for the caseworker to deliver by hand.  Digital Post letters to the citizen go as usual.
"""

from __future__ import annotations

import io
import uuid
from copy import deepcopy
from datetime import datetime

from fpdf import FPDF
from pypdf import PageObject, PdfReader, PdfWriter
from sqlalchemy import select

from tasks.cases.model import Case
from tasks.letters.model import Letter, LetterChannel, LetterState
from tasks.letters.pdf import FONT, LetterFonts
from tasks.parties.model import Party
from tasks.service.uow import UnitOfWork

NO_COPIES = frozenset({"ankestyrelsen_bundle"})  # to Ankestyrelsen, not to the citizen
PROTECTED_REASON = (
    "Borgeren har navne- og adressebeskyttelse: brevet lægges ikke i den fælles printbatch. "
    "Hent PDF'en og send brevet manuelt (eller med Digital Post)."
)
NO_ADDRESS_REASON = "Repræsentanten har ingen adresse: kopien kan ikke sendes med post. Send den manuelt."


def copy_uuid(installation: uuid.UUID, letter_id: int, party_id: int) -> str:
    """The copy's message id: stable for the original and the representative, whatever retries happen."""
    return str(uuid.uuid5(installation, f"sagsflow-letter:{letter_id}:kopi:{party_id}"))


def make_copies(uow: UnitOfWork, letter: Letter, installation: uuid.UUID, now: datetime) -> list[Letter]:
    """Within the transaction that marks ``letter`` sent: a copy for each representative who has none yet."""
    if letter.is_copy or letter.channel is None or letter.kind in NO_COPIES or letter.pdf is None:
        return []
    case = uow.cases.get(letter.case_id)
    if case is None:
        return []
    have = set(uow.session.scalars(select(Letter.party_id).where(Letter.copy_of_id == letter.id)))
    made = []
    for rep in representatives(uow, case):
        if rep.id not in have:
            made.append(uow.letters.add(_copy(letter, rep, copy_uuid(installation, letter.id, rep.id), uow.fonts, now)))
    return made


def _copy(letter: Letter, rep: Party, message_uuid: str, fonts: LetterFonts, now: datetime) -> Letter:
    to = rep.describe()
    content = deepcopy(letter.content or {})
    content.setdefault("body", {})["recipient"] = [rep.name, *rep.address_lines]
    content["copy_to"] = to
    copy = Letter(
        case_id=letter.case_id,
        kind=letter.kind,
        title=f"Kopi til {to}: {letter.title}"[:200],
        created_at=now,
        content=content,
        channel=LetterChannel.FYSISK_POST,
        state=LetterState.AFVENTER,
        attempts=0,
        copy_of_id=letter.id,
        party_id=rep.id,
    )
    copy.date_it(
        letter.dispatched_at or now,
        letter.letter_date or now.date(),
        letter.received_on,
        letter.klagefrist_ends_on,
        message_uuid,
    )
    copy.store_pdf(stamp_copy(letter.pdf or b"", f"KOPI til {to} - brevet er sendt til borgeren", fonts))
    if not rep.has_address:
        copy.mark_failed(NO_ADDRESS_REASON, now, permanent=True)
    return copy


def representatives(uow: UnitOfWork, case: Case) -> list[Party]:
    found = uow.parties.representatives(case.id)
    if not found and case.parent_case_id is not None:
        found = uow.parties.representatives(case.parent_case_id)
    return found


def citizen_is_protected(uow: UnitOfWork, case: Case) -> bool:
    party = uow.parties.citizen(case.id)
    if party is None and case.parent_case_id is not None:
        party = uow.parties.citizen(case.parent_case_id)
    return party is not None and party.address_protected


def must_hold(uow: UnitOfWork, letter: Letter) -> bool:
    """Physical post about a protected citizen never goes in the shared print batch."""
    if letter.channel != LetterChannel.FYSISK_POST:
        return False
    case = uow.cases.get(letter.case_id)
    return case is not None and citizen_is_protected(uow, case)


def copy_without_address(uow: UnitOfWork, letter: Letter) -> bool:
    """A copy whose representative has no address (a copy sent again after it failed for that reason)."""
    if not letter.is_copy or letter.party_id is None:
        return False
    party = uow.session.get(Party, letter.party_id)
    return party is None or not party.has_address


def stamp_copy(pdf: bytes, line: str, fonts: LetterFonts) -> bytes:
    """The letter's PDF with ``line`` stamped at the top of every page."""
    fonts.check()
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for page in writer.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        page.merge_page(_overlay(line, width, height, fonts))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay(line: str, width: float, height: float, fonts: LetterFonts) -> PageObject:
    stamp = FPDF(unit="pt", format=(width, height))
    stamp.add_font(FONT, "B", str(fonts.bold))
    stamp.set_auto_page_break(False)
    stamp.add_page()
    stamp.set_font(FONT, style="B", size=10)
    stamp.set_text_color(160, 0, 0)
    stamp.set_xy(40, 12)
    stamp.cell(width - 80, 14, line, align="C")
    return PdfReader(io.BytesIO(bytes(stamp.output()))).pages[0]
