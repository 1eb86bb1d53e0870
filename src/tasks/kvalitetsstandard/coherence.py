"""The tables and the catalogue must agree: every ydelse of the catalogue has its sagsbehandlingsfrist and
its opfølgningskadence in the tables (named in its own row, never by the '-' row), and a suggested
serviceniveau is one the catalogue lists for that ydelse.  Checked when either side is deployed, so a
procesejer cannot leave a ydelse without a frist (it would otherwise silently get a default).
"""

from __future__ import annotations

from engine.decisions import ParsedDecision
from engine.diagrams import DiagramProblem
from tasks.catalogue.entries import Ydelser

FRISTER, KADENCE, FORSLAG, KOMPETENCE = (
    "sagsbehandlingsfrist",
    "opfoelgningskadence",
    "serviceniveau_forslag",
    "kompetence",
)
NAMED_PER_YDELSE = {FRISTER: "sin sagsbehandlingsfrist", KADENCE: "sin opfølgningskadence"}


def table_problems(parsed: ParsedDecision, ydelser: Ydelser | None) -> list[DiagramProblem]:
    """What a table lacks or gets wrong measured against the catalogue (empty without a catalogue)."""
    if ydelser is None:
        return []
    if parsed.key in NAMED_PER_YDELSE:
        return _unnamed(parsed, ydelser)
    if parsed.key == FORSLAG:
        return _unknown_suggestions(parsed, ydelser)
    return []


def _unnamed(parsed: ParsedDecision, ydelser: Ydelser) -> list[DiagramProblem]:
    problems = []
    for ydelse in ydelser.ydelser.values():
        groups = [None, *ydelse.maalgrupper] if parsed.key == KADENCE else [None]
        for group in groups:
            rules = parsed.matching_rules({"ydelse": ydelse.key, "maalgruppe": group})
            if not any(rule.inputs[0] is not None for rule in rules):
                problems.append(
                    DiagramProblem(
                        parsed.key,
                        f"Ydelsen '{ydelse.key}' ({ydelse.navn}) har ingen række i tabellen '{parsed.name}': "
                        f"hver ydelse i kataloget skal have {NAMED_PER_YDELSE[parsed.key]} i sin egen række",
                    )
                )
                break
    return problems


def _unknown_suggestions(parsed: ParsedDecision, ydelser: Ydelser) -> list[DiagramProblem]:
    problems = []
    for ydelse in ydelser.ydelser.values():
        for level in ydelser.funktionsniveauer:
            rules = parsed.matching_rules({"ydelse": ydelse.key, "funktionsniveau": level})
            if not rules:
                continue
            suggested = parsed.evaluate({"ydelse": ydelse.key, "funktionsniveau": level}).get("serviceniveau")
            if ydelse.level(suggested) is None:
                known = ydelse.level_keys() or "ingen"
                problems.append(
                    DiagramProblem(
                        rules[0].rule_id,
                        f"Reglen foreslår '{suggested}' for {ydelse.key} ved funktionsniveau {level}, "
                        f"men kataloget har ikke det serviceniveau (kendte: {known})",
                    )
                )
                break
    return problems


def catalogue_problems(ydelser: Ydelser, tables: dict[str, ParsedDecision]) -> dict[str, list[str]]:
    """A new ydelser file measured against the tables in force: field -> Danish messages."""
    errors: dict[str, list[str]] = {}
    for parsed in tables.values():
        for problem in table_problems(parsed, ydelser):
            errors.setdefault("ydelser", []).append(
                f"{problem.message}. Tilføj rækken i tabellen først, og udrul så kataloget."
            )
    return errors
