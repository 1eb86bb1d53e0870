"""Jinja filters: Danish dates in local time, and Danish names for states and roles."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from engine.calendar import COPENHAGEN
from tasks.access.roles import ROLE_LABELS_DA
from tasks.service.danish import short_date

STATE_LABELS = {
    "open": "Åben",
    "near": "Snart",
    "overdue": "Overskredet",
    "met": "Overholdt",
    "late": "For sent",
    "claimed": "Taget",
    "completed": "Udført",
    "cancelled": "Annulleret",
    "running": "I gang",
    "closed": "Afsluttet",
}


PURPOSES = {
    "ui:sag": "Sagens side",
    "ui:opgave": "Opgavens side",
    "ui:udfoer": "Udførelse af opgave",
    "ui:kladde": "Kladde gemt",
    "ui:soegning": "Søgning (browser)",
    "api:soegning": "Søgning (API)",
    "ui:brev": "Brev hentet",
    "ui:dokument": "Dokument hentet (browser)",
    "api:dokument": "Dokument hentet (API)",
    "api:dokumenter": "Dokumentliste (API)",
    "api:notater": "Journalnotater (API)",
    "ui:klage": "Klageregistrering",
    "aktindsigt": "Aktindsigt (hele sagen)",
    "api:sag": "Sagen (API)",
    "api:journal": "Journal (API)",
    "api:opgave": "Opgave (API)",
    "api:breve": "Breve (API)",
    "api:brev": "Brev hentet (API)",
    "api:printbatch": "Fysisk post hentet (API)",
    "ui:printbatch": "Fysisk post hentet (browser)",
    "api:borger": "Borgerens adresse (API)",
    "cpr:opslag": "Opslag i CPR-registret",
}


def dk_date(value: date | datetime | None) -> str:
    return "" if value is None else short_date(value)


def dk_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(COPENHAGEN)
    return f"{dk_date(local)} kl. {local:%H:%M}"


def iso_local(value: datetime | None) -> str:
    return value.astimezone(COPENHAGEN).isoformat(timespec="minutes") if value else ""


def register_filters(app: Flask) -> None:
    app.add_template_filter(dk_date, "dkdate")
    app.add_template_filter(dk_datetime, "dkdatetime")
    app.add_template_filter(iso_local, "isolocal")
    app.add_template_filter(lambda s: STATE_LABELS.get(s or "", s or ""), "state")
    app.add_template_filter(lambda r: ROLE_LABELS_DA.get(r, r), "role")
    app.add_template_filter(lambda p: f"{PURPOSES[p]} ({p})" if p in PURPOSES else p, "purpose")
