"""What the catalogue says about a decision, added by Sagsflow to the process data when the deciding task of
the main pathway is completed (the caseworker's form never sets these):

- *Træf afgørelse*: the udredning's funktionsniveau (the most severe level across the life areas), the
  serviceniveau the ``serviceniveau_forslag`` table suggests for it, whether the decision is an
  ``afvigelse`` (a chosen serviceniveau above the suggestion, the citizen's age outside the ydelse's
  conditions — or one the caseworker marks that the catalogue cannot see) with its reasons, and who has
  ``kompetence`` to make it (the ``kompetence`` table: ydelse, serviceniveau, yearly amount).
- *Opret bevilling*: the serviceniveau must be one of the catalogue's for the ydelse (and the one the
  afgørelse decided), its ``omfang`` is the catalogue's, the leverandør one of the register's for the ydelse,
  the målgruppe one of the ydelse's; the opfølgningskadence follows the målgruppe and the session interval
  (from the table versions the case opened with).
- *Træf afgørelse om ændring eller ophør*: the new serviceniveau is checked and compared like the first.

Bad input is refused with Danish messages naming the field (``Invalid``), before anything changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from tasks.cases.model import Case
from tasks.catalogue.entries import Catalogue, Serviceniveau, Ydelse
from tasks.events import DecisionAssessed
from tasks.kvalitetsstandard.tables import case_tables, standard_in_force
from tasks.service.errors import Invalid
from tasks.service.uow import UnitOfWork

AFGOERELSE, BEVILLING, AENDRING_AFGOERELSE = "afgoerelse", "bevilling", "aendring_afgoerelse"
GRANTING = ("bevilling", "delvis_bevilling")

# Process data Sagsflow sets on these tasks: a form may not declare them.
FACT_NAMES = frozenset(
    {
        "funktionsniveau",
        "foreslaaet_serviceniveau",
        "afvigelse_grunde",
        "kompetence",
        "ydelse_navn",
        "frit_valg_tekst",
        "katalog_version",
    }
)


def decision_facts(
    uow: UnitOfWork, case: Case, bpmn_id: str, process: Mapping[str, Any], data: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """Within an open unit of work: the system's facts for a completed deciding task ({} for other tasks)."""
    if bpmn_id == AFGOERELSE:
        return _afgoerelse(uow, case, process, data, today)
    if bpmn_id == BEVILLING:
        return _bevilling(uow, case, process, data)
    if bpmn_id == AENDRING_AFGOERELSE and data.get("aendring") == "aendring":
        return _aendring(uow, case, process, data, today)
    return {}


def _catalogue(uow: UnitOfWork) -> Catalogue | None:
    catalogue = standard_in_force(uow).catalogue
    return catalogue if catalogue is not None and catalogue.ydelser is not None else None


def funktionsniveau(process: Mapping[str, Any], scale: tuple[str, ...]) -> str | None:
    """The most severe level the udredning found across its life areas (None without an udredning)."""
    areas = process.get("livsomraader")
    if not isinstance(areas, dict):
        return None
    levels = [a.get("niveau") for a in areas.values() if isinstance(a, dict)]
    ranked = [scale.index(level) for level in levels if level in scale]
    return scale[max(ranked)] if ranked else None


def _level(ydelse: Ydelse, key: Any, field: str) -> Serviceniveau | None:
    """The catalogue's serviceniveau ``key`` for the ydelse; a key the catalogue does not list is refused."""
    if not key or not ydelse.serviceniveauer:
        return None
    level = ydelse.level(str(key))
    if level is None:
        raise Invalid(
            f"Serviceniveauet '{key}' findes ikke for {ydelse.key} i kvalitetsstandarden",
            {field: [f"Vælg et af kvalitetsstandardens serviceniveauer for {ydelse.key}: {ydelse.level_keys()}"]},
        )
    return level


def _afvigelse(
    uow: UnitOfWork, case: Case, ydelse: Ydelse, level: Serviceniveau | None, process: Mapping[str, Any], today: date
) -> tuple[list[str], dict[str, Any]]:
    """The reasons the decision departs from the catalogue, and the facts behind them."""
    catalogue = _catalogue(uow)
    scale = catalogue.ydelser.funktionsniveauer if catalogue is not None and catalogue.ydelser else ()
    level_found = funktionsniveau(process, scale)
    tables = standard_in_force(uow).tables
    suggested = tables.suggested_serviceniveau(ydelse.key, level_found) if tables is not None and level_found else None
    reasons = []
    proposal = ydelse.level(suggested)
    if level is not None and proposal is not None and level.rank > proposal.rank:
        reasons.append(
            f"serviceniveauet {level.key} ligger over kvalitetsstandardens forslag {proposal.key} "
            f"ved funktionsniveau {level_found}"
        )
    if (age := case.citizen_age(today)) is not None and (problem := ydelse.conditions.age_problem(age)):
        reasons.append(f"{ydelse.key}: {problem}")
    facts = {"funktionsniveau": level_found or "", "foreslaaet_serviceniveau": suggested or ""}
    return reasons, facts


def _afgoerelse(
    uow: UnitOfWork, case: Case, process: Mapping[str, Any], data: Mapping[str, Any], today: date
) -> dict[str, Any]:
    catalogue = _catalogue(uow)
    key = str(data.get("lovgrundlag") or process.get("ydelse") or case.ydelse or "")
    ydelse = catalogue.ydelse(key) if catalogue is not None else None
    ticked = bool(data.get("afvigelse"))
    if ydelse is None or data.get("udfald") not in GRANTING:
        return {"afvigelse": ticked, "afvigelse_grunde": "", "kompetence": "sagsbehandler"}
    level = _level(ydelse, data.get("serviceniveau"), "serviceniveau")
    reasons, facts = _afvigelse(uow, case, ydelse, level, process, today)
    if reasons and not str(data.get("afvigelse_begrundelse") or "").strip():
        raise Invalid(
            "Afgørelsen afviger fra kvalitetsstandarden og skal godkendes af en faglig konsulent",
            {"afvigelse_begrundelse": [f"Afgørelsen afviger: {'; '.join(reasons)}. Skriv begrundelsen for afvigelsen"]},
        )
    amount = data.get("aarligt_beloeb")
    if amount is None and level is not None:
        amount = level.aarlig_pris
    tables = standard_in_force(uow).tables
    kompetence = tables.kompetence(ydelse.key, level.key if level else None, amount) if tables else "sagsbehandler"
    return {
        **facts,
        "afvigelse": ticked or bool(reasons),
        "afvigelse_grunde": "; ".join(reasons),
        "kompetence": kompetence,
    }


def _bevilling(uow: UnitOfWork, case: Case, process: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    catalogue = _catalogue(uow)
    key = str(data.get("ydelse") or "")
    ydelse = catalogue.ydelse(key) if catalogue is not None else None
    if catalogue is None:
        return {}
    if ydelse is None:
        raise Invalid(
            f"Ydelsen '{key}' findes ikke i kvalitetsstandardens katalog", {"ydelse": [f"Ukendt ydelse '{key}'"]}
        )
    facts: dict[str, Any] = {"ydelse_navn": ydelse.label, "katalog_version": catalogue.versions.get("ydelser")}
    if ydelse.frit_valg and ydelse.frit_valg_tekst:
        facts["frit_valg_tekst"] = ydelse.frit_valg_tekst
    level = _level(ydelse, data.get("pakke"), "pakke")
    if level is not None:
        _same_as_decided(level, ydelse, process)
        facts["omfang"] = _catalogue_omfang(level, data.get("omfang"), "omfang")
    elif not str(data.get("omfang") or "").strip():
        raise Invalid(
            "Omfanget mangler", {"omfang": [f"{ydelse.key} har ingen serviceniveauer i kataloget: skriv omfanget"]}
        )
    facts["leverandoer"] = _leverandoer(catalogue, ydelse, data.get("leverandoer"), "leverandoer")
    group = data.get("maalgruppe")
    if group and group not in ydelse.maalgrupper:
        known = ", ".join(ydelse.maalgrupper) or "ingen"
        raise Invalid("Ukendt målgruppe", {"maalgruppe": [f"{ydelse.key} har målgrupperne: {known}"]})
    interval = level.sessionsinterval if level is not None else None
    if group or interval is not None:
        cadence = case_tables(uow, case.standard_versions or {}).cadence(
            ydelse.key, group, interval or ydelse.sessionsinterval
        )
        facts["opfoelgning_foerste"] = cadence.first.label_da()
        facts["opfoelgning_interval"] = cadence.then.label_da()
    return facts


def _same_as_decided(level: Serviceniveau, ydelse: Ydelse, process: Mapping[str, Any]) -> None:
    """The bevilling carries out the afgørelse: its serviceniveau, or one not above the suggestion."""
    decided = process.get("serviceniveau")
    if decided and decided != level.key and process.get("lovgrundlag", ydelse.key) == ydelse.key:
        raise Invalid(
            "Bevillingen skal have det serviceniveau, afgørelsen traf",
            {"pakke": [f"Afgørelsen bevilgede {decided}; et andet serviceniveau kræver en ny afgørelse"]},
        )
    suggested = ydelse.level(process.get("foreslaaet_serviceniveau"))
    approved = bool(process.get("afvigelse")) and bool(process.get("godkendt"))
    if not decided and suggested is not None and level.rank > suggested.rank and not approved:
        raise Invalid(
            "Serviceniveauet ligger over kvalitetsstandardens forslag og er ikke godkendt som afvigelse",
            {
                "pakke": [
                    f"{level.key} ligger over forslaget {suggested.key}. Angiv serviceniveauet i afgørelsen, så "
                    "afvigelsen går til faglig konsulent"
                ]
            },
        )


def _catalogue_omfang(level: Serviceniveau, given: Any, field: str) -> str:
    if given and str(given).strip() and str(given).strip() != level.omfang:
        raise Invalid(
            "Omfanget følger serviceniveauet i kvalitetsstandarden",
            {field: [f"{level.key} er '{level.omfang}'. Lad feltet stå tomt, eller vælg et andet serviceniveau"]},
        )
    return level.omfang


def _leverandoer(catalogue: Catalogue, ydelse: Ydelse, given: Any, field: str) -> str:
    """The register's name for the leverandør given by id or name; one that does not deliver the ydelse is refused."""
    register = catalogue.leverandoerer
    if register is None:
        return str(given or "")
    found = register.find(str(given or ""))
    if found is None or not found.aktiv or ydelse.key not in found.ydelser:
        names = ", ".join(lev.navn for lev in register.for_ydelse(ydelse.key)) or "ingen"
        raise Invalid(
            f"Leverandøren '{given}' leverer ikke {ydelse.key} efter leverandørregistret",
            {field: [f"Vælg en leverandør fra registret, der leverer {ydelse.key}: {names}"]},
        )
    return found.navn


def _aendring(
    uow: UnitOfWork, case: Case, process: Mapping[str, Any], data: Mapping[str, Any], today: date
) -> dict[str, Any]:
    catalogue = _catalogue(uow)
    ydelse = catalogue.ydelse(str(process.get("ydelse") or case.ydelse or "")) if catalogue is not None else None
    if ydelse is None or catalogue is None:
        return {}
    facts: dict[str, Any] = {}
    level = _level(ydelse, data.get("ny_pakke"), "ny_pakke")
    if level is not None:
        facts["ny_omfang"] = _catalogue_omfang(level, data.get("ny_omfang"), "ny_omfang")
    elif not str(data.get("ny_omfang") or "").strip():
        raise Invalid(
            "Omfanget mangler", {"ny_omfang": [f"{ydelse.key} har ingen serviceniveauer i kataloget: skriv omfanget"]}
        )
    if data.get("ny_leverandoer"):
        facts["ny_leverandoer"] = _leverandoer(catalogue, ydelse, data.get("ny_leverandoer"), "ny_leverandoer")
    reasons, found = _afvigelse(uow, case, ydelse, level, process, today)
    if reasons and not str(data.get("afvigelse_begrundelse") or "").strip():
        raise Invalid(
            "Ændringen afviger fra kvalitetsstandarden og skal godkendes af en faglig konsulent",
            {"afvigelse_begrundelse": [f"Ændringen afviger: {'; '.join(reasons)}. Skriv begrundelsen for afvigelsen"]},
        )
    return {
        **facts,
        **found,
        "afvigelse": bool(data.get("afvigelse")) or bool(reasons),
        "afvigelse_grunde": "; ".join(reasons),
    }


KOMPETENCE_DA = {
    "faglig_konsulent": "en faglig konsulent",
    "leder": "lederen",
    "visitationsudvalg": "visitationsudvalget",
}


def journal_assessment(event: DecisionAssessed, uow: UnitOfWork) -> None:
    """The journal says what Sagsflow found, so the approval's reason is on the case."""
    parts = []
    if event.afvigelse_grunde:
        parts.append(f"Afvigelse fra kvalitetsstandarden fundet: {event.afvigelse_grunde}; sendt til faglig konsulent")
    if event.kompetence in KOMPETENCE_DA:
        parts.append(
            f"afgørelsen ligger over sagsbehandlerens kompetence og træffes af {KOMPETENCE_DA[event.kompetence]}"
        )
    text = ". ".join(parts) + "."
    uow.journal.record(
        event.case,
        actor=event.actor,
        action="decision_assessed",
        at=event.at,
        message=text[0].upper() + text[1:],
        task=event.task,
        details={"afvigelse_grunde": event.afvigelse_grunde, "kompetence": event.kompetence},
    )
