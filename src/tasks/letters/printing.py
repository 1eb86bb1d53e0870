"""What a letter says on the day it leaves: its date, how it is sent, and the klagevejledning with the klagefrist.

R4 (``frister.rules``): a letter by Digital Post counts as received the day it is sent; by physical
post the 6th hverdag after its date; the klagefrist is 4 weeks from receipt, rolled past closed days.
A draft (not dispatched yet) shows what the letter will say if it is sent today and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tasks.frister.rules import letter_klagefrist
from tasks.letters.model import Letter, LetterChannel
from tasks.letters.pdf import LetterContent, Printed, Section
from tasks.service.danish import long_date

CHANNEL_LINE = {
    LetterChannel.DIGITAL_POST: "Sendt med Digital Post",
    LetterChannel.FYSISK_POST: "Sendt med almindelig post",
}


def stored(letter: Letter) -> tuple[LetterContent, bool, Mapping[str, Any]]:
    content = letter.content or {}
    return (
        LetterContent.from_json(content.get("body", {})),
        bool(content.get("klagevejledning")),
        content.get("kommune", {}),
    )


def dates_for(letter_date: date, channel: LetterChannel | None) -> tuple[date | None, date | None]:
    """The receipt day and the last day of the klagefrist for a letter of ``letter_date`` on ``channel``."""
    if channel is None:
        return None, None
    return letter_klagefrist(letter_date, physical_post=channel == LetterChannel.FYSISK_POST)


def printed(letter: Letter, today: date) -> Printed:
    """The dated parts: the letter's own dispatch record, or (a draft) as if it were sent ``today``."""
    _body, klagevejledning, municipality = stored(letter)
    draft = not letter.is_dated
    letter_date = letter.letter_date if letter.letter_date is not None else today
    received, klagefrist = (
        (letter.received_on, letter.klagefrist_ends_on) if not draft else dates_for(letter_date, letter.channel)
    )
    closing: tuple[Section, ...] = ()
    if klagevejledning:
        closing = (_klagevejledning(letter.channel, letter_date, received, klagefrist, municipality),)
    date_line = f"Dato: {long_date(letter_date)}" if not draft else f"Kladde dannet {long_date(today)}"
    channel_line = CHANNEL_LINE.get(letter.channel, "") if letter.channel else "Ikke sendt (anonym sag)"
    return Printed(date_line, channel_line, closing, draft=draft, letter_date=letter_date)


def _klagevejledning(
    channel: LetterChannel | None,
    letter_date: date,
    received: date | None,
    klagefrist: date | None,
    municipality: Mapping[str, Any],
) -> Section:
    navn = municipality.get("navn", "kommunen")
    if channel == LetterChannel.DIGITAL_POST and klagefrist is not None:
        when = (
            f"Afgørelsen er sendt med Digital Post den {long_date(letter_date)} og regnes for modtaget samme dag, "
            f"så din klage skal være modtaget senest den {long_date(klagefrist)}."
        )
    elif channel == LetterChannel.FYSISK_POST and klagefrist is not None and received is not None:
        when = (
            f"Afgørelsen er sendt med almindelig post og dateret den {long_date(letter_date)}. Et brev med "
            f"almindelig post regnes for modtaget 6 hverdage efter brevets dato, altså den {long_date(received)}, "
            f"så din klage skal være modtaget senest den {long_date(klagefrist)}."
        )
    else:
        when = "Klagefristen regnes fra den dag, du fik afgørelsen udleveret."
    return Section(
        "Klagevejledning",
        (
            "Du kan klage over afgørelsen. Klagefristen er 4 uger fra den dag, du modtog afgørelsen "
            "(retssikkerhedslovens § 67). " + when,
            f"Send klagen til {navn} - ikke direkte til Ankestyrelsen. Du kan klage til "
            f"{municipality.get('klage_til', 'kommunen')}, skriftligt eller mundtligt. Kommunen genvurderer "
            "afgørelsen inden for 4 uger. Giver vi dig ikke fuldt ud medhold, sender vi klagen og sagens akter "
            "videre til Ankestyrelsen (retssikkerhedslovens § 66).",
        ),
    )
