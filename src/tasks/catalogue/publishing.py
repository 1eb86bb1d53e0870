"""Deploy, activate and read the catalogue files (procesejere edit; everyone may read the catalogue).

A new content is validated (Danish errors naming the field), checked against the decision tables in force
(every ydelse needs its frist and cadence; see ``tasks.kvalitetsstandard.coherence``) and against the other
file (a leverandør may only deliver ydelser the catalogue knows), then stored as a new version in force.
"""

from __future__ import annotations

import json
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
        active = uow.catalogue.active(key)
        return [
            CatalogueVersionView.of(r, active=active is not None and r.id == active.id)
            for r in uow.catalogue.versions(key)
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
