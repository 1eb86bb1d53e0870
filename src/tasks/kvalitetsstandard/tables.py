"""The kvalitetsstandard's decision tables: which tables exist, what they must answer, deploy, read.

Two DMN tables decide per ydelse: ``sagsbehandlingsfrist`` (output ``frist``, e.g. "8 uger") and
``opfoelgningskadence`` (``foerste`` and ``derefter``).  A process owner edits them in the browser
(dmn-js) or deploys a file; each change is a new version.  A case reads the newest versions when it
opens and copies the values into its process data, so a change reaches new cases only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from engine import feel
from engine.calendar import Period
from engine.decisions import ParsedDecision, evaluate_cached, parsed_cached
from engine.definitions import UnknownProcess
from engine.diagrams import DiagramError, DiagramProblem
from engine.models import ActivationKind, ActivationReason, DecisionVersion
from tasks.definitions.views import ActivationView
from tasks.events import VersionActivated
from tasks.kvalitetsstandard.settings import Cadence, Kvalitetsstandard
from tasks.service.actors import SYSTEM, Actor
from tasks.service.errors import Forbidden, NotFound
from tasks.service.uow import UnitOfWork

EDITORS = {"procesejer", "administrator"}
TABLES: dict[str, tuple[str, ...]] = {
    "sagsbehandlingsfrist": ("frist",),
    "opfoelgningskadence": ("foerste", "derefter"),
}
DECISIONS_DIR = "kvalitetsstandard"


@dataclass(frozen=True)
class DecisionVersionView:
    id: int
    key: str
    name: str
    version: int
    deployed_at: datetime
    deployed_by: str | None
    created: bool = False
    active: bool = False
    activated: bool = False

    @classmethod
    def of(
        cls, row: DecisionVersion, created: bool = False, *, active: bool = False, activated: bool = False
    ) -> DecisionVersionView:
        return cls(
            row.id,
            row.decision_key,
            row.name,
            row.version,
            row.deployed_at,
            row.deployed_by,
            created,
            active,
            activated,
        )


@dataclass(frozen=True)
class DecisionSource:
    version: DecisionVersionView
    dmn_xml: str


def check_table(parsed: ParsedDecision) -> list[DiagramProblem]:
    """A known table, with its outputs, literal periods Sagsflow can count, and a default row."""
    if parsed.key not in TABLES:
        known = ", ".join(TABLES)
        return [DiagramProblem(parsed.key, f"Ukendt tabel '{parsed.key}' (kendte tabeller: {known})")]
    problems = []
    if missing := [o for o in TABLES[parsed.key] if o not in parsed.output_names]:
        problems.append(DiagramProblem(parsed.key, f"Tabellen mangler resultatkolonnen {', '.join(missing)}"))
    for rule in parsed.rules:
        for name in TABLES[parsed.key]:
            text = rule.outputs.get(name, "")
            try:
                Period.parse(feel.string_literal(text))
            except (ValueError, SyntaxError, TypeError) as exc:
                problems.append(DiagramProblem(rule.rule_id, f"'{name}' = {text.strip() or '(tom)'}: {exc}"))
    if not any(all(i is None for i in rule.inputs) for rule in parsed.rules):
        problems.append(DiagramProblem(parsed.key, "Tabellen mangler en standardregel ('-' i alle betingelser)"))
    return problems


def deploy_decision(uow: UnitOfWork, actor: Actor | None, dmn_xml: str, now: datetime) -> DecisionVersionView:
    """Store a new version of a table (or return the existing one for unchanged content)."""
    if actor is not None and not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan ændre kvalitetsstandarden")
    by = actor.username if actor else SYSTEM
    with uow:
        deployed = uow.decisions.deploy(
            dmn_xml, deployed_by=by, now=now, check=check_table, reactivate=actor is not None
        )
        row = deployed.version
        if deployed.activated:
            reason = ActivationReason.DEPLOY if deployed.created else ActivationReason.REDEPLOY
            uow.publish(VersionActivated(ActivationKind.DECISION, row.decision_key, row.version, by, now, reason))
        view = DecisionVersionView.of(row, deployed.created, active=True, activated=deployed.activated)
        uow.commit()
    return view


def activate_decision(uow: UnitOfWork, actor: Actor, key: str, number: int, now: datetime) -> DecisionVersionView:
    """Make version ``number`` of a table the one new cases read (a rollback); recorded with who and when."""
    if not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan ændre kvalitetsstandarden")
    with uow:
        row = uow.decisions.version(key, number, with_xml=True)
        if row is None:
            raise NotFound(f"Tabellen '{key}' har ingen version {number}")
        if problems := check_table(parsed_cached(row.dmn_xml)):
            raise DiagramError(problems)
        changed = uow.decisions.activate(row, by=actor.username, now=now)
        if changed:
            uow.publish(
                VersionActivated(ActivationKind.DECISION, key, number, actor.username, now, ActivationReason.ACTIVATE)
            )
        view = DecisionVersionView.of(row, active=True, activated=changed)
        uow.commit()
    return view


def decision_activations(uow: UnitOfWork, actor: Actor, key: str) -> list[ActivationView]:
    """Which version of a table new cases read from when, and who chose it."""
    if not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan se kvalitetsstandardens historik")
    with uow:
        if uow.decisions.active(key) is None:
            raise NotFound(f"Tabellen '{key}' findes ikke")
        return [ActivationView.of(row) for row in uow.decisions.history(key)]


def deploy_decision_files(uow: UnitOfWork, folder: Path, now: datetime) -> list[DecisionVersionView]:
    return [deploy_decision(uow, None, path.read_text(encoding="utf-8"), now) for path in sorted(folder.glob("*.dmn"))]


def list_decision_versions(uow: UnitOfWork) -> list[DecisionVersionView]:
    with uow:
        active = uow.decisions.active_ids()
        return [DecisionVersionView.of(v, active=v.id in active) for v in uow.decisions.all_versions()]


def decision_source(uow: UnitOfWork, actor: Actor, key: str, number: int | None = None) -> DecisionSource:
    """A version of a table (default: the one in force) with its XML, to edit (procesejere only)."""
    if not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan ændre kvalitetsstandarden")
    with uow:
        active = uow.decisions.active(key)
        row = (
            uow.decisions.active(key, with_xml=True)
            if number is None
            else uow.decisions.version(key, number, with_xml=True)
        )
        if row is None:
            raise NotFound(f"Tabellen '{key}'" + (f" version {number}" if number is not None else "") + " findes ikke")
        view = DecisionVersionView.of(row, active=active is not None and active.id == row.id)
        return DecisionSource(view, row.dmn_xml)


@dataclass(frozen=True)
class StandardTables:
    """The newest table versions, answering per ydelse.  None for a table not deployed."""

    frister: tuple[int, str] | None  # (version, xml)
    kadence: tuple[int, str] | None

    def sagsbehandlingsfrist(self, ydelse: str | None) -> Period | None:
        if self.frister is None:
            return None
        return Period.parse(evaluate_cached(self.frister[1], {"ydelse": ydelse})["frist"])

    def cadence(self, ydelse: str | None) -> Cadence | None:
        if self.kadence is None:
            return None
        result = evaluate_cached(self.kadence[1], {"ydelse": ydelse})
        return Cadence(Period.parse(result["foerste"]), Period.parse(result["derefter"]))

    def ydelser(self) -> list[str]:
        return parsed_cached(self.frister[1]).literal_inputs() if self.frister else []

    @property
    def versions(self) -> dict[str, int]:
        found = {"sagsbehandlingsfrist": self.frister, "opfoelgningskadence": self.kadence}
        return {key: value[0] for key, value in found.items() if value is not None}


def current_tables(uow: UnitOfWork) -> StandardTables:
    """Within an open unit of work: the tables in force (the newest, unless a procesejer chose another)."""
    found = {}
    for key in TABLES:
        row = uow.decisions.active(key, with_xml=True)
        found[key] = (row.version, row.dmn_xml) if row is not None else None
    return StandardTables(found["sagsbehandlingsfrist"], found["opfoelgningskadence"])


def standard_in_force(uow: UnitOfWork) -> Kvalitetsstandard:
    """Within an open unit of work: the kvalitetsstandard with its newest tables, read once per command."""
    standard = uow.memo.get("standard_in_force")
    if standard is None:
        standard = uow.memo["standard_in_force"] = uow.standard.with_tables(current_tables(uow))
    return standard  # type: ignore[return-value]


def current_ydelser(uow: UnitOfWork) -> list[str]:
    """The ydelser the kvalitetsstandard names, for a form's choices."""
    with uow:
        return uow.standard.with_tables(current_tables(uow)).ydelser()


def ydelse_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(value, label) for a form's ydelse choice, in paragraph order (§ 82 a before § 100), named where the
    main pathway's bevilling form names them ("§ 85 Socialpædagogisk støtte")."""
    with uow:
        ydelser = uow.standard.with_tables(current_tables(uow)).ydelser()
        names = ydelse_names(uow)
    return [(y, names.get(y, y)) for y in sorted(ydelser, key=paragraph_order)]


def paragraph_order(ydelse: str) -> tuple[str, int, str]:
    """'SEL § 82 a' -> ('SEL', 82, 'a'): numbers compare as numbers."""
    match = re.match(r"\s*(.*?)§\s*(\d+)\s*(.*)$", ydelse)
    if match is None:
        return (ydelse, 0, "")
    return (match.group(1).strip(), int(match.group(2)), match.group(3).strip())


def ydelse_names(uow: UnitOfWork) -> dict[str, str]:
    """Within an open unit of work: each ydelse's name where the main pathway's forms give one."""
    try:
        version = uow.definitions.active("sagsbehandling")
    except UnknownProcess:
        return {}
    names: dict[str, str] = {}
    for form in uow.definitions.forms(version).values():
        prop = (form.get("properties") or {}).get("ydelse") or {}
        for choice in prop.get("oneOf") or []:
            if isinstance(choice, dict) and "const" in choice and "title" in choice:
                names.setdefault(str(choice["const"]), str(choice["title"]))
    return names
