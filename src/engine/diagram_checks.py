"""What Sagsflow checks in the processes of a model that will run, before SpiffWorkflow reads them.

Every expression is FEEL of the right type for its place (reading, when the caller gives them,
only known names); an element kind Sagsflow cannot run (a plain task, a data store) is refused
naming it and saying what to use instead; a call activity may not call its own process; a timer
must say when.  Each problem names the element (label and id) and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

from engine import feel
from engine.bpmn_model import (
    BPMN_NS,
    NS,
    SPIFF_NS,
    DiagramProblem,
    describe,
    iter_scope,
    label,
    owner_of,
    problem,
    processes,
    sentence,
)
from engine.feel.spiff_engine import check_cycle
from engine.limits import EngineLimits

Scope = list[etree._Element]

_TIMERS = ("timeDate", "timeDuration", "timeCycle")


def expressions(scope: Scope) -> list[tuple[etree._Element, str, feel.Place | None]]:
    """Every expression of the processes that run, with its place (None: a script of assignments)."""
    found: list[tuple[etree._Element, str, feel.Place | None]] = []
    places = {
        "conditionExpression": feel.CONDITION,
        "condition": feel.CONDITION,
        "completionCondition": feel.CONDITION,
        "timeDate": feel.TIME_DATE,
        "timeDuration": feel.TIME_DURATION,
        "timeCycle": feel.TIME_CYCLE,
        "loopCardinality": feel.VALUE,
    }
    for tag, place in places.items():
        found += [(el, el.text or "", place) for el in iter_scope(scope, tag)]
    found += [(el, el.text or "", feel.VALUE) for el in iter_scope(scope, "messagePayload", SPIFF_NS)]
    found += [(el, el.text or "", None) for el in iter_scope(scope, "script")]
    for tag in ("preScript", "postScript"):
        found += [(el, el.text or "", None) for el in iter_scope(scope, tag, SPIFF_NS)]
    for el in iter_scope(scope, "property", SPIFF_NS):
        if el.get("name") == "due":
            found.append((el, el.get("value") or "", feel.DUE))
    for el in iter_scope(scope, "parameter", SPIFF_NS):
        found.append((el, el.get("value") or "", feel.VALUE))
    return found


def expression_problems(
    scope: Scope, known: frozenset[str] | None, limits: EngineLimits | None
) -> list[DiagramProblem]:
    """Each expression is FEEL of the right type for its place, reading known names only."""
    problems = []
    for el, text, place in expressions(scope):
        owner = owner_of(el)
        if not text.strip() and (place is None or place.accepts != feel.VALUE.accepts):
            what = "Scriptet" if place is None else place.what
            found = [f"{what} er tomt"]
        elif place is None:
            found = feel.check_script(text, known)
        else:
            found = feel.check_expression(text, place, known)
            if not found and place is feel.TIME_CYCLE and limits is not None:
                found = _literal_cycle_problem(text, limits)
        for message in found[:3]:
            what = "scriptet" if place is None else place.what.lower()
            example = feel.SCRIPT.example if place is None else place.example
            shown = text.strip() if len(text.strip()) <= 80 else text.strip()[:77] + "..."
            problems.append(
                problem(
                    el,
                    f"Ugyldigt udtryk i {what} på {label(owner)}: '{shown}': {message.rstrip('.')}. "
                    f"Forventet FEEL, fx: {example}",
                )
            )
    return problems


def _literal_cycle_problem(text: str, limits: EngineLimits) -> list[str]:
    ok, value = feel.literal_value(text)
    if not ok or not isinstance(value, str):
        return []
    try:
        check_cycle(value, limits)
    except feel.FeelError as exc:
        return [str(exc)]
    return []


def kind_problems(scope: Scope, refused: Mapping[str, str]) -> list[DiagramProblem]:
    """Element kinds that cannot run here: ``refused`` maps a local tag name to what to do instead."""
    problems = []
    for tag, advice in refused.items():
        for el in iter_scope(scope, tag):
            problems.append(problem(el, f"{sentence(describe(el))} kan ikke køres: {advice}"))
    return problems


PLAIN_TASK = (
    "den har ingen type, og Sagsflow gætter ikke på, hvem eller hvad der skal udføre den. Gør den til en "
    "brugeropgave (med formular og bane), en scriptopgave (FEEL) eller en servicetask, eller markér processen "
    'som dokumentation (isExecutable="false").'
)
DATA_STORE = "sagens data ligger i selve sagen, ikke i et datalager. Fjern datalageret fra den eksekverbare proces."
ALWAYS_REFUSED = {"task": PLAIN_TASK, "dataStoreReference": DATA_STORE}


def timer_problems(scope: Scope) -> list[DiagramProblem]:
    """A timer must say when: a moment, a duration or a cycle."""
    problems = []
    for definition in iter_scope(scope, "timerEventDefinition"):
        if not any(definition.find(f"bpmn:{tag}", NS) is not None for tag in _TIMERS):
            problems.append(
                problem(
                    definition,
                    f"Timeren på {describe(owner_of(definition))} siger ikke hvornår: angiv et tidspunkt "
                    '(timeDate), en varighed (timeDuration) eller en cyklus (timeCycle) i FEEL, fx "P14D" eller '
                    "deadline(start: received_on, days: 14).",
                )
            )
    return problems


def script_task_problems(scope: Scope) -> list[DiagramProblem]:
    """A script task without a script at all (an empty one is an expression problem)."""
    return [
        problem(
            task,
            f"Scriptopgaven {label(task)}: Scriptet er tomt. Skriv scriptet i FEEL, én tildeling pr. linje, fx "
            f"{feel.SCRIPT.example}",
        )
        for task in iter_scope(scope, "scriptTask")
        if task.find("bpmn:script", NS) is None
    ]


def recursion_problems(root: etree._Element) -> list[DiagramProblem]:
    """A call activity that (through other processes of the file) calls its own process."""
    by_key = {p.get("id"): p for p in processes(root)}
    calls: dict[str, list[tuple[etree._Element, str]]] = {
        key: [(c, c.get("calledElement", "")) for c in process.iter(f"{{{BPMN_NS}}}callActivity")]
        for key, process in by_key.items()
    }
    problems = []
    for key in by_key:
        for call, target in calls[key]:
            path = _path_back(target, key, calls, [key, target])
            if path is not None:
                problems.append(
                    problem(
                        call,
                        f"Kaldeaktiviteten {label(call)} kalder sin egen proces rekursivt ({' → '.join(path)}); "
                        "den ville aldrig stoppe. Kald en anden proces, eller brug en løkke med en brugeropgave.",
                    )
                )
    return problems


def _path_back(
    current: str, goal: str, calls: dict[str, list[tuple[etree._Element, str]]], path: list[str]
) -> list[str] | None:
    if current == goal:
        return path
    if current not in calls or len(path) > len(calls) + 1:
        return None
    for _, target in calls[current]:
        if target in path[1:]:
            continue
        found = _path_back(target, goal, calls, [*path, target])
        if found is not None:
            return found
    return None


def form_names(scope: Scope) -> set[str]:
    return {el.get("value") or "" for el in iter_scope(scope, "property", SPIFF_NS) if el.get("name") == "form"}


def form_fields(scope: Scope, forms: Mapping[str, Any] | None) -> frozenset[str]:
    """Top-level properties of every form the processes' user tasks name."""
    names: set[str] = set()
    for form_name in form_names(scope):
        schema = (forms or {}).get(form_name)
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            names.update(str(k) for k in schema["properties"])
    return frozenset(names)


def script_targets(scope: Scope) -> frozenset[str]:
    names: set[str] = set()
    for _, text, place in expressions(scope):
        if place is None:
            names.update(feel.script_targets(text))
    return frozenset(names)


def condition_owners(scope: Iterable[etree._Element]) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(gateway id, condition text) -> (flow id, flow name), so a failing condition names its flow."""
    owners = {}
    for flow in iter_scope(list(scope), "sequenceFlow"):
        condition = flow.find("bpmn:conditionExpression", NS)
        if condition is not None and condition.text and flow.get("sourceRef"):
            owners[(flow.get("sourceRef"), condition.text.strip())] = (flow.get("id"), flow.get("name"))
    return owners


def lanes_by_element(root: etree._Element) -> dict[str, str]:
    """Lane name per flow node id, read from the laneSets.

    SpiffWorkflow gives a task inside an embedded subprocess the lane of the subprocess, so an
    approval modelled inside "Behandling" in the Faglig konsulent lane would land in the wrong
    queue; the diagram's own flowNodeRefs are the truth.
    """
    lanes = {}
    for lane in root.iter(f"{{{BPMN_NS}}}lane"):
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            if ref.text:
                lanes[ref.text.strip()] = lane.get("name", "")
    return lanes


def start_form(main: etree._Element) -> str | None:
    """The ``form`` property of the process's start event (a client's data at case start)."""
    start = main.find("bpmn:startEvent", NS)
    if start is None:
        return None
    for prop in start.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") == "form":
            return prop.get("value") or None
    return None
