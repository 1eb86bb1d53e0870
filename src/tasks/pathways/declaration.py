"""What a pathway declares about its diagram: the element ids and form fields its code relies on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.diagrams import DiagramProblem, ParsedDiagram


@dataclass(frozen=True)
class Pathway:
    process_key: str
    label: str
    # bpmn id -> what Sagsflow does with it (Danish, shown when a deploy would break it)
    elements: Mapping[str, str] = field(default_factory=dict)
    # form field -> what Sagsflow reads it for
    data_fields: Mapping[str, str] = field(default_factory=dict)
    # bpmn id whose completion writes a letter -> the letter's kind
    letters: Mapping[str, str] = field(default_factory=dict)
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
