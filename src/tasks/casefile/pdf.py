"""Render a case file as PDF (fpdf2) in a Unicode font (DejaVu), with a table of contents and the case's own
documents and letters attached to the PDF.  Pure: content in, bytes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.outline import OutlineSection

REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"


class FontMissing(RuntimeError):
    """The Unicode font is not installed (Debian: fonts-dejavu-core)."""


@dataclass(frozen=True)
class Part:
    heading: str
    lines: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    subparts: tuple[Part, ...] = ()


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mime_type: str


@dataclass(frozen=True)
class CaseFile:
    title: str
    subtitle: str
    parts: tuple[Part, ...]
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def render(case_file: CaseFile, font_dir: Path) -> bytes:
    pdf = FPDF(format="A4")
    _fonts(pdf, font_dir)
    pdf.set_title(case_file.title)
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, case_file.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, case_file.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.insert_toc_placeholder(_toc, pages=2, allow_extra_pages=True)
    for part in case_file.parts:
        _part(pdf, part, level=0)
    for attachment in case_file.attachments:
        pdf.embed_file(bytes=attachment.content, basename=attachment.name, mime_type=attachment.mime_type)
    return bytes(pdf.output())


def _fonts(pdf: FPDF, font_dir: Path) -> None:
    regular, bold = font_dir / REGULAR, font_dir / BOLD
    if not regular.exists() or not bold.exists():
        raise FontMissing(f"Skrifttypen DejaVu mangler i {font_dir} (apt-get install fonts-dejavu-core)")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))


def _toc(pdf: FPDF, outline: list[OutlineSection]) -> None:
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, "Indhold", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for section in outline:
        indent = "    " * section.level
        link = pdf.add_link(page=section.page_number)
        pdf.cell(150, 6, f"{indent}{section.name}", new_x="RIGHT", new_y="TOP", link=link)
        pdf.cell(0, 6, str(section.page_number), new_x="LMARGIN", new_y="NEXT", align="R", link=link)


def _part(pdf: FPDF, part: Part, level: int) -> None:
    if level == 0:
        pdf.add_page()
    else:
        pdf.ln(3)
    pdf.start_section(part.heading, level=level)
    pdf.set_font("DejaVu", "B", 14 if level == 0 else 11.5)
    pdf.multi_cell(0, 7, part.heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    for line in part.lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    for label, value in part.pairs:
        pdf.set_font("DejaVu", "B", 9.5)
        pdf.multi_cell(0, 5, label, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(0, 5, value or "–", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(0.5)
    for sub in part.subparts:
        _part(pdf, sub, level + 1)
