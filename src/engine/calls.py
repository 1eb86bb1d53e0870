"""Call activities that call another deployed process: which version, and the diagram a command runs.

A call activity whose ``calledElement`` is not a process of its own file calls a deployed process by
its key.  Its ``version`` property says which version: ``nyeste`` (the default: the version in force
when the call starts) or a number (pinned).  A call that has started keeps its version for as long as
it runs, even if a newer one is activated meanwhile (the instance records it).

``bind`` puts the caller's diagram and the versions it calls together into the one diagram a
command runs: SpiffWorkflow finds called processes among the workflow's subprocess specs, the
called process's user tasks become the caller's case's tasks (same visibility, same journal), and
their forms are found beside the caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from engine.bpmn_model import DiagramProblem
from engine.diagram_links import ExternalCall
from engine.diagrams import ParsedDiagram

MAX_CALLED = 20


@dataclass(frozen=True)
class Callee:
    """A resolved called process: its version row's id and number, its parsed diagram and its forms."""

    version_id: int
    number: int
    diagram: ParsedDiagram
    forms: Mapping[str, Any]


# (key, pinned number, version id a running call already uses) -> the callee, or None
Resolve = Callable[[str, "int | None", "int | None"], "Callee | None"]


@dataclass(frozen=True)
class Bound:
    diagram: ParsedDiagram
    forms: dict[str, Any]
    callees: dict[str, Callee]  # key -> the version bound for this command


def bind(
    caller: ParsedDiagram,
    caller_forms: Mapping[str, Any],
    resolve: Resolve,
    running: Mapping[str, int],
) -> Bound:
    """The caller with every process it calls (and they call) bound: running calls keep their versions."""
    callees: dict[str, Callee] = {}
    todo = list(caller.external_calls)
    while todo:
        call = todo.pop(0)
        if call.key in callees or len(callees) >= MAX_CALLED:
            continue
        callee = resolve(call.key, call.pinned, running.get(call.key))
        if callee is None:
            continue  # unbound: starting the call stops the command with a Danish error
        callees[call.key] = callee
        todo.extend(callee.diagram.external_calls)
    if not callees:
        return Bound(caller, dict(caller_forms), {})
    specs = dict(caller.subprocess_specs)
    tasks = {t.bpmn_id: t for t in caller.user_tasks}
    conditions = dict(caller.condition_owners)
    forms: dict[str, Any] = {}
    for key, callee in callees.items():
        specs.setdefault(key, callee.diagram.spec)
        for name, spec in callee.diagram.subprocess_specs.items():
            specs.setdefault(name, spec)
        for task in callee.diagram.user_tasks:
            tasks.setdefault(task.bpmn_id, task)
        for owner, flow in callee.diagram.condition_owners.items():
            conditions.setdefault(owner, flow)
        forms.update(callee.forms)
    forms.update(caller_forms)
    diagram = replace(
        caller,
        subprocess_specs=specs,
        user_tasks=tuple(sorted(tasks.values(), key=lambda t: t.bpmn_id)),
        condition_owners=conditions,
    )
    return Bound(diagram, forms, callees)


def call_problems(caller: ParsedDiagram, resolve: Resolve) -> list[DiagramProblem]:
    """At deploy: each called process resolves now, none calls the caller back, and names do not clash."""
    problems = []
    own_tasks = {t.bpmn_id for t in caller.user_tasks}
    own_specs = set(caller.subprocess_specs)
    for call in caller.external_calls:
        path = _path_back(call.key, call.pinned, caller.process_key, resolve, [caller.process_key, call.key])
        if path is not None:
            problems.append(
                DiagramProblem(
                    call.call_id,
                    f"Kaldeaktiviteten {_name(call)} kalder '{call.key}', som kalder '{caller.process_key}' igen "
                    f"({' → '.join(path)}); den ville aldrig stoppe. Bryd kæden af kald.",
                    element_name=call.call_name,
                )
            )
            continue
        callee = resolve(call.key, call.pinned, None)
        if callee is None:
            continue
        clashes = sorted(own_tasks & {t.bpmn_id for t in callee.diagram.user_tasks})
        clashes += sorted(own_specs & set(callee.diagram.subprocess_specs))
        if clashes:
            problems.append(
                DiagramProblem(
                    call.call_id,
                    f"Kaldeaktiviteten {_name(call)} kalder '{call.key}', som har elementer med samme id som denne "
                    f"proces ({', '.join(clashes)}). Giv dem forskellige id'er, så sagens opgaver kan skelnes.",
                    element_name=call.call_name,
                )
            )
    return problems


def _path_back(key: str, pinned: int | None, goal: str, resolve: Resolve, path: list[str]) -> list[str] | None:
    if key == goal:
        return path
    if len(path) > MAX_CALLED:
        return None
    callee = resolve(key, pinned, None)
    if callee is None:
        return None
    for call in callee.diagram.external_calls:
        if call.key in path[1:]:
            continue
        found = _path_back(call.key, call.pinned, goal, resolve, [*path, call.key])
        if found is not None:
            return found
    return None


def _name(call: ExternalCall) -> str:
    return f"'{call.call_name}' ({call.call_id})" if call.call_name else f"'{call.call_id}'"


def running_calls(workflow: Any, bound: Bound) -> dict[str, int]:
    """key -> version id of every call to a deployed process that is still running; completed ones are
    dropped from the workflow (their specs may not be bound when the instance is next loaded)."""
    running: dict[str, int] = {}
    for parent_id, subworkflow in list(workflow.subprocesses.items()):
        parent = _find(workflow, parent_id)
        key = getattr(parent.task_spec, "spec", None) if parent is not None else None
        if key not in bound.callees:
            continue
        if subworkflow.completed:
            if parent_id in workflow.subprocesses:
                workflow.delete_subprocess(parent)
        else:
            running[key] = bound.callees[key].version_id
    return running


def calls_started(
    workflow: Any, bound: Bound, before: Mapping[str, int], running: Mapping[str, int]
) -> list[tuple[str, str]]:
    """(call activity id, key) of the calls to deployed processes that started in this command."""
    started = []
    for key in running:
        if key in before:
            continue
        for parent_id in workflow.subprocesses:
            parent = _find(workflow, parent_id)
            if parent is not None and getattr(parent.task_spec, "spec", None) == key:
                started.append((str(parent.task_spec.bpmn_id), key))
                break
    return started


def _find(workflow: Any, task_id: Any) -> Any:
    task = workflow.tasks.get(task_id)
    if task is None:
        for subworkflow in workflow.subprocesses.values():
            if (task := subworkflow.tasks.get(task_id)) is not None:
                break
    return task
