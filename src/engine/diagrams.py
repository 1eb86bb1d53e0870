"""Parse and validate a BPMN diagram before anything is deployed.

Every problem names the element (its id, and its name when it has one) and says what is wrong,
so the modeler can mark it.  Expressions are FEEL (engine.feel): each must parse, call only known
functions, give the right type for its place, and, when the caller gives the known data names,
read only names that exist.  Call activities may not call their own process (directly or
through another process of the file), and a literal cycle timer must respect the minimum interval.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine import feel
from engine.feel.spiff_engine import check_cycle
from engine.limits import EngineLimits
from engine.spiff import VALIDATOR, SpiffBpmnParser

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
_NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
MAX_DIAGRAM_BYTES = 2_000_000


@dataclass(frozen=True)
class DiagramProblem:
    element_id: str | None
    message: str
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"element_id": self.element_id, "message": self.message, "line": self.line}


class DiagramError(Exception):
    """A diagram was refused.  ``problems`` lists each offending element and the reason."""

    def __init__(self, problems: list[DiagramProblem]) -> None:
        self.problems = problems
        first = problems[0]
        where = f"{first.element_id}: " if first.element_id else ""
        super().__init__(f"{where}{first.message}")


@dataclass(frozen=True)
class UserTaskSpec:
    bpmn_id: str
    name: str
    lane: str | None
    form: str | None
    due_expression: str | None
    frist: str | None = None
    # Process-data keys shown beside the form (e.g. what a faglig konsulent is asked to approve).
    context: tuple[str, ...] = ()
    # An approval task: (boolean field that decides, field with the reason), journalled on completion.
    approval: tuple[str, str] | None = None
    # Four eyes: the bpmn id of the task whose decision this task approves; its maker may not approve.
    approves: str | None = None


@dataclass(frozen=True)
class ParsedDiagram:
    process_key: str
    name: str
    spec: Any
    subprocess_specs: dict[str, Any]
    user_tasks: tuple[UserTaskSpec, ...]
    lanes: tuple[str, ...] = field(default=())
    # The form (JSON Schema file name) a client's data must match when a case starts on this process.
    start_form: str | None = None
    # (gateway id, condition text) -> (sequence flow id, flow name), so a failing condition names its flow
    condition_owners: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict, compare=False)

    def user_task(self, bpmn_id: str) -> UserTaskSpec | None:
        return next((t for t in self.user_tasks if t.bpmn_id == bpmn_id), None)

    def element_ids(self) -> frozenset[str]:
        """Every flow element id of the process and its embedded subprocesses."""
        specs = [self.spec, *self.subprocess_specs.values()]
        return frozenset(ts.bpmn_id for s in specs for ts in s.task_specs.values() if ts.bpmn_id)


def content_hash(bpmn_xml: str, forms: dict[str, Any]) -> str:
    """Identity of a deployable content: the same diagram and forms are the same version."""
    payload = bpmn_xml.encode() + json.dumps(forms, sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


def parse_diagram(
    bpmn_xml: str,
    forms: dict[str, Any] | None = None,
    *,
    data_names: frozenset[str] | None = None,
    limits: EngineLimits | None = None,
) -> ParsedDiagram:
    """Parse, validate and return the executable process of ``bpmn_xml``; raise DiagramError.

    ``data_names``: the process data the application puts in at start; with it, an expression
    that reads a name that is neither that, a field of one of the diagram's forms, nor set by a
    script is refused (None skips the check, e.g. when re-reading a stored version).
    ``limits``: with them, a literal cycle timer shorter than the minimum interval is refused.
    """
    if len(bpmn_xml.encode()) > MAX_DIAGRAM_BYTES:
        raise DiagramError([DiagramProblem(None, f"Diagrammet er større end {MAX_DIAGRAM_BYTES} bytes")])
    tree = _parse_xml(bpmn_xml)
    known = None if data_names is None else data_names | _form_fields(tree, forms) | _script_targets(tree)
    if forms is not None and _form_names(tree) - set(forms):
        known = None  # a missing form is reported below; its fields cannot be known
    problems = _check_expressions(tree, known, limits) + _check_recursion(tree) + _check_unsupported(tree)
    if problems:
        raise DiagramError(problems)
    parser = SpiffBpmnParser(validator=VALIDATOR)
    try:
        parser.add_bpmn_xml(tree, filename="diagram.bpmn")
        key = _executable_process(tree)
        spec = parser.get_spec(key)
        subprocess_specs = parser.get_subprocess_specs(key)
    except ValidationException as exc:
        element = exc.id or _element_at_line(tree, exc.line_number)
        raise DiagramError([DiagramProblem(element, str(exc).split("\n")[0], exc.line_number or None)]) from exc
    parsed = ParsedDiagram(
        process_key=key,
        name=spec.description or key,
        spec=spec,
        subprocess_specs=subprocess_specs,
        user_tasks=_user_tasks(spec, subprocess_specs, _lanes_by_element(tree)),
        lanes=tuple(sorted({lane.get("name", "") for lane in tree.iter(f"{{{BPMN_NS}}}lane")})),
        start_form=_start_form(tree, key),
        condition_owners=_condition_owners(tree),
    )
    if forms is not None:
        problems = check_forms(parsed, forms)
        if problems:
            raise DiagramError(problems)
    return parsed


def _start_form(tree: etree._Element, process_key: str) -> str | None:
    """The ``form`` property of the executable process's start event (a client's data at case start)."""
    process = tree.find(f"bpmn:process[@id='{process_key}']", _NS)
    start = process.find("bpmn:startEvent", _NS) if process is not None else None
    if start is None:
        return None
    for prop in start.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") == "form":
            return prop.get("value") or None
    return None


def check_forms(parsed: ParsedDiagram, forms: dict[str, Any]) -> list[DiagramProblem]:
    """Each user task must name a form that exists and is a valid JSON Schema."""
    problems = []
    if parsed.start_form and parsed.start_form not in forms:
        problems.append(DiagramProblem(None, f"Startformularen '{parsed.start_form}' findes ikke"))
    for task in parsed.user_tasks:
        if not task.form:
            problems.append(DiagramProblem(task.bpmn_id, "Brugeropgaven mangler egenskaben 'form'"))
        elif task.form not in forms:
            problems.append(DiagramProblem(task.bpmn_id, f"Formularen '{task.form}' findes ikke"))
        else:
            try:
                Draft202012Validator.check_schema(forms[task.form])
            except SchemaError as exc:
                problems.append(DiagramProblem(task.bpmn_id, f"Formularen '{task.form}' er ugyldig: {exc.message}"))
    return problems


def _parse_xml(bpmn_xml: str) -> etree._Element:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(bpmn_xml.encode(), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise DiagramError([DiagramProblem(None, f"Ugyldig XML: {exc.msg}", exc.lineno)]) from exc


def _executable_process(tree: etree._Element) -> str:
    processes = tree.findall("bpmn:process", _NS)
    executable = [p for p in processes if p.get("isExecutable", "true").lower() == "true"]
    if len(executable) != 1:
        ids = ", ".join(p.get("id", "?") for p in executable) or "ingen"
        raise DiagramError([DiagramProblem(None, f"Diagrammet skal have præcis én eksekverbar proces (fandt: {ids})")])
    return executable[0].get("id")


def _element_at_line(tree: etree._Element, line: Any) -> str | None:
    if not line:
        return None
    for element in tree.iter():
        if element.sourceline == line and element.get("id"):
            return element.get("id")
    return None


_EVENT_DEFINITION = re.compile(r"\{[^}]*\}\w*EventDefinition$")


def _owner(element: etree._Element) -> etree._Element | None:
    """The diagram element an expression belongs to (a timer's event, not its eventDefinition)."""
    while element is not None:
        if element.get("id") and not _EVENT_DEFINITION.match(str(element.tag)):
            return element
        element = element.getparent()
    return None


def _label(element: etree._Element | None) -> str:
    if element is None:
        return "diagrammet"
    name, element_id = element.get("name"), element.get("id")
    return f"'{name}' ({element_id})" if name and name != element_id else f"'{element_id}'"


def _expressions(tree: etree._Element) -> list[tuple[etree._Element, str, feel.Place | None]]:
    """Every expression of the diagram with its place (None: a script of assignments)."""
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
        for el in tree.iter(f"{{{BPMN_NS}}}{tag}"):
            found.append((el, el.text or "", place))
    for el in tree.iter(f"{{{SPIFF_NS}}}messagePayload"):
        found.append((el, el.text or "", feel.VALUE))
    for el in tree.iter(f"{{{BPMN_NS}}}script"):
        found.append((el, el.text or "", None))
    for tag in ("preScript", "postScript"):
        for el in tree.iter(f"{{{SPIFF_NS}}}{tag}"):
            found.append((el, el.text or "", None))
    for el in tree.iter(f"{{{SPIFF_NS}}}property"):
        if el.get("name") == "due":
            found.append((el, el.get("value") or "", feel.DUE))
    return found


def _check_expressions(
    tree: etree._Element, known: frozenset[str] | None, limits: EngineLimits | None
) -> list[DiagramProblem]:
    """Each expression is FEEL of the right type for its place, reading known names only."""
    problems = []
    for el, text, place in _expressions(tree):
        owner = _owner(el)
        if not text.strip() and (place is None or place.accepts != feel.VALUE.accepts):
            what = "Scriptet" if place is None else place.what
            found = [f"{what} er tomt"]
        elif place is None:
            found = feel.check_script(text, known)
        else:
            found = feel.check_expression(text, place, known)
            if not found and place is feel.TIME_CYCLE and limits is not None:
                found = _literal_cycle_problem(text, limits)
        for problem in found[:3]:
            what = "scriptet" if place is None else place.what.lower()
            example = feel.SCRIPT.example if place is None else place.example
            shown = text.strip() if len(text.strip()) <= 80 else text.strip()[:77] + "..."
            problems.append(
                DiagramProblem(
                    owner.get("id") if owner is not None else None,
                    f"Ugyldigt udtryk i {what} på {_label(owner)}: '{shown}': {problem.rstrip('.')}. "
                    f"Forventet FEEL, fx: {example}",
                    el.sourceline,
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


def _form_fields(tree: etree._Element, forms: dict[str, Any] | None) -> frozenset[str]:
    """Top-level properties of every form the diagram's user tasks name."""
    names: set[str] = set()
    for form_name in _form_names(tree):
        schema = (forms or {}).get(form_name)
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            names.update(str(k) for k in schema["properties"])
    return frozenset(names)


def _form_names(tree: etree._Element) -> set[str]:
    return {el.get("value") or "" for el in tree.iter(f"{{{SPIFF_NS}}}property") if el.get("name") == "form"}


def _script_targets(tree: etree._Element) -> frozenset[str]:
    names: set[str] = set()
    for _, text, place in _expressions(tree):
        if place is None:
            names.update(feel.script_targets(text))
    return frozenset(names)


def _condition_owners(tree: etree._Element) -> dict[tuple[str, str], tuple[str, str | None]]:
    owners = {}
    for flow in tree.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        condition = flow.find("bpmn:conditionExpression", _NS)
        if condition is not None and condition.text and flow.get("sourceRef"):
            owners[(flow.get("sourceRef"), condition.text.strip())] = (flow.get("id"), flow.get("name"))
    return owners


def _check_recursion(tree: etree._Element) -> list[DiagramProblem]:
    """A call activity that (through other processes of the file) calls its own process."""
    processes = {p.get("id"): p for p in tree.findall("bpmn:process", _NS)}
    calls: dict[str, list[tuple[etree._Element, str]]] = {
        key: [(c, c.get("calledElement", "")) for c in process.iter(f"{{{BPMN_NS}}}callActivity")]
        for key, process in processes.items()
    }
    problems = []
    for key in processes:
        for call, target in calls[key]:
            path = _path_back(target, key, calls, [key, target])
            if path is not None:
                problems.append(
                    DiagramProblem(
                        call.get("id"),
                        f"Kaldeaktiviteten {_label(call)} kalder sin egen proces rekursivt ({' → '.join(path)}); "
                        "den ville aldrig stoppe. Kald en anden proces, eller brug en løkke med en brugeropgave.",
                        call.sourceline,
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


def _check_unsupported(tree: etree._Element) -> list[DiagramProblem]:
    return [
        DiagramProblem(
            el.get("id"),
            f"Servicetasks understøttes ikke ({_label(el)}); brug en brugeropgave eller et script",
            el.sourceline,
        )
        for el in tree.iter(f"{{{BPMN_NS}}}serviceTask")
    ]


def _lanes_by_element(tree: etree._Element) -> dict[str, str]:
    """Lane name per flow node id, read from the laneSets.

    SpiffWorkflow gives a task inside an embedded subprocess the lane of the subprocess, so an
    approval modelled inside "Behandling" in the Faglig konsulent lane would land in the wrong
    queue; the diagram's own flowNodeRefs are the truth.
    """
    lanes = {}
    for lane in tree.iter(f"{{{BPMN_NS}}}lane"):
        for ref in lane.findall("bpmn:flowNodeRef", _NS):
            if ref.text:
                lanes[ref.text.strip()] = lane.get("name", "")
    return lanes


def _approval(value: str | None) -> tuple[str, str] | None:
    fields = [f.strip() for f in (value or "").split(",") if f.strip()]
    return (fields[0], fields[1] if len(fields) > 1 else "") if fields else None


def _user_tasks(spec: Any, subprocess_specs: dict[str, Any], lanes: dict[str, str]) -> tuple[UserTaskSpec, ...]:
    tasks = []
    all_specs = [spec, *subprocess_specs.values()]
    for task_spec in (ts for s in all_specs for ts in s.task_specs.values()):
        if not getattr(task_spec, "manual", False):
            continue
        props = (task_spec.extensions or {}).get("properties", {})
        tasks.append(
            UserTaskSpec(
                bpmn_id=task_spec.bpmn_id,
                name=task_spec.bpmn_name or task_spec.bpmn_id,
                lane=lanes.get(task_spec.bpmn_id, task_spec.lane),
                form=props.get("form"),
                due_expression=props.get("due"),
                frist=props.get("frist"),
                context=tuple(k.strip() for k in props.get("context", "").split(",") if k.strip()),
                approval=_approval(props.get("approval")),
                approves=props.get("approves") or None,
            )
        )
    return tuple(sorted(tasks, key=lambda t: t.bpmn_id))
