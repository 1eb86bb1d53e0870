"""Deploy process diagrams: the engine validates the BPMN, this layer checks lanes name roles."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from engine.definitions import UnknownProcess
from engine.diagrams import DiagramError, DiagramProblem, ParsedDiagram
from engine.models import ProcessInstance, ProcessVersion
from tasks.access.roles import ROLES, role_for_lane
from tasks.cases.process_data import SYSTEM_DATA_NAMES
from tasks.pathways import check_pathway
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, NotFound
from tasks.service.uow import UnitOfWork

DEPLOYERS = {"procesejer", "administrator"}


@dataclass(frozen=True)
class VersionView:
    id: int
    key: str
    name: str
    version: int
    deployed_at: datetime
    deployed_by: str | None
    running_instances: int
    created: bool = False


def check_diagram(parsed: ParsedDiagram, forms: dict[str, Any]) -> list[DiagramProblem]:
    """What the application layer adds to the engine's checks: lanes name roles, a shipped pathway keeps
    the ids and fields its code relies on, and a start form never claims a field the system sets."""
    return [*check_lanes(parsed), *check_pathway(parsed, forms), *_check_start_form(parsed, forms)]


def _check_start_form(parsed: ParsedDiagram, forms: dict[str, Any]) -> list[DiagramProblem]:
    form = forms.get(parsed.start_form or "") or {}
    taken = sorted(set(form.get("properties") or {}) & SYSTEM_DATA_NAMES)
    if not taken:
        return []
    names = ", ".join(taken)
    return [
        DiagramProblem(
            None, f"Startformularen '{parsed.start_form}' må ikke have felterne {names}: Sagsflow sætter dem"
        )
    ]


def check_lanes(parsed: ParsedDiagram) -> list[DiagramProblem]:
    problems = []
    for task in parsed.user_tasks:
        if not task.lane:
            problems.append(DiagramProblem(task.bpmn_id, "Brugeropgaven ligger ikke i en bane (lane)"))
        elif role_for_lane(task.lane) is None:
            problems.append(
                DiagramProblem(task.bpmn_id, f"Banen '{task.lane}' svarer ikke til en kendt rolle ({', '.join(ROLES)})")
            )
    return problems


def deploy(uow: UnitOfWork, actor: Actor | None, bpmn_xml: str, forms: dict[str, Any], now: datetime) -> VersionView:
    """Store a new version (or return the existing one for unchanged content).  ``actor`` None = system."""
    if actor is not None and not actor.roles & DEPLOYERS:
        raise Forbidden("Kun procesejere kan udrulle processer")
    with uow:
        deployment = uow.definitions.deploy(
            bpmn_xml,
            forms,
            deployed_by=actor.username if actor else "system",
            now=now,
            check_lanes=lambda parsed: check_diagram(parsed, forms),
            data_names=SYSTEM_DATA_NAMES,
        )
        view = _view(uow, deployment.version, created=deployment.created)
        uow.commit()
    return view


def deploy_files(uow: UnitOfWork, paths: list[Path], now: datetime) -> list[VersionView]:
    """Deploy diagram files; each file's forms are read from ``forms/`` beside it."""
    views = []
    for path in paths:
        bpmn_xml = path.read_text(encoding="utf-8")
        views.append(deploy(uow, None, bpmn_xml, read_forms(path.parent / "forms"), now))
    return views


def read_forms(folder: Path) -> dict[str, Any]:
    forms = {}
    for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            forms[file.name] = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise DiagramError([DiagramProblem(None, f"Formularen {file.name} er ikke gyldig JSON: {exc}")]) from exc
    return forms


def list_versions(uow: UnitOfWork) -> list[VersionView]:
    with uow:
        return [_view(uow, v) for v in uow.definitions.all_versions()]


def _view(uow: UnitOfWork, version: ProcessVersion, created: bool = False) -> VersionView:
    running = uow.session.scalar(
        select(func.count())
        .select_from(ProcessInstance)
        .where(ProcessInstance.version_id == version.id, ProcessInstance.status == "running")
    )
    return VersionView(
        version.id,
        version.process_key,
        version.name,
        version.version,
        version.deployed_at,
        version.deployed_by,
        running or 0,
        created,
    )


@dataclass(frozen=True)
class DiagramSource:
    version: VersionView
    bpmn_xml: str
    forms: dict[str, Any]


def diagram_source(uow: UnitOfWork, version_id: int) -> DiagramSource:
    """A deployed version's XML (no personal data in it: any signed-in user may view a diagram)."""
    with uow:
        version = uow.session.get(ProcessVersion, version_id)
        if version is None:
            raise NotFound("Versionen findes ikke")
        return DiagramSource(_view(uow, version), version.bpmn_xml, uow.definitions.forms(version))


def latest_source(uow: UnitOfWork, actor: Actor, process_key: str) -> DiagramSource:
    """The newest version of a process, to open in the modeler (procesejere only)."""
    if not actor.roles & DEPLOYERS:
        raise Forbidden("Kun procesejere kan redigere processer")
    with uow:
        try:
            version = uow.definitions.latest(process_key)
        except UnknownProcess:
            raise NotFound(f"Processen '{process_key}' findes ikke") from None
        return DiagramSource(_view(uow, version), version.bpmn_xml, uow.definitions.forms(version))


def deploy_edited(uow: UnitOfWork, actor: Actor, process_key: str, bpmn_xml: str, now: datetime) -> VersionView:
    """Deploy a diagram edited in the modeler; its forms are those of the version it was opened from."""
    source = latest_source(uow, actor, process_key)
    return deploy(uow, actor, bpmn_xml, source.forms, now)


def validate_edited(uow: UnitOfWork, actor: Actor, process_key: str, bpmn_xml: str) -> int:
    """Check a diagram from the modeler exactly as a deploy would, without storing anything.

    Answers the number of user tasks; raises DiagramError naming the elements otherwise."""
    source = latest_source(uow, actor, process_key)
    with uow:
        parsed = uow.definitions.parse_for_deploy(bpmn_xml, source.forms, data_names=SYSTEM_DATA_NAMES)
    if problems := check_diagram(parsed, source.forms):
        raise DiagramError(problems)
    return len(parsed.user_tasks)
