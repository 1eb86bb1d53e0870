"""The case's file as one timeline: the journal, notes, documents, letters, completed tasks' answers and linked
cases, newest first, each with its kind so the page can filter (``?vis=noter``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

KINDS = {
    "alle": "Alt",
    "noter": "Journalnotater",
    "dokumenter": "Dokumenter",
    "breve": "Breve",
    "opgaver": "Udførte opgaver",
    "klager": "Klager og tilknyttede sager",
    "journal": "Journal",
}


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # one of KINDS (not "alle")
    at: datetime
    actor: str
    title: str
    text: str = ""
    ref_id: int | None = None  # the note, document, letter, task or linked case the item is about
    lines: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def timeline(items: list[TimelineItem], kind: str) -> list[TimelineItem]:
    """Newest first; ``kind`` ``alle`` (or unknown) keeps everything."""
    chosen = items if kind not in KINDS or kind == "alle" else [i for i in items if i.kind == kind]
    return sorted(chosen, key=lambda i: i.at, reverse=True)
