"""Deploy, activate and read the catalogue files (procesejere edit; everyone may read the catalogue).

A new content is validated (Danish errors naming the field), checked against the decision tables in force
(every ydelse needs its frist and cadence; see ``tasks.kvalitetsstandard.coherence``) and against the other
file (a leverandør may only deliver ydelser the catalogue knows), then stored as a new version in force.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.models import ActivationKind, ActivationReason
from tasks.catalogue.entries import KEYS, LEVERANDOERER, YDELSER, parse_leverandoerer, parse_ydelser
from tasks.catalogue.model import CatalogueVersion
from tasks.definitions.views import ActivationView
from tasks.events import VersionActivated
from tasks.kvalitetsstandard.coherence import catalogue_problems
from tasks.kvalitetsstandard.tables import EDITORS, catalogue_in_force, current_tables
from tasks.service.actors import SYSTEM, Actor
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork

NAMES_DA = {YDELSER: "ydelseskataloget", LEVERANDOERER: "leverandørregistret"}


@dataclass(frozen=True)
class CatalogueVersionView:
    key: str
    version: int
    deployed_at: datetime
    deployed_by: str
    active: bool = False
    created: bool = False
    activated: bool = False

    @classmethod
    def of(
        cls, row: CatalogueVersion, *, active: bool, created: bool = False, activated: bool = False
    ) -> CatalogueVersionView:
        return cls(row.key, row.version, row.deployed_at, row.deployed_by, active, created, activated)


@dataclass(frozen=True)
class CatalogueSource:
    version: CatalogueVersionView
    content: dict[str, Any]


def _known_key(key: str) -> None:
    if key not in KEYS:
        raise NotFound(f"Kataloget har ingen fil '{key}' (kendte: {', '.join(KEYS)})")


def check_content(uow: UnitOfWork, key: str, data: Any) -> None:
    """Within an open unit of work: raise ``Invalid`` (Danish, naming the field) unless ``data`` may be deployed."""
    if key == YDELSER:
        ydelser = parse_ydelser(data)
        if errors := catalogue_problems(ydelser, current_tables(uow).parsed()):
            raise Invalid(f"Ydelseskataloget passer ikke til tabellerne: {errors['ydelser'][0]}", errors)
        register = catalogue_in_force(uow).leverandoerer
        if register is not None:
            orphans = sorted({y for lev in register.leverandoerer.values() for y in lev.ydelser} - set(ydelser.ydelser))
            if orphans:
                message = f"Leverandørregistret leverer {', '.join(orphans)}, som kataloget ikke længere har"
                raise Invalid(message, {"ydelser": [message + ". Ret leverandørregistret først."]})
    else:
        known = catalogue_in_force(uow).ydelser
        parse_leverandoerer(data, set(known.ydelser) if known is not None else None)


def deploy_catalogue(uow: UnitOfWork, actor: Actor | None, key: str, data: Any, now: datetime) -> CatalogueVersionView:
    """Store a new version of a catalogue file and make it the one in force (unchanged content: that version)."""
    _known_key(key)
    if actor is not None and not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan ændre kvalitetsstandarden")
    by = actor.username if actor else SYSTEM
    with uow:
        check_content(uow, key, data)
        deployed = uow.catalogue.deploy(key, data, by=by, now=now, reactivate=actor is not None)
        row = deployed.version
        if deployed.activated:
            reason = ActivationReason.DEPLOY if deployed.created else ActivationReason.REDEPLOY
            uow.publish(VersionActivated(ActivationKind.CATALOGUE, key, row.version, by, now, reason))
        view = CatalogueVersionView.of(row, active=True, created=deployed.created, activated=deployed.activated)
        uow.commit()
    return view


MAX_FILE_BYTES = 2 * 1024 * 1024


def upload_catalogue(uow: UnitOfWork, actor: Actor, key: str, raw: bytes, now: datetime) -> CatalogueVersionView:
    """A catalogue file as uploaded in the browser: UTF-8 JSON (a syntax error is named by line and column),
    then deployed exactly as through the API; anything wrong raises ``Invalid`` and nothing is stored."""
    _known_key(key)
    if not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan ændre kvalitetsstandarden")
    data = parse_upload(raw)
    try:
        return deploy_catalogue(uow, actor, key, data, now)
    except Invalid as exc:
        source = raw.decode("utf-8-sig")
        errors = {_located(source, data, path): messages for path, messages in exc.errors.items()}
        raise Invalid(exc.message, errors) from None


_ENTRY = re.compile(r"^(ydelser|leverandoerer)\.(\d+)(\.|$)")


def _located(source: str, data: Any, path: str) -> str:
    """``ydelser.4.serviceniveauer.1.omfang`` -> the same, with the entry's key and its line in the file:
    ``ydelser.4.serviceniveauer.1.omfang (SEL § 85, linje 57)``."""
    match = _ENTRY.match(path)
    if match is None or not isinstance(data, dict):
        return path
    entries, index = data.get(match.group(1)), int(match.group(2))
    if not isinstance(entries, list) or index >= len(entries) or not isinstance(entries[index], dict):
        return path
    name_field = "ydelse" if match.group(1) == "ydelser" else "id"
    name = entries[index].get(name_field)
    if not isinstance(name, str):
        return path
    found = re.search(rf'"{name_field}"\s*:\s*{re.escape(json.dumps(name, ensure_ascii=False))}', source)
    if found is None:
        found = re.search(rf'"{name_field}"\s*:\s*{re.escape(json.dumps(name))}', source)
    line = f", linje {source.count(chr(10), 0, found.start()) + 1}" if found else ""
    return f"{path} ({name}{line})"


def parse_upload(raw: bytes) -> Any:
    """The uploaded bytes as JSON, or ``Invalid`` naming what is wrong (in Danish, with line and column)."""
    if not raw.strip():
        raise Invalid("Filen er tom", {"fil": ["Vælg en JSON-fil med katalogets indhold"]})
    if len(raw) > MAX_FILE_BYTES:
        raise Invalid("Filen er for stor", {"fil": [f"Højst {MAX_FILE_BYTES // 1024 // 1024} MB"]})
    try:
        source = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid("Filen er ikke UTF-8", {"fil": [f"Filen er ikke UTF-8-tekst (byte {exc.start + 1})"]}) from None
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        where = f"linje {exc.lineno}, kolonne {exc.colno}"
        message = f"Filen er ikke gyldig JSON ({where}): {_json_problem_da(exc.msg)}"
        raise Invalid(message, {"fil": [message]}) from None


_JSON_PROBLEMS_DA = {
    "Expecting value": "der mangler en værdi",
    "Expecting property name enclosed in double quotes": "et feltnavn skal stå i dobbelte anførselstegn",
    "Expecting ',' delimiter": "der mangler et komma",
    "Expecting ':' delimiter": "der mangler et kolon",
    "Unterminated string starting at": 'en tekst er ikke afsluttet med "',
    "Extra data": "der står mere efter det afsluttende }",
    "Invalid control character at": "ugyldigt kontroltegn i en tekst",
}


def _json_problem_da(message: str) -> str:
    return next((da for en, da in _JSON_PROBLEMS_DA.items() if message.startswith(en)), "ugyldig JSON")


def activate_catalogue(uow: UnitOfWork, actor: Actor, key: str, number: int, now: datetime) -> CatalogueVersionView:
    """Make an earlier version the one in force (a rollback); it must still agree with the tables."""
    _known_key(key)
    if not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan ændre kvalitetsstandarden")
    with uow:
        row = uow.catalogue.version(key, number)
        if row is None:
            raise NotFound(f"{NAMES_DA[key].capitalize()} har ingen version {number}")
        check_content(uow, key, json.loads(row.content))
        changed = uow.catalogue.activate(row, by=actor.username, now=now)
        if changed:
            reason = ActivationReason.ACTIVATE
            uow.publish(VersionActivated(ActivationKind.CATALOGUE, key, number, actor.username, now, reason))
        view = CatalogueVersionView.of(row, active=True, activated=changed)
        uow.commit()
    return view


def catalogue_versions(uow: UnitOfWork, key: str) -> list[CatalogueVersionView]:
    _known_key(key)
    with uow:
        return versions_of(uow, key)


def versions_of(uow: UnitOfWork, key: str) -> list[CatalogueVersionView]:
    """Within an open unit of work: every version of a catalogue file, ``active`` marking the one in force."""
    active = uow.catalogue.active(key)
    return [
        CatalogueVersionView.of(r, active=active is not None and r.id == active.id) for r in uow.catalogue.versions(key)
    ]


def catalogue_source(uow: UnitOfWork, key: str, number: int | None = None) -> CatalogueSource:
    """A version of a catalogue file (default: the one in force) with its content."""
    _known_key(key)
    with uow:
        active = uow.catalogue.active(key)
        row = active if number is None else uow.catalogue.version(key, number)
        if row is None:
            raise NotFound(f"{NAMES_DA[key].capitalize()}" + (f" version {number}" if number else "") + " findes ikke")
        view = CatalogueVersionView.of(row, active=active is not None and active.id == row.id)
        return CatalogueSource(view, json.loads(row.content))


def catalogue_activations(uow: UnitOfWork, actor: Actor, key: str) -> list[ActivationView]:
    _known_key(key)
    if not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan se kvalitetsstandardens historik")
    with uow:
        return [ActivationView.of(row) for row in uow.catalogue.history(key)]


def deploy_catalogue_files(uow: UnitOfWork, folder: Path, now: datetime) -> list[CatalogueVersionView]:
    """The shipped files, ydelser before leverandører (the register names the catalogue's ydelser)."""
    views = []
    for key in KEYS:
        path = folder / f"{key}.json"
        if path.exists():
            views.append(deploy_catalogue(uow, None, key, json.loads(path.read_text(encoding="utf-8")), now))
    return views
