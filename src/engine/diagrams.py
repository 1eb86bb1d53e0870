"""Parse and validate a BPMN diagram before anything is deployed.

Every problem names the element (its id) and says what is wrong, so the modeler can mark it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.expressions import UnsafeExpression, check_source
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


def parse_diagram(bpmn_xml: str, forms: dict[str, Any] | None = None) -> ParsedDiagram:
    """Parse, validate and return the executable process of ``bpmn_xml``; raise DiagramError."""
    if len(bpmn_xml.encode()) > MAX_DIAGRAM_BYTES:
        raise DiagramError([DiagramProblem(None, f"Diagrammet er større end {MAX_DIAGRAM_BYTES} bytes")])
    tree = _parse_xml(bpmn_xml)
    problems = _check_expressions(tree)
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


def _owner_id(element: etree._Element) -> str | None:
    while element is not None:
        if element.get("id"):
            return element.get("id")
        element = element.getparent()
    return None


def _check_expressions(tree: etree._Element) -> list[DiagramProblem]:
    """Conditions, scripts, timer and due expressions must at least be valid Python."""
    found: list[tuple[etree._Element, str, str]] = []
    for tag in ("conditionExpression", "timeDate", "timeDuration", "timeCycle"):
        for el in tree.iter(f"{{{BPMN_NS}}}{tag}"):
            found.append((el, el.text or "", "eval"))
    for el in tree.iter(f"{{{BPMN_NS}}}script"):
        found.append((el, el.text or "", "exec"))
    for tag in ("preScript", "postScript"):
        for el in tree.iter(f"{{{SPIFF_NS}}}{tag}"):
            found.append((el, el.text or "", "exec"))
    for el in tree.iter(f"{{{SPIFF_NS}}}property"):
        if el.get("name") == "due":
            found.append((el, el.get("value") or "", "eval"))
    problems = []
    for el, text, mode in found:
        source = text.strip() if mode == "eval" else text
        try:
            check_source(source or "None", mode)
        except UnsafeExpression as exc:
            problems.append(DiagramProblem(_owner_id(el), f"Ugyldigt udtryk '{text.strip()}': {exc}", el.sourceline))
    return problems


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
