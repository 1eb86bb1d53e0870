"""Render a letter as PDF (fpdf2).  Pure: content in, bytes out.

The PDF core font (Helvetica, Latin-1) covers Danish (æ ø å é §), so no font file has to ship;
the few typographic characters outside Latin-1 are replaced by their plain equivalents.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fpdf import FPDF

_PLAIN = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "›": ">", "•": "-"})


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class LetterContent:
    sender: tuple[str, ...]
    recipient: tuple[str, ...]
    date_line: str
    reference: str
    title: str
    sections: tuple[Section, ...] = field(default_factory=tuple)


def render(letter: LetterContent) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_plain(letter.title))
    pdf.set_author(_plain(letter.sender[0] if letter.sender else "Sagsflow"))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in letter.sender:
        pdf.cell(0, 4.5, _plain(line), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(6)
    pdf.set_font("Helvetica", size=11)
    for line in letter.recipient:
        pdf.cell(0, 5.5, _plain(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 5, _plain(f"{letter.date_line}    Sag: {letter.reference}"), new_x="LMARGIN", new_y="NEXT", align="R")
    pdf.ln(6)
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.multi_cell(0, 7, _plain(letter.title), new_x="LMARGIN", new_y="NEXT")
    for section in letter.sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", style="B", size=11.5)
        pdf.multi_cell(0, 6, _plain(section.heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        for paragraph in section.paragraphs:
            pdf.multi_cell(0, 5.5, _plain(paragraph), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
    return bytes(pdf.output())


def _plain(text: str) -> str:
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")
