"""The municipality's kvalitetsstandard as data: sagsbehandlingsfrister per ydelse, escalation rules.

Read from ``processes/kvalitetsstandard.json`` and validated; a process owner edits the file, not code.
Values are copied into a case when it opens, so a change affects new cases, never running ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from engine.calendar import Period

_SCHEMA = {
    "type": "object",
    "required": ["forlaengelse_varsel_hverdage", "eskalering"],
    "properties": {
        "sagsbehandlingsfrister": {
            "type": "object",
            "required": ["standard"],
            "additionalProperties": {"type": "string"},
        },
        "forlaengelse_varsel_hverdage": {"type": "integer", "minimum": 0, "maximum": 60},
        "kommune": {
            "type": "object",
            "required": ["navn"],
            "properties": {
                "navn": {"type": "string", "minLength": 1},
                "afdeling": {"type": "string"},
                "adresse": {"type": "array", "items": {"type": "string"}},
                "telefon": {"type": "string"},
                "web": {"type": "string"},
                "klage_til": {"type": "string"},
            },
        },
        "opfoelgningskadence": {
            "type": "object",
            "required": ["standard"],
            "additionalProperties": {
                "type": "object",
                "required": ["foerste", "derefter"],
                "properties": {"foerste": {"type": "string"}, "derefter": {"type": "string"}},
            },
        },
        "eskalering": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["rolle", "opgave", "varsel_hverdage", "eskaler_til"],
                "properties": {
                    "rolle": {"type": "string"},
                    "opgave": {"type": "string"},
                    "varsel_hverdage": {"type": "integer", "minimum": 0, "maximum": 60},
                    "eskaler_til": {"type": "string"},
                    "daglig_oversigt": {"type": "boolean"},
                },
            },
        },
    },
}


class StandardError(ValueError):
    """The catalogue file is not valid; the message names the field."""


@dataclass(frozen=True)
class EscalationRule:
    role: str
    task: str
    warn_working_days: int
    escalate_to: str
    daily_digest: bool

    def matches(self, role: str, bpmn_id: str | None) -> bool:
        return self.role in ("*", role) and self.task in ("*", bpmn_id or "")


@dataclass(frozen=True)
class Cadence:
    """Opfølgning: the first after ``first``, then every ``then`` (seed 001, Bilag 4).

    ``earliest``: the first opfølgning's window opens then (BPA: between 3 and 6 months); ``sessions``: the
    table counted sessions ("after 6 sessions"), turned into a period with the bevilling's session interval."""

    first: Period
    then: Period
    earliest: Period | None = None
    sessions: int | None = None

    def described(self) -> str:
        """In words: 'første efter 6 måneder (tidligst 3 måneder), derefter hver 12 måneder'."""
        first = f"efter {self.sessions} sessioner ({self.first.label_da()})" if self.sessions else self.first.label_da()
        window = f" (tidligst {self.earliest.label_da()})" if self.earliest else ""
        return f"første efter {first}{window}, derefter hver {self.then.label_da()}"


@dataclass(frozen=True)
class Kvalitetsstandard:
    sagsbehandlingsfrister: dict[str, Period]
    extension_warning_working_days: int
    escalation: tuple[EscalationRule, ...]
    cadences: dict[str, Cadence] = field(default_factory=dict)
    # The deployed DMN tables (tasks.kvalitetsstandard.tables.StandardTables); they win over the file's values.
    tables: Any = None
    # The catalogue in force (tasks.catalogue.entries.Catalogue): ydelser, serviceniveauer, leverandører.
    catalogue: Any = None
    # Sender of letters and where a klage goes: {"navn", "afdeling", "adresse": [...], "telefon", "web", "klage_til"}.
    municipality: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_MUNICIPALITY))

    def with_tables(self, tables: Any, catalogue: Any = None) -> Kvalitetsstandard:
        return replace(self, tables=tables, catalogue=catalogue)

    def sagsbehandlingsfrist(self, ydelse: str | None) -> Period:
        """The ydelse's frist from the table in force; only without any deployed table the file's values."""
        if self.tables is not None and self.tables.has("sagsbehandlingsfrist"):
            return self.tables.sagsbehandlingsfrist(ydelse)
        return self.sagsbehandlingsfrister.get(ydelse or "", self.sagsbehandlingsfrister["standard"])

    def cadence(
        self, ydelse: str | None, maalgruppe: str | None = None, session_interval: Period | None = None
    ) -> Cadence:
        if self.tables is not None and self.tables.has("opfoelgningskadence"):
            interval = session_interval or self._session_interval(ydelse)
            return self.tables.cadence(ydelse, maalgruppe, interval)
        return self.cadences.get(ydelse or "", self.cadences.get("standard", DEFAULT_CADENCE))

    def _session_interval(self, ydelse: str | None) -> Period | None:
        found = self.catalogue.ydelse(ydelse) if self.catalogue is not None else None
        return found.sessionsinterval if found is not None else None

    def ydelser(self) -> list[str]:
        """The ydelser the standard names (the catalogue's, else the tables' rows, else the file's keys)."""
        if self.catalogue is not None and self.catalogue.ydelser is not None:
            return sorted(self.catalogue.ydelser.ydelser)
        listed = self.tables.ydelser() if self.tables is not None else []
        return sorted(listed or (y for y in self.sagsbehandlingsfrister if y != "standard"))

    def escalation_for(self, role: str, bpmn_id: str | None) -> EscalationRule:
        return next((r for r in self.escalation if r.matches(role, bpmn_id)), DEFAULT_RULE)


DEFAULT_RULE = EscalationRule("*", "*", 3, "leder", False)
DEFAULT_FRIST = Period(8, "weeks")
DEFAULT_MUNICIPALITY: dict[str, Any] = {
    "navn": "Sagsflow Kommune",
    "adresse": ["Socialafdelingen, Voksenområdet", "Rådhuspladsen 1", "9999 Sagsby"],
    "klage_til": "kommunen via Digital Post, på borger.dk eller ved at kontakte din sagsbehandler",
}
DEFAULT_CADENCE = Cadence(Period(3, "months"), Period(6, "months"))


def parse_standard(data: Any) -> Kvalitetsstandard:
    errors = sorted(Draft202012Validator(_SCHEMA).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        where = ".".join(str(p) for p in errors[0].absolute_path) or "(roden)"
        raise StandardError(f"kvalitetsstandard: {where}: {errors[0].message}")
    frister = {"standard": DEFAULT_FRIST}
    for ydelse, text in data.get("sagsbehandlingsfrister", {}).items():
        try:
            frister[ydelse] = Period.parse(text)
        except ValueError as exc:
            raise StandardError(f"kvalitetsstandard: sagsbehandlingsfrister.{ydelse}: {exc}") from exc
    rules = tuple(
        EscalationRule(r["rolle"], r["opgave"], r["varsel_hverdage"], r["eskaler_til"], r.get("daglig_oversigt", False))
        for r in data["eskalering"]
    )
    cadences = {}
    for ydelse, entry in data.get("opfoelgningskadence", {}).items():
        try:
            cadences[ydelse] = Cadence(Period.parse(entry["foerste"]), Period.parse(entry["derefter"]))
        except ValueError as exc:
            raise StandardError(f"kvalitetsstandard: opfoelgningskadence.{ydelse}: {exc}") from exc
    municipality = {**DEFAULT_MUNICIPALITY, **data.get("kommune", {})}
    return Kvalitetsstandard(frister, data["forlaengelse_varsel_hverdage"], rules, cadences, municipality=municipality)


def load_standard(processes_dir: Path) -> Kvalitetsstandard:
    path = processes_dir / "kvalitetsstandard.json"
    if not path.exists():
        return DEFAULT_STANDARD
    return parse_standard(json.loads(path.read_text(encoding="utf-8")))


DEFAULT_STANDARD = Kvalitetsstandard({"standard": DEFAULT_FRIST}, 5, (DEFAULT_RULE,))
