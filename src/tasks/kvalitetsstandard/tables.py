"""The kvalitetsstandard's decision tables: which tables exist, what they must answer, deploy, read.

Four DMN tables: ``sagsbehandlingsfrist`` (ydelse -> ``frist``, e.g. "8 uger"), ``opfoelgningskadence``
(ydelse, målgruppe -> ``foerste``, ``derefter``, ``foerste_tidligst``; a count of sessions allowed),
``serviceniveau_forslag`` (ydelse, funktionsniveau -> the suggested ``serviceniveau``) and ``kompetence``
(ydelse, serviceniveau, yearly amount -> who decides).  A process owner edits them in the browser (dmn-js)
or deploys a file; each change is a new version, checked against the catalogue in force (every ydelse has
its frist and cadence).  A case reads the versions in force when it opens and keeps them
(``Case.standard_versions``), so a change reaches new cases only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from engine import feel
from engine.calendar import Period
from engine.content_cache import TEXTS
from engine.decisions import ParsedDecision, evaluate_cached, parsed_cached
from engine.definitions import UnknownProcess
from engine.diagrams import DiagramError, DiagramProblem
from engine.models import ActivationKind, ActivationReason, DecisionVersion
from tasks.catalogue.entries import LEVERANDOERER, YDELSER, Catalogue, leverandoerer_cached, ydelser_cached
from tasks.definitions.views import ActivationView
from tasks.events import VersionActivated
from tasks.kvalitetsstandard.coherence import FORSLAG, FRISTER, KADENCE, KOMPETENCE, table_problems
from tasks.kvalitetsstandard.settings import Cadence, Kvalitetsstandard
from tasks.service.actors import SYSTEM, Actor
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork

EDITORS = {"procesejer", "administrator"}
KOMPETENCER = ("sagsbehandler", "faglig_konsulent", "leder", "visitationsudvalg")
PERIOD, FIRST, OPTIONAL_PERIOD, TEXT, KOMPETENCE_VALUE = "period", "first", "optional_period", "text", "kompetence"


@dataclass(frozen=True)
class TableSpec:
    outputs: dict[str, str]  # output name -> what its cells must hold
    default_row: bool = False  # the table must answer every case ('-' in every input)
    optional: tuple[str, ...] = ()  # outputs a table may leave out (older versions)


TABLES: dict[str, TableSpec] = {
    FRISTER: TableSpec({"frist": PERIOD}),
    KADENCE: TableSpec(
        {"foerste": FIRST, "derefter": FIRST, "foerste_tidligst": OPTIONAL_PERIOD}, optional=("foerste_tidligst",)
    ),
    FORSLAG: TableSpec({"serviceniveau": TEXT}),
    KOMPETENCE: TableSpec({"kompetence": KOMPETENCE_VALUE}, default_row=True),
}
DECISIONS_DIR = "kvalitetsstandard"
SESSIONS = re.compile(r"\s*([1-9][0-9]{0,2})\s+sessioner?\s*")
DEFAULT_SESSION_INTERVAL = Period(1, "weeks")


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
    """A known table, with its outputs, cells Sagsflow can use, and a default row where the table needs one."""
    if parsed.key not in TABLES:
        known = ", ".join(TABLES)
        return [DiagramProblem(parsed.key, f"Ukendt tabel '{parsed.key}' (kendte tabeller: {known})")]
    spec = TABLES[parsed.key]
    problems = []
    required = [o for o in spec.outputs if o not in spec.optional]
    if missing := [o for o in required if o not in parsed.output_names]:
        problems.append(DiagramProblem(parsed.key, f"Tabellen mangler resultatkolonnen {', '.join(missing)}"))
    for rule in parsed.rules:
        for name, kind in spec.outputs.items():
            if name not in parsed.output_names:
                continue
            text = rule.outputs.get(name, "")
            if problem := _cell_problem(kind, text):
                problems.append(DiagramProblem(rule.rule_id, f"'{name}' = {text.strip() or '(tom)'}: {problem}"))
    if spec.default_row and not any(all(i is None for i in rule.inputs) for rule in parsed.rules):
        problems.append(DiagramProblem(parsed.key, "Tabellen mangler en standardregel ('-' i alle betingelser)"))
    return problems


def _cell_problem(kind: str, text: str) -> str | None:
    if kind == OPTIONAL_PERIOD and not text.strip():
        return None
    try:
        value = feel.string_literal(text)
    except (ValueError, SyntaxError, TypeError) as exc:
        return str(exc)
    if kind == TEXT:
        return None if value.strip() else 'skal være en tekst, fx "Trin 3"'
    if kind == KOMPETENCE_VALUE:
        return None if value in KOMPETENCER else f"skal være en af {', '.join(KOMPETENCER)}"
    if kind == FIRST and SESSIONS.fullmatch(value):
        return None
    try:
        Period.parse(value)
    except ValueError as exc:
        return str(exc) + (" eller et antal sessioner, fx '6 sessioner'" if kind == FIRST else "")
    return None


def deploy_decision(uow: UnitOfWork, actor: Actor | None, dmn_xml: str, now: datetime) -> DecisionVersionView:
    """Store a new version of a table (or return the existing one for unchanged content)."""
    if actor is not None and not actor.roles & EDITORS:
        raise Forbidden("Kun procesejere kan ændre kvalitetsstandarden")
    by = actor.username if actor else SYSTEM
    with uow:
        ydelser = catalogue_in_force(uow).ydelser

        def check(parsed: ParsedDecision) -> list[DiagramProblem]:
            return check_table(parsed) or table_problems(parsed, ydelser)

        deployed = uow.decisions.deploy(dmn_xml, deployed_by=by, now=now, check=check, reactivate=actor is not None)
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
        parsed = parsed_cached(row.dmn_xml)
        if problems := check_table(parsed) or table_problems(parsed, catalogue_in_force(uow).ydelser):
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
    """The table versions a case reads, answering per ydelse.  A table not deployed is absent."""

    found: dict[str, tuple[int, str]]  # key -> (version, xml)

    def has(self, key: str) -> bool:
        return key in self.found

    def _evaluate(self, key: str, data: dict[str, Any]) -> dict[str, Any]:
        return evaluate_cached(self.found[key][1], data) if key in self.found else {}

    def sagsbehandlingsfrist(self, ydelse: str | None) -> Period:
        """The ydelse's frist; a ydelse the table does not name is refused (never a default)."""
        frist = self._evaluate(FRISTER, {"ydelse": ydelse}).get("frist")
        if not frist:
            message = f"Ydelsen '{ydelse}' har ingen sagsbehandlingsfrist i kvalitetsstandarden"
            raise Invalid(message, {"ydelse": [message]})
        return Period.parse(frist)

    def cadence(self, ydelse: str | None, maalgruppe: str | None = None, interval: Period | None = None) -> Cadence:
        result = self._evaluate(KADENCE, {"ydelse": ydelse, "maalgruppe": maalgruppe})
        if not result.get("foerste") or not result.get("derefter"):
            message = f"Ydelsen '{ydelse}' har ingen opfølgningskadence i kvalitetsstandarden"
            raise Invalid(message, {"ydelse": [message]})
        step = interval or DEFAULT_SESSION_INTERVAL
        first, sessions = _period_or_sessions(result["foerste"], step)
        then, _ = _period_or_sessions(result["derefter"], step)
        earliest = Period.parse(result["foerste_tidligst"]) if result.get("foerste_tidligst") else None
        return Cadence(first, then, earliest, sessions)

    def suggested_serviceniveau(self, ydelse: str | None, funktionsniveau: str | None) -> str | None:
        """The serviceniveau the standard suggests for the udredning's funktionsniveau (None: no suggestion)."""
        value = self._evaluate(FORSLAG, {"ydelse": ydelse, "funktionsniveau": funktionsniveau}).get("serviceniveau")
        return str(value) if value else None

    def kompetence(self, ydelse: str | None, serviceniveau: str | None, beloeb: int | None) -> str:
        """Who may make the decision: sagsbehandler, faglig_konsulent, leder or visitationsudvalg."""
        data = {"ydelse": ydelse, "serviceniveau": serviceniveau, "aarligt_beloeb": beloeb}
        return str(self._evaluate(KOMPETENCE, data).get("kompetence") or "sagsbehandler")

    def ydelser(self) -> list[str]:
        return parsed_cached(self.found[FRISTER][1]).literal_inputs() if FRISTER in self.found else []

    def parsed(self) -> dict[str, ParsedDecision]:
        return {key: parsed_cached(xml) for key, (_, xml) in self.found.items()}

    @property
    def versions(self) -> dict[str, int]:
        return {key: value[0] for key, value in self.found.items()}


def _period_or_sessions(text: str, interval: Period) -> tuple[Period, int | None]:
    """'6 sessioner' with a weekly interval -> (6 uger, 6); '3 måneder' -> (3 måneder, None)."""
    if match := SESSIONS.fullmatch(text):
        count = int(match.group(1))
        return Period(count * interval.value, interval.unit), count
    return Period.parse(text), None


def current_tables(uow: UnitOfWork) -> StandardTables:
    """Within an open unit of work: the tables in force (the newest, unless a procesejer chose another).
    Their XML comes from the content cache; only a version this process has not seen is read in full."""
    found = {}
    for key, (version, row_id, digest) in uow.decisions.active_refs(TABLES).items():
        found[key] = (version, TEXTS.text(digest, partial(uow.decisions.xml, row_id)))
    return StandardTables(found)


def case_tables(uow: UnitOfWork, versions: dict[str, int]) -> StandardTables:
    """The table versions a case opened with (``Case.standard_versions``); a table it did not read: in force."""
    found = dict(current_tables(uow).found)
    for key, number in versions.items():
        row = uow.decisions.version(key, number, with_xml=True) if key in TABLES else None
        if row is not None:
            found[key] = (row.version, row.dmn_xml)
    return StandardTables(found)


def catalogue_in_force(uow: UnitOfWork) -> Catalogue:
    """Within an open unit of work: the catalogue files in force, read once per command.  The content comes
    from the content cache by its hash (a hash of the meaning: files equal in meaning share one parse)."""
    catalogue = uow.memo.get("catalogue_in_force")
    if catalogue is None:
        contents, versions = {}, {}
        refs = uow.catalogue.active_refs([YDELSER, LEVERANDOERER])
        for key in (YDELSER, LEVERANDOERER):
            if (ref := refs.get(key)) is not None:
                version, row_id, digest = ref
                versions[key] = version
                contents[key] = TEXTS.text(f"{key}:{digest}", partial(uow.catalogue.content, row_id))
        catalogue = uow.memo["catalogue_in_force"] = Catalogue(
            ydelser_cached(contents[YDELSER]) if YDELSER in contents else None,
            leverandoerer_cached(contents[LEVERANDOERER]) if LEVERANDOERER in contents else None,
            versions,
        )
    return catalogue  # type: ignore[return-value]


def standard_in_force(uow: UnitOfWork) -> Kvalitetsstandard:
    """Within an open unit of work: the kvalitetsstandard with its newest tables, read once per command."""
    standard = uow.memo.get("standard_in_force")
    if standard is None:
        tables = current_tables(uow)
        standard = uow.memo["standard_in_force"] = uow.standard.with_tables(tables, catalogue_in_force(uow))
    return standard  # type: ignore[return-value]


def current_ydelser(uow: UnitOfWork) -> list[str]:
    """The ydelser the kvalitetsstandard names, for a form's choices."""
    with uow:
        return standard_in_force(uow).ydelser()


def ydelse_choices(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(value, label) for a form's ydelse choice, in paragraph order (§ 82 a before § 100), named by the
    catalogue ("§ 85 Socialpædagogisk støtte"), else where the main pathway's bevilling form names them."""
    with uow:
        ydelser = standard_in_force(uow).ydelser()
        names = ydelse_names(uow)
    return [(y, names.get(y, y)) for y in sorted(ydelser, key=paragraph_order)]


def paragraph_order(ydelse: str) -> tuple[int, str, int, str]:
    """'SEL § 82 a' -> (0, 'SEL', 82, 'a'): numbers compare as numbers, Serviceloven first."""
    match = re.match(r"\s*(.*?)§\s*(\d+)\s*(.*)$", ydelse)
    if match is None:
        return (1, ydelse, 0, "")
    law = match.group(1).strip()
    return (0 if law == "SEL" else 1, law, int(match.group(2)), match.group(3).strip())


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
    catalogue = catalogue_in_force(uow)
    if catalogue is not None:
        for key in names.keys() | set(current_tables(uow).ydelser()):
            if (entry := catalogue.ydelse(key)) is not None:
                names[key] = entry.label
    return names
