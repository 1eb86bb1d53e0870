"""What a diagram reaches outside itself, checked at deploy: deployed processes its call activities
call (and which version), messages a case may receive, Sagsflow's named operations its service tasks
call, and the decision tables its business rule tasks ask.  Each problem names the element.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

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
from engine.operations import Operations
from engine.spiff import decision_ref

Scope = list[etree._Element]

NEWEST = ("", "nyeste", "newest", "latest")


@dataclass(frozen=True)
class ExternalCall:
    """A call activity that calls a deployed process (not one of its own file), and which version."""

    call_id: str
    call_name: str | None
    key: str
    pinned: int | None  # None: the version in force when the call starts


@dataclass(frozen=True)
class CallableProcess:
    """What a deploy may call of a deployed process: its executable versions, and the one in force."""

    versions: frozenset[int]
    active: int | None  # the version in force, when it is executable


def external_calls(root: etree._Element, scope: Scope) -> tuple[list[ExternalCall], list[DiagramProblem]]:
    """The call activities of the processes that run which call a process outside the file."""
    in_file = {p.get("id") for p in processes(root)}
    calls, problems = [], []
    for call in iter_scope(scope, "callActivity"):
        key = (call.get("calledElement") or "").strip()
        if not key or key in in_file:
            continue
        raw = _version_property(call)
        if raw.lower() in NEWEST:
            calls.append(ExternalCall(str(call.get("id")), call.get("name"), key, None))
        elif raw.isdigit() and 0 < int(raw) < 2**31:
            calls.append(ExternalCall(str(call.get("id")), call.get("name"), key, int(raw)))
        else:
            problems.append(
                problem(
                    call,
                    f"Kaldeaktiviteten {label(call)} har egenskaben version='{raw}'; skriv et versionsnummer (fx 2) "
                    "for at låse den kaldte proces' version, eller 'nyeste' for den version, nye sager bruger, når "
                    "kaldet starter.",
                )
            )
    return calls, problems


def _version_property(call: etree._Element) -> str:
    for prop in call.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") == "version":
            return (prop.get("value") or "").strip()
    return ""


def call_problems(
    root: etree._Element, scope: Scope, deployed: Mapping[str, CallableProcess] | None
) -> list[DiagramProblem]:
    """A call activity names a process of the file, or a deployed one with the version it asks for."""
    in_file = {p.get("id") for p in processes(root)}
    problems = []
    for call in iter_scope(scope, "callActivity"):
        target = (call.get("calledElement") or "").strip()
        if not target:
            problems.append(
                problem(
                    call,
                    f"Kaldeaktiviteten {label(call)} siger ikke, hvilken proces den kalder. Angiv "
                    "processens nøgle (calledElement).",
                )
            )
            continue
        if target in in_file or deployed is None:
            continue
        callable_ = deployed.get(target)
        raw = _version_property(call)
        if callable_ is None:
            message = (
                f"kalder processen '{target}', som hverken findes i filen eller er udrullet. Ret calledElement til en "
                "udrullet proces, eller udrul den kaldte proces først."
            )
        elif raw.isdigit() and int(raw) not in callable_.versions:
            message = f"kalder version {raw} af '{target}', men den findes ikke eller er en dokumentationsmodel."
        elif raw.lower() in NEWEST and callable_.active is None:
            message = (
                f"kalder den version af '{target}', som nye sager bruger, men den er en dokumentationsmodel. Aktivér "
                "en eksekverbar version af den, eller lås kaldet til en version (egenskaben version)."
            )
        else:
            continue
        problems.append(problem(call, f"Kaldeaktiviteten {label(call)} {message}"))
    return problems


_CATCHING = ("intermediateCatchEvent", "boundaryEvent", "startEvent", "receiveTask")


def message_variables(scope: Scope) -> frozenset[str]:
    """Names a delivered message's data lands under (``spiffworkflow:messageVariable``)."""
    return frozenset((el.text or "").strip() for el in iter_scope(scope, "messageVariable", SPIFF_NS) if el.text)


def message_problems(root: etree._Element, scope: Scope, system_names: frozenset[str] | None) -> list[DiagramProblem]:
    """A message a case can receive must have a name (it is delivered by name), and its data may not
    land on process data the system sets."""
    messages = {m.get("id"): m for m in root.iter(f"{{{BPMN_NS}}}message")}
    problems = []
    for tag in _CATCHING:
        for element in iter_scope(scope, tag):
            definition = element.find("bpmn:messageEventDefinition", NS)
            if definition is None and tag != "receiveTask":
                continue
            ref = (definition if definition is not None else element).get("messageRef")
            name = (messages[ref].get("name") if ref in messages else None) if ref else element.get("name")
            if not (name or "").strip():
                problems.append(
                    problem(
                        element,
                        f"{sentence(describe(element))} venter på en besked uden navn. Giv beskeden et navn (fx "
                        "'svar modtaget'): beskeder leveres til en sag ved deres navn.",
                    )
                )
    for variable in iter_scope(scope, "messageVariable", SPIFF_NS):
        name = (variable.text or "").strip()
        if system_names is not None and name in system_names:
            problems.append(
                problem(
                    variable,
                    f"Beskedens data lander i '{name}' på {describe(owner_of(variable))}, men '{name}' er procesdata, "
                    "som Sagsflow sætter. Vælg et andet navn til beskedvariablen.",
                )
            )
    return problems


def service_problems(
    scope: Scope, operations: Operations | None, system_names: frozenset[str] | None
) -> list[DiagramProblem]:
    """A service task calls one of Sagsflow's named operations, with the parameters it takes."""
    problems = []
    for task in iter_scope(scope, "serviceTask"):
        operator = task.find(".//spiffworkflow:serviceTaskOperator", NS)
        known = f" Kendte operationer: {operations.known()}" if operations is not None else ""
        if operator is None or not (operator.get("id") or "").strip():
            problems.append(
                problem(
                    task,
                    f"Servicetasken {label(task)} siger ikke, hvilken operation den kalder. Angiv operationen "
                    f"(spiffworkflow:serviceTaskOperator id=...).{known}",
                )
            )
            continue
        params = operator.findall(".//spiffworkflow:parameter", NS)
        for param in params:
            if not (param.get("id") or "").strip():
                problems.append(problem(param, f"Servicetasken {label(task)} har en parameter uden navn (id)."))
        if operations is not None:
            for message in operations.problems(operator.get("id", "").strip(), [p.get("id", "") for p in params]):
                problems.append(problem(task, f"Servicetasken {label(task)}: {message}"))
        variable = (operator.get("resultVariable") or operator.get("id") or "").strip()
        if system_names is not None and variable in system_names:
            problems.append(
                problem(
                    task,
                    f"Servicetasken {label(task)} lægger sit resultat i '{variable}', som er procesdata, Sagsflow "
                    "sætter. Vælg et andet navn (resultVariable).",
                )
            )
    return problems


def service_results(scope: Scope) -> frozenset[str]:
    """Names service tasks put their results under (``resultVariable``, else the operation's name)."""
    return frozenset(
        (op.get("resultVariable") or op.get("id") or "").strip()
        for op in iter_scope(scope, "serviceTaskOperator", SPIFF_NS)
    )


def decision_outputs(scope: Scope, decisions: Mapping[str, tuple[str, ...]] | None) -> frozenset[str]:
    """The output names of the decision tables the business rule tasks ask (later expressions read them)."""
    names: set[str] = set()
    for task in iter_scope(scope, "businessRuleTask"):
        key = decision_ref(task)
        names.update((decisions or {}).get(key or "", ()))
    return frozenset(names)


def decision_problems(scope: Scope, decisions: Mapping[str, tuple[str, ...]] | None) -> list[DiagramProblem]:
    """A business rule task names a decision table of the kvalitetsstandard that is deployed."""
    problems = []
    for task in iter_scope(scope, "businessRuleTask"):
        key = decision_ref(task)
        known = ", ".join(sorted(decisions)) if decisions else "ingen"
        if key is None:
            problems.append(
                problem(
                    task,
                    f"Beslutningsopgaven {label(task)} siger ikke, hvilken beslutningstabel den spørger. Angiv "
                    f"tabellens nøgle (spiffworkflow:calledDecisionId). Udrullede tabeller: {known}",
                )
            )
        elif decisions is not None and key not in decisions:
            problems.append(
                problem(
                    task,
                    f"Beslutningsopgaven {label(task)} spørger beslutningstabellen '{key}', som ikke er udrullet. "
                    f"Udrullede tabeller: {known}",
                )
            )
    return problems
