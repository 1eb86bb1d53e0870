"""The catalogue's content as typed values, read from its two JSON files and validated.

``parse_ydelser`` and ``parse_leverandoerer`` raise ``Invalid`` with Danish messages keyed by the
field's path (``ydelser.4.serviceniveauer.1.noegle``), so a procesejer's mistake is named, never a 500.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from engine.calendar import Period
from tasks.service.errors import Invalid
from tasks.work.forms import form_errors

YDELSER, LEVERANDOERER = "ydelser", "leverandoerer"
KEYS = (YDELSER, LEVERANDOERER)
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")
YDELSE_PATTERN = r"^[A-ZÆØÅ]{2,6} § [0-9]{1,4}( [a-z])?$"
_TEXT = {"type": "string", "maxLength": 2000}
_PERIOD = {"type": "string", "minLength": 1, "maxLength": 30}

YDELSER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ydelser", "funktionsniveauer"],
    "properties": {
        "$comment": _TEXT,
        "kommune": {"type": "string", "maxLength": 200},
        "funktionsniveauer": {
            "type": "array",
            "minItems": 2,
            "maxItems": 10,
            "items": {"type": "string", "minLength": 1, "maxLength": 10},
        },
        "visitationsudvalg": {
            "type": "object",
            "additionalProperties": False,
            "required": ["ugedag"],
            "properties": {
                "navn": {"type": "string", "minLength": 1, "maxLength": 100},
                "ugedag": {"enum": list(WEEKDAYS)},
                "afgoerelse_senest_hverdage": {"type": "integer", "minimum": 0, "maximum": 20},
            },
        },
        "ydelser": {
            "type": "array",
            "minItems": 1,
            "maxItems": 200,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["ydelse", "navn"],
                "properties": {
                    "ydelse": {
                        "type": "string",
                        "maxLength": 40,
                        "pattern": YDELSE_PATTERN,
                        "description": "Skal skrives som lov, § og nummer, fx 'SEL § 85' eller 'SEL § 82 a'",
                    },
                    "navn": {"type": "string", "minLength": 1, "maxLength": 200},
                    "kilde": _TEXT,
                    "visiteret": {"type": "boolean"},
                    "frit_valg": {"type": "boolean"},
                    "frit_valg_tekst": _TEXT,
                    "betingelser": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "alder_min": {"type": "integer", "minimum": 0, "maximum": 130},
                            "alder_max": {"type": "integer", "minimum": 0, "maximum": 130},
                            "tekst": _TEXT,
                        },
                    },
                    "serviceniveauer": {
                        "type": "array",
                        "maxItems": 30,
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["noegle", "omfang"],
                            "properties": {
                                "noegle": {"type": "string", "minLength": 1, "maxLength": 100},
                                "omfang": {"type": "string", "minLength": 1, "maxLength": 200},
                                "aarlig_pris": {"type": "integer", "minimum": 0, "maximum": 100_000_000},
                                "sessionsinterval": _PERIOD,
                            },
                        },
                    },
                    "maalgrupper": {
                        "type": "object",
                        "maxProperties": 30,
                        "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 200},
                    },
                    "sessionsinterval": _PERIOD,
                    "leverandoerstatus_foer_opfoelgning": _PERIOD,
                },
            },
        },
    },
}

LEVERANDOERER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["leverandoerer"],
    "properties": {
        "$comment": _TEXT,
        "leverandoerer": {
            "type": "array",
            "maxItems": 2000,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "navn", "ydelser"],
                "properties": {
                    "id": {
                        "type": "string",
                        "pattern": "^[a-z0-9][a-z0-9-]{0,59}$",
                        "description": "Små bogstaver, tal og bindestreg, fx 'bo-vejle'",
                    },
                    "navn": {"type": "string", "minLength": 1, "maxLength": 200},
                    "type": {"enum": ["kommunal", "privat", "borger"]},
                    "aktiv": {"type": "boolean"},
                    "ydelser": {"type": "array", "minItems": 1, "items": {"type": "string", "maxLength": 40}},
                },
            },
        },
    },
}

DEFAULT_STATUS_LEAD = Period(2, "weeks")


@dataclass(frozen=True)
class Serviceniveau:
    key: str  # "Trin 3", "Pakke B", "60 %"
    omfang: str  # the extent in words
    rank: int  # order in the catalogue: a higher rank is more help
    aarlig_pris: int | None = None
    sessionsinterval: Period | None = None

    @property
    def in_words(self) -> str:
        return f"{self.key}: {self.omfang}"


@dataclass(frozen=True)
class Conditions:
    alder_min: int | None = None
    alder_max: int | None = None
    tekst: str = ""

    def age_problem(self, age: int) -> str | None:
        """None when ``age`` meets the conditions, else why not (Danish)."""
        if self.alder_min is not None and age < self.alder_min:
            return f"borgeren er {age} år; ydelsen gives fra {self.alder_min} år"
        if self.alder_max is not None and age > self.alder_max:
            return f"borgeren er {age} år; ydelsen gives til og med {self.alder_max} år"
        return None


@dataclass(frozen=True)
class Ydelse:
    key: str  # "SEL § 85": the name cases, bevillinger and tables use
    navn: str
    kilde: str = ""
    visiteret: bool = True
    frit_valg: bool = False
    frit_valg_tekst: str = ""
    conditions: Conditions = field(default_factory=Conditions)
    serviceniveauer: tuple[Serviceniveau, ...] = ()
    maalgrupper: dict[str, str] = field(default_factory=dict)
    sessionsinterval: Period | None = None
    status_lead: Period = DEFAULT_STATUS_LEAD  # the leverandør's status is due this long before an opfølgning

    @property
    def label(self) -> str:
        """'§ 85 Socialpædagogisk støtte' (the law's short name left out for Serviceloven)."""
        return f"{self.key.removeprefix('SEL ')} {self.navn}"

    def level(self, key: str | None) -> Serviceniveau | None:
        return next((s for s in self.serviceniveauer if s.key == key), None)

    def level_keys(self) -> str:
        return ", ".join(s.key for s in self.serviceniveauer)


@dataclass(frozen=True)
class Leverandoer:
    id: str
    navn: str
    type: str
    ydelser: tuple[str, ...]
    aktiv: bool = True


@dataclass(frozen=True)
class Visitationsudvalg:
    navn: str = "Visitationsudvalget"
    weekday: int = 1  # Monday = 0
    decision_working_days: int = 2


@dataclass(frozen=True)
class Ydelser:
    ydelser: dict[str, Ydelse]
    funktionsniveauer: tuple[str, ...]
    visitationsudvalg: Visitationsudvalg
    kommune: str = ""


@dataclass(frozen=True)
class Leverandoerer:
    leverandoerer: dict[str, Leverandoer]

    def find(self, id_or_name: str) -> Leverandoer | None:
        wanted = id_or_name.strip()
        found = self.leverandoerer.get(wanted)
        if found is not None:
            return found
        return next((lev for lev in self.leverandoerer.values() if lev.navn.casefold() == wanted.casefold()), None)

    def for_ydelse(self, ydelse: str) -> list[Leverandoer]:
        return [lev for lev in self.leverandoerer.values() if lev.aktiv and ydelse in lev.ydelser]


def _check(schema: dict[str, Any], data: Any, what: str) -> None:
    if errors := form_errors(schema, data):
        first = next(iter(errors))
        raise Invalid(f"{what} er ikke gyldig: {first}: {errors[first][0]}", errors)


def _period(text: str | None, where: str, errors: dict[str, list[str]]) -> Period | None:
    if text is None:
        return None
    try:
        return Period.parse(text)
    except ValueError:
        errors.setdefault(where, []).append(f"'{text}' er ikke en periode; skriv fx '14 dage', '2 uger', '3 måneder'")
        return None


def parse_ydelser(data: Any) -> Ydelser:
    """The ydelser file, validated; ``Invalid`` names every offending field."""
    _check(YDELSER_SCHEMA, data, "Ydelseskataloget")
    errors: dict[str, list[str]] = {}
    ydelser: dict[str, Ydelse] = {}
    for i, entry in enumerate(data["ydelser"]):
        where = f"ydelser.{i}"
        if entry["ydelse"] in ydelser:
            errors.setdefault(f"{where}.ydelse", []).append(f"'{entry['ydelse']}' står i kataloget mere end én gang")
            continue
        ydelser[entry["ydelse"]] = _ydelse(entry, where, errors)
    levels = tuple(data["funktionsniveauer"])
    if len(set(levels)) != len(levels):
        errors.setdefault("funktionsniveauer", []).append("Hvert funktionsniveau må kun stå én gang")
    udvalg = data.get("visitationsudvalg") or {}
    visitation = Visitationsudvalg(
        navn=udvalg.get("navn", "Visitationsudvalget"),
        weekday=WEEKDAYS.index(udvalg.get("ugedag", "tirsdag")),
        decision_working_days=udvalg.get("afgoerelse_senest_hverdage", 2),
    )
    if errors:
        first = next(iter(errors))
        raise Invalid(f"Ydelseskataloget er ikke gyldigt: {first}: {errors[first][0]}", errors)
    return Ydelser(ydelser, levels, visitation, data.get("kommune", ""))


def _ydelse(entry: dict[str, Any], where: str, errors: dict[str, list[str]]) -> Ydelse:
    key = entry["ydelse"]
    conditions = entry.get("betingelser") or {}
    low, high = conditions.get("alder_min"), conditions.get("alder_max")
    if low is not None and high is not None and low > high:
        errors.setdefault(f"{where}.betingelser.alder_max", []).append(f"{key}: alder_max er mindre end alder_min")
    levels: list[Serviceniveau] = []
    for j, level in enumerate(entry.get("serviceniveauer") or []):
        at = f"{where}.serviceniveauer.{j}"
        if any(existing.key == level["noegle"] for existing in levels):
            errors.setdefault(f"{at}.noegle", []).append(f"{key}: to serviceniveauer hedder '{level['noegle']}'")
        interval = _period(level.get("sessionsinterval"), f"{at}.sessionsinterval", errors)
        levels.append(Serviceniveau(level["noegle"], level["omfang"], j + 1, level.get("aarlig_pris"), interval))
    for group in entry.get("maalgrupper") or {}:
        if not group.replace("_", "").isalnum() or not group.isascii() or group != group.lower():
            errors.setdefault(f"{where}.maalgrupper", []).append(
                f"{key}: målgruppen '{group}' skal skrives med små bogstaver a–z, tal og _"
            )
    return Ydelse(
        key=key,
        navn=entry["navn"],
        kilde=entry.get("kilde", ""),
        visiteret=entry.get("visiteret", True),
        frit_valg=entry.get("frit_valg", False),
        frit_valg_tekst=entry.get("frit_valg_tekst", ""),
        conditions=Conditions(low, high, conditions.get("tekst", "")),
        serviceniveauer=tuple(levels),
        maalgrupper=dict(entry.get("maalgrupper") or {}),
        sessionsinterval=_period(entry.get("sessionsinterval"), f"{where}.sessionsinterval", errors),
        status_lead=_period(
            entry.get("leverandoerstatus_foer_opfoelgning"), f"{where}.leverandoerstatus_foer_opfoelgning", errors
        )
        or DEFAULT_STATUS_LEAD,
    )


def parse_leverandoerer(data: Any, known_ydelser: set[str] | None = None) -> Leverandoerer:
    """The leverandør register, validated; with ``known_ydelser`` every ydelse it names must be one."""
    _check(LEVERANDOERER_SCHEMA, data, "Leverandørregistret")
    errors: dict[str, list[str]] = {}
    found: dict[str, Leverandoer] = {}
    for i, entry in enumerate(data["leverandoerer"]):
        if entry["id"] in found:
            errors.setdefault(f"leverandoerer.{i}.id", []).append(f"'{entry['id']}' står mere end én gang")
        unknown = [y for y in entry["ydelser"] if known_ydelser is not None and y not in known_ydelser]
        if unknown:
            errors.setdefault(f"leverandoerer.{i}.ydelser", []).append(
                f"{entry['navn']}: ydelsen {', '.join(unknown)} findes ikke i ydelseskataloget"
            )
        found[entry["id"]] = Leverandoer(
            entry["id"], entry["navn"], entry.get("type", "kommunal"), tuple(entry["ydelser"]), entry.get("aktiv", True)
        )
    if errors:
        first = next(iter(errors))
        raise Invalid(f"Leverandørregistret er ikke gyldigt: {first}: {errors[first][0]}", errors)
    return Leverandoerer(found)


@lru_cache(maxsize=32)
def ydelser_cached(content: str) -> Ydelser:
    return parse_ydelser(json.loads(content))


@lru_cache(maxsize=32)
def leverandoerer_cached(content: str) -> Leverandoerer:
    return parse_leverandoerer(json.loads(content))


@dataclass(frozen=True)
class Catalogue:
    """The catalogue in force: its ydelser and its leverandør register (None: that file is not deployed)."""

    ydelser: Ydelser | None
    leverandoerer: Leverandoerer | None
    versions: dict[str, int] = field(default_factory=dict)

    def ydelse(self, key: str | None) -> Ydelse | None:
        if self.ydelser is None or key is None:
            return None
        return self.ydelser.ydelser.get(key)

    def knows(self, key: str) -> bool:
        return self.ydelser is None or key in self.ydelser.ydelser
