"""Render a letter as PDF (fpdf2) in DejaVu Sans, a Unicode font: "Łucja Nowak" prints as such.

Pure: the letter's stored body and its dispatch facts in, bytes out.  The font files come from
Debian's ``fonts-dejavu-core`` (installed by ``scripts/fonts.sh``; ``SAGSFLOW_FONT_DIR`` points
elsewhere).  A draft (a letter not dispatched yet) is marked on every page and carries no date of
its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.recorder import FPDFRecorder

DEFAULT_FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"


class FontsMissing(RuntimeError):
    """The DejaVu font files are not installed; letters cannot be rendered."""


@dataclass(frozen=True)
class LetterFonts:
    directory: Path = DEFAULT_FONT_DIR

    @property
    def regular(self) -> Path:
        return self.directory / "DejaVuSans.ttf"

    @property
    def bold(self) -> Path:
        return self.directory / "DejaVuSans-Bold.ttf"

    def check(self) -> None:
        missing = [str(p) for p in (self.regular, self.bold) if not p.is_file()]
        if missing:
            raise FontsMissing(
                "Skrifttypen DejaVu Sans mangler (" + ", ".join(missing) + "): installér Debians fonts-dejavu-core "
                "(bash scripts/fonts.sh) eller sæt SAGSFLOW_FONT_DIR til en mappe med DejaVuSans.ttf og "
                "DejaVuSans-Bold.ttf"
            )


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()  # label, value (what was granted, dates)


@dataclass(frozen=True)
class LetterContent:
    """What a letter says, as the command that decided stored it; the date-dependent parts come at dispatch."""

    sender: tuple[str, ...]  # the municipality's name and address
    recipient: tuple[str, ...]  # name and postal address; empty for an anonymous case
    reference: str
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)
    caseworker: tuple[str, ...] = ()  # name, then contact lines
    signature: tuple[str, ...] = ()  # under "Med venlig hilsen"
    copies: tuple[str, ...] = ()  # representatives who get a copy

    def to_json(self) -> dict[str, Any]:
        return {
            "sender": list(self.sender),
            "recipient": list(self.recipient),
            "reference": self.reference,
            "title": self.title,
            "sections": [
                {"heading": s.heading, "paragraphs": list(s.paragraphs), "rows": [list(r) for r in s.rows]}
                for s in self.sections
            ],
            "caseworker": list(self.caseworker),
            "signature": list(self.signature),
            "copies": list(self.copies),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LetterContent:
        return cls(
            sender=tuple(data.get("sender", ())),
            recipient=tuple(data.get("recipient", ())),
            reference=str(data.get("reference", "")),
            title=str(data.get("title", "")),
            sections=tuple(
                Section(
                    str(s.get("heading", "")),
                    tuple(s.get("paragraphs", ())),
                    tuple((str(a), str(b)) for a, b in s.get("rows", ())),
                )
                for s in data.get("sections", ())
            ),
            caseworker=tuple(data.get("caseworker", ())),
            signature=tuple(data.get("signature", ())),
            copies=tuple(data.get("copies", ())),
        )


@dataclass(frozen=True)
class Printed:
    """What the dispatch adds: the letter's date line, how it was sent, and the closing sections."""

    date_line: str
    channel_line: str
    closing: tuple[Section, ...] = ()
    draft: bool = False
    letter_date: date | None = None


DRAFT_MARK = "KLADDE – IKKE AFSENDT"


class _Letter(FPDF):
    def __init__(self, reference: str, draft: bool) -> None:
        super().__init__(format="A4")
        self._reference = reference
        self._draft = draft

    def header(self) -> None:
        if self._draft:
            self.set_font(FONT, style="B", size=11)
            self.set_text_color(176, 0, 32)
            self.cell(0, 6, DRAFT_MARK + " – datoer og klagefrist fastsættes ved afsendelsen", align="C")
            self.set_text_color(0, 0, 0)
            self.ln(8)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"Sag {self._reference} · side {self.page_no()} af {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render(letter: LetterContent, printed: Printed, fonts: LetterFonts | None = None) -> bytes:
    fonts = fonts or LetterFonts()
    fonts.check()
    pdf = _Letter(letter.reference, printed.draft)
    pdf.add_font(FONT, "", str(fonts.regular))
    pdf.add_font(FONT, "B", str(fonts.bold))
    pdf.set_title(letter.title)
    pdf.set_author(letter.sender[0] if letter.sender else "Kommunen")
    pdf.set_margins(22, 18, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.alias_nb_pages()
    pdf.add_page()
    _letterhead(pdf, letter, printed)
    pdf.set_font(FONT, style="B", size=15)
    pdf.multi_cell(0, 7.5, letter.title, new_x="LMARGIN", new_y="NEXT", align="L")
    for section in letter.sections:
        _section(pdf, section)
    # The klagevejledning is read as one piece, and the sign-off closes it: never split, never alone on a page.
    with pdf.unbreakable() as block:
        for section in printed.closing:
            _section(block, section)
        _sign_off(block, letter)
    return bytes(pdf.output())


def _letterhead(pdf: FPDF, letter: LetterContent, printed: Printed) -> None:
    top = pdf.get_y()
    right_x = 122.0
    pdf.set_xy(right_x, top)
    for i, line in enumerate(letter.sender):
        pdf.set_font(FONT, style="B" if i == 0 else "", size=10 if i == 0 else 8.5)
        pdf.set_x(right_x)
        pdf.cell(0, 4.6, line, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    pdf.set_font(FONT, size=8.5)
    for line in (printed.date_line, f"Sagsnr.: {letter.reference}", *_caseworker_lines(letter)):
        pdf.set_x(right_x)
        pdf.multi_cell(0, 4.4, line, new_x="LMARGIN", new_y="NEXT", align="L")
    sender_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin, top + 22)  # the address window of a C5 envelope
    pdf.set_font(FONT, size=7.5)
    pdf.cell(90, 4, printed.channel_line, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, size=11)
    for line in letter.recipient or ("Til borgeren",):
        pdf.cell(90, 5.5, line, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_y(max(pdf.get_y(), sender_bottom) + 10)


def _caseworker_lines(letter: LetterContent) -> tuple[str, ...]:
    if not letter.caseworker:
        return ()
    return (f"Sagsbehandler: {letter.caseworker[0]}", *letter.caseworker[1:])


def _section(pdf: FPDF | FPDFRecorder, section: Section) -> None:
    pdf.ln(3.5)
    pdf.set_font(FONT, style="B", size=11.5)
    pdf.multi_cell(0, 6, section.heading, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font(FONT, size=10.5)
    for label, value in section.rows:
        pdf.set_font(FONT, style="B", size=10.5)
        pdf.cell(48, 5.5, label)
        pdf.set_font(FONT, size=10.5)
        pdf.multi_cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT", align="L")
    if section.rows and section.paragraphs:
        pdf.ln(1.5)
    for paragraph in section.paragraphs:
        pdf.multi_cell(0, 5.3, paragraph, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(1.5)


def _sign_off(pdf: FPDF | FPDFRecorder, letter: LetterContent) -> None:
    pdf.ln(5)
    pdf.set_font(FONT, size=10.5)
    pdf.multi_cell(0, 5.3, "Med venlig hilsen", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(5)
    for i, line in enumerate(letter.signature):
        pdf.set_font(FONT, style="B" if i == 0 else "", size=10.5)
        pdf.multi_cell(0, 5.3, line, new_x="LMARGIN", new_y="NEXT", align="L")
    if letter.copies:
        pdf.ln(4)
        pdf.set_font(FONT, size=9)
        pdf.multi_cell(0, 4.8, "Kopi til: " + "; ".join(letter.copies), new_x="LMARGIN", new_y="NEXT", align="L")
