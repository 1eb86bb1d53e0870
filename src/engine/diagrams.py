"""Parse and validate a BPMN model before anything is deployed.

Any valid BPMN 2.0 model is kept: a model none of whose processes is executable
(``isExecutable="true"``) is a documentation model, checked only as BPMN (well-formed XML, the
schema, unique ids, references).  A model with an executable process must also be able to run:
its expressions are FEEL of the right type for their place (``diagram_checks``), every element
kind is one Sagsflow runs, and SpiffWorkflow must read it; SpiffWorkflow's own errors are said in
Danish (``spiff_refusals``).  Every problem names the element (label and id) and what to do.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree

from engine import bpmn_model as model
from engine import diagram_checks as checks
from engine import diagram_links as links
from engine.bpmn_model import MAX_DIAGRAM_BYTES, DiagramError, DiagramProblem
from engine.bpmn_schema import structure_problems
from engine.limits import EngineLimits
from engine.operations import Operations
from engine.spiff import SagsflowParser
from engine.spiff_refusals import refusal

__all__ = [
    "MAX_DIAGRAM_BYTES",
    "DiagramError",
    "DiagramProblem",
    "ParsedDiagram",
    "UserTaskSpec",
    "check_forms",
    "content_hash",
    "parse_diagram",
]

# Element kinds the executable processes may not use, and what to do instead.
REFUSED_KINDS = checks.ALWAYS_REFUSED


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
    # False: a documentation model (kept, viewable, never run; ``spec`` is None)
    executable: bool = True
    # The id of the process in the file (the key is the deployed identity, which may differ)
    process_id: str = ""
    # A documentation model's element ids, read from the XML
    documented_ids: frozenset[str] = frozenset()
    # Call activities that call a deployed process (bound per command: engine.calls)
    external_calls: tuple[links.ExternalCall, ...] = ()

    def user_task(self, bpmn_id: str) -> UserTaskSpec | None:
        return next((t for t in self.user_tasks if t.bpmn_id == bpmn_id), None)

    def element_ids(self) -> frozenset[str]:
        """Every flow element id of the process and its embedded subprocesses."""
        if not self.executable:
            return self.documented_ids
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
    legacy_executable: bool = False,
    check_forms_too: bool = True,
    operations: Operations | None = None,
    decisions: Mapping[str, tuple[str, ...]] | None = None,
    callable_processes: Mapping[str, links.CallableProcess] | None = None,
) -> ParsedDiagram:
    """Read ``bpmn_xml`` as a model; raise DiagramError naming each problem.

    ``data_names``: the process data the application puts in at start; with it, an expression
    that reads a name that is neither that, a field of one of the diagram's forms, nor set by a
    script is refused (None skips the check, e.g. when re-reading a stored version).
    ``limits``: with them, a literal cycle timer shorter than the minimum interval is refused.
    ``legacy_executable``: re-reading a version stored when a process without ``isExecutable``
    still counted as executable.  ``check_forms_too=False`` leaves ``check_forms`` to the caller (a
    deploy reports them together with the application's own checks).  ``operations``: the named
    operations service tasks may call; ``decisions``: the decision tables business rule tasks may
    ask, with their output names; ``callable_processes``: the deployed processes a call activity may
    call (None skips these checks, e.g. when re-reading a stored version).
    """
    root = model.read_xml(bpmn_xml)
    if problems := structure_problems(root):
        raise DiagramError(problems)
    main, executable = model.main_process(root, legacy=legacy_executable)
    if main is None:
        raise DiagramError(
            [DiagramProblem(None, "Modellen indeholder ingen proces. Tegn processen (en pool med dens forløb).")]
        )
    if not executable:
        return _documentation(root, main)
    scope = model.executable_scope(root, main)
    calls_found = links.external_calls(root, scope)
    known = (
        None
        if data_names is None
        else data_names
        | checks.form_fields(scope, forms)
        | checks.script_targets(scope)
        | links.message_variables(scope)
        | links.service_results(scope)
        | links.decision_outputs(scope, decisions)
    )
    if forms is not None and checks.form_names(scope) - set(forms):
        known = None  # a missing form is reported below; its fields cannot be known
    problems = (
        checks.kind_problems(scope, REFUSED_KINDS)
        + checks.timer_problems(scope)
        + checks.script_task_problems(scope)
        + checks.expression_problems(scope, known, limits)
        + checks.recursion_problems(root)
        + links.call_problems(root, scope, callable_processes)
        + calls_found[1]
        + links.message_problems(root, scope, data_names)
        + links.service_problems(scope, operations, data_names)
        + links.decision_problems(scope, decisions)
    )
    if problems:
        raise DiagramError(problems)
    spec, subprocess_specs = _spiff_specs(root, main, scope)
    parsed = ParsedDiagram(
        process_key=str(main.get("id")),
        name=spec.description or model.model_name(root, main),
        spec=spec,
        subprocess_specs=subprocess_specs,
        user_tasks=_user_tasks(spec, subprocess_specs, checks.lanes_by_element(root)),
        lanes=tuple(sorted({lane.get("name", "") for lane in model.iter_scope(scope, "lane")})),
        start_form=checks.start_form(main),
        condition_owners=checks.condition_owners(scope),
        process_id=str(main.get("id")),
        external_calls=tuple(calls_found[0]),
    )
    if forms is not None and check_forms_too and (problems := check_forms(parsed, forms)):
        raise DiagramError(problems)
    return parsed


def _documentation(root: etree._Element, main: etree._Element) -> ParsedDiagram:
    return ParsedDiagram(
        process_key=str(main.get("id")),
        name=model.model_name(root, main),
        spec=None,
        subprocess_specs={},
        user_tasks=(),
        executable=False,
        process_id=str(main.get("id")),
        documented_ids=model.element_ids(main),
    )


def _spiff_specs(root: etree._Element, main: etree._Element, scope: list[etree._Element]) -> tuple[Any, dict]:
    """SpiffWorkflow's specs of the processes that run; it sees only those (documentation pools and
    data stores stay out of its way), and its errors come back in Danish."""
    runnable = copy.deepcopy(root)
    keep = {p.get("id") for p in scope}
    for process in model.processes(runnable):
        if process.get("id") not in keep:
            runnable.remove(process)
    for store in runnable.findall("bpmn:dataStore", model.NS):
        runnable.remove(store)
    for operator in runnable.iter(f"{{{model.SPIFF_NS}}}serviceTaskOperator"):
        operator.set("resultVariable", operator.get("resultVariable") or operator.get("id", ""))
        for param in operator.iter(f"{{{model.SPIFF_NS}}}parameter"):
            param.set("type", param.get("type") or "any")
    parser = SagsflowParser()
    key = str(main.get("id"))
    try:
        parser.add_bpmn_xml(runnable, filename="diagram.bpmn")
        specs = parser.get_subprocess_specs(key, require_call_activity_specs=False)
        # a call to a deployed process has no spec here: it is bound per command (engine.calls)
        return parser.get_spec(key), {name: spec for name, spec in specs.items() if spec is not None}
    except Exception as exc:  # SpiffWorkflow raises ValidationException, and sometimes plain Python errors
        raise DiagramError([refusal(exc, root)]) from None


def check_forms(parsed: ParsedDiagram, forms: dict[str, Any]) -> list[DiagramProblem]:
    """Each user task must name a form that exists and is a valid JSON Schema."""
    problems = []
    if parsed.start_form and parsed.start_form not in forms:
        problems.append(
            DiagramProblem(
                None, f"Startformularen '{parsed.start_form}' findes ikke. Vælg en af processens formularer."
            )
        )
    for task in parsed.user_tasks:
        where = f"Brugeropgaven '{task.name}' ({task.bpmn_id})"
        if not task.form:
            problems.append(
                DiagramProblem(
                    task.bpmn_id,
                    f"{where} har ingen formular. Vælg en formular (egenskaben 'form'), så Sagsflow ved, hvad "
                    "brugeren skal udfylde.",
                    element_name=task.name,
                )
            )
        elif task.form not in forms:
            problems.append(
                DiagramProblem(
                    task.bpmn_id,
                    f"{where}: formularen '{task.form}' findes ikke. Vælg en af processens formularer.",
                    element_name=task.name,
                )
            )
        else:
            try:
                Draft202012Validator.check_schema(forms[task.form])
            except SchemaError as exc:
                problems.append(
                    DiagramProblem(
                        task.bpmn_id,
                        f"{where}: formularen '{task.form}' er ikke et gyldigt JSON Schema (ved "
                        f"{'/'.join(str(p) for p in exc.path) or 'roden'}).",
                        element_name=task.name,
                    )
                )
    return problems


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
