"""What a pathway declares about its diagram: the element ids and form fields its code relies on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from engine.diagrams import DiagramProblem, ParsedDiagram
from tasks.afgoerelser.facts import DecisionFacts
from tasks.bevillinger.facts import GrantFacts

# bpmn id of an ended activity, the process data then -> the afgørelse (or bevilling) it makes, or None
DecisionReader = Callable[[str, Mapping[str, Any]], DecisionFacts | None]
GrantReader = Callable[[str, Mapping[str, Any]], GrantFacts | None]


@dataclass(frozen=True)
class Pathway:
    process_key: str
    label: str
    # bpmn id -> what Sagsflow does with it (Danish, shown when a deploy would break it)
    elements: Mapping[str, str] = field(default_factory=dict)
    # form field -> what Sagsflow reads it for
    data_fields: Mapping[str, str] = field(default_factory=dict)
    # bpmn id whose completion writes a letter -> the letter's kind (decision letters follow the afgørelse)
    letters: Mapping[str, str] = field(default_factory=dict)
    # what an ended activity decided (an afgørelse), and what it granted (a bevilling)
    decision: DecisionReader | None = None
    grant: GrantReader | None = None
    # roles that may open the pathway directly (POST /cases); empty: only through its own service
    opened_by: frozenset[str] = frozenset({"sagsbehandler"})
    # the process-data field whose value is the case's outcome when the process ends
    outcome_field: str | None = "udfald"
    is_stay: bool = False
    # user tasks whose answers are the case's decisions (afgørelser, bevillinger), shown apart on the case page
    decision_tasks: frozenset[str] = frozenset()

    def problems_with(self, parsed: ParsedDiagram, forms: Mapping[str, Any]) -> list[DiagramProblem]:
        problems = []
        present = parsed.element_ids()
        for bpmn_id, why in self.elements.items():
            if bpmn_id not in present:
                problems.append(
                    DiagramProblem(
                        bpmn_id,
                        f"Elementet '{bpmn_id}' mangler eller har fået nyt id, men Sagsflow bruger det: {why}. "
                        f"Behold id'et '{bpmn_id}' (navnet må gerne ændres).",
                    )
                )
        fields = {name for form in forms.values() for name in (form.get("properties") or {})}
        for name, why in self.data_fields.items():
            if name not in fields:
                problems.append(
                    DiagramProblem(
                        None,
                        f"Feltet '{name}' findes ikke længere i processens formularer, men Sagsflow læser det: {why}.",
                    )
                )
        return problems


def day(data: Mapping[str, Any], key: str) -> date | None:
    """A date field of the process data (ISO text), or None when absent or not a date."""
    value = data.get(key)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def text(data: Mapping[str, Any], key: str, default: str = "") -> str:
    value = data.get(key)
    return str(value).strip() if value not in (None, "") else default
