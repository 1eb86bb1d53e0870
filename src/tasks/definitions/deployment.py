"""Deploy process models: the engine validates the BPMN, this layer checks lanes name roles and
shipped pathways keep what their code relies on, and decides whose name a deploy carries.

Identity is explicit: a deploy through the API names the process it is a new version of (``key``),
or creates a new one; a file whose process id another process already has is refused (409) naming
both.  The modeler names the process it was opened on.  The shipped files and ``sagsflow deploy``
use the file's process id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from engine.definitions import Identity, KeyTaken, UnknownProcess
from engine.diagrams import DiagramError, DiagramProblem, ParsedDiagram
from engine.models import ActivationKind, ActivationReason, ProcessInstance, ProcessVersion
from tasks.access.roles import ROLES, role_for_lane
from tasks.cases.process_data import SYSTEM_DATA_NAMES
from tasks.events import VersionActivated
from tasks.pathways import check_pathway, pathway_for
from tasks.service.actors import SYSTEM, Actor
from tasks.service.errors import Conflict, Forbidden, Invalid, NotFound
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
    executable: bool = True
    active: bool = False
    # this request changed the version new cases use (a new version, or earlier content deployed again)
    activated: bool = False


def check_diagram(parsed: ParsedDiagram, forms: dict[str, Any]) -> list[DiagramProblem]:
    """What the application layer adds to the engine's checks: lanes name roles, a shipped pathway keeps
    the ids and fields its code relies on (and stays executable), and a start form never claims a field
    the system sets."""
    return [
        *_check_pathway_runs(parsed),
        *check_lanes(parsed),
        *check_pathway(parsed, forms),
        *_check_start_form(parsed, forms),
    ]


def _check_pathway_runs(parsed: ParsedDiagram) -> list[DiagramProblem]:
    pathway = pathway_for(parsed.process_key)
    if parsed.executable or pathway is None:
        return []
    return [
        DiagramProblem(
            parsed.process_id or None,
            f"'{parsed.process_key}' er Sagsflows forløb «{pathway.label}», som sager kører på; en ny version skal "
            'kunne køre. Markér processen som eksekverbar (isExecutable="true").',
        )
    ]


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
        where = f"Brugeropgaven '{task.name}' ({task.bpmn_id})"
        if not task.lane:
            problems.append(
                DiagramProblem(
                    task.bpmn_id,
                    f"{where} ligger ikke i en bane (lane). Læg den i banen for den rolle, der skal udføre den "
                    f"({', '.join(ROLES)}).",
                    element_name=task.name,
                )
            )
        elif role_for_lane(task.lane) is None:
            problems.append(
                DiagramProblem(
                    task.bpmn_id,
                    f"{where}: banen '{task.lane}' svarer ikke til en kendt rolle ({', '.join(ROLES)}). Omdøb banen "
                    "til en af rollerne, eller flyt opgaven til en anden bane.",
                    element_name=task.name,
                )
            )
    return problems


def deploy(
    uow: UnitOfWork,
    actor: Actor | None,
    bpmn_xml: str,
    forms: dict[str, Any],
    now: datetime,
    *,
    key: str | None = None,
) -> VersionView:
    """Store and activate a version (an existing one for unchanged content).

    ``actor`` None is the system (shipped files, the command line): the file's process id is the key.
    Otherwise ``key`` names the process this is a new version of; without it the model is a new process."""
    if actor is not None and not actor.roles & DEPLOYERS:
        raise Forbidden("Kun procesejere kan udrulle processer")
    if actor is None:
        identity = Identity.FROM_FILE
    else:
        identity = Identity.NEW_VERSION if key is not None else Identity.NEW_PROCESS
    by = actor.username if actor else SYSTEM
    with uow:
        try:
            deployment = uow.definitions.deploy(
                bpmn_xml,
                forms,
                identity=identity,
                key=key,
                deployed_by=by,
                now=now,
                check=lambda parsed: check_diagram(parsed, forms),
                data_names=SYSTEM_DATA_NAMES,
                reactivate=actor is not None,  # a restart re-reading the shipped files changes nothing
            )
        except KeyTaken as exc:
            raise _key_taken(exc) from None
        except UnknownProcess:
            raise Invalid(
                f"Processen '{key}' findes ikke",
                {"key": [f"Ingen udrullet proces hedder '{key}'. Udelad key for at oprette en ny proces."]},
            ) from None
        version = deployment.version
        if deployment.activated:
            reason = ActivationReason.DEPLOY if deployment.created else ActivationReason.REDEPLOY
            uow.publish(VersionActivated(ActivationKind.PROCESS, version.process_key, version.version, by, now, reason))
        uow.dispatch()
        view = version_view(uow, version, created=deployment.created, active=True, activated=deployment.activated)
        uow.commit()
    return view


def _key_taken(exc: KeyTaken) -> Conflict:
    file_process = f"'{exc.parsed.name}' ({exc.parsed.process_key})" if exc.parsed.name else exc.parsed.process_key
    existing = f"'{exc.existing.name}' ({exc.existing.process_key})"
    message = (
        f"Processen i filen, {file_process}, har samme id som den udrullede proces {existing}. Angiv "
        f'key="{exc.existing.process_key}" for at gøre filen til en ny version af den, eller giv processen i filen '
        "et nyt id for at oprette en ny proces."
    )
    return Conflict(message, {"key": [message]})


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
            raise DiagramError(
                [DiagramProblem(None, f"Formularen {file.name} er ikke gyldig JSON (linje {exc.lineno})")]
            ) from exc
    return forms


def list_versions(uow: UnitOfWork) -> list[VersionView]:
    with uow:
        active = uow.definitions.active_ids()
        return [version_view(uow, v, active=v.id in active) for v in uow.definitions.all_versions()]


def version_view(
    uow: UnitOfWork, version: ProcessVersion, *, created: bool = False, active: bool = False, activated: bool = False
) -> VersionView:
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
        version.executable,
        active,
        activated,
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
        active = uow.definitions.active_or_none(version.process_key)
        view = version_view(uow, version, active=active is not None and active.id == version.id)
        return DiagramSource(view, version.bpmn_xml, uow.definitions.forms(version))


def process_source(uow: UnitOfWork, actor: Actor, process_key: str, number: int | None = None) -> DiagramSource:
    """A version of a process (default: the one in force), to open in the modeler (procesejere only)."""
    if not actor.roles & DEPLOYERS:
        raise Forbidden("Kun procesejere kan redigere processer")
    with uow:
        version = _version(uow, process_key, number)
        active = uow.definitions.active(process_key)
        view = version_view(uow, version, active=active.id == version.id)
        return DiagramSource(view, version.bpmn_xml, uow.definitions.forms(version))


def _version(uow: UnitOfWork, process_key: str, number: int | None) -> ProcessVersion:
    try:
        version = (
            uow.definitions.active(process_key) if number is None else uow.definitions.version(process_key, number)
        )
    except UnknownProcess:
        version = None
    if version is None:
        what = f"Processen '{process_key}'" + (f" version {number}" if number is not None else "")
        raise NotFound(f"{what} findes ikke")
    return version


def deploy_edited(
    uow: UnitOfWork, actor: Actor, process_key: str, bpmn_xml: str, now: datetime, opened: int | None = None
) -> VersionView:
    """Deploy a model from the modeler as a new version of the process it was opened on; its forms are
    those of the version it was opened from (``opened``; default the one in force)."""
    source = process_source(uow, actor, process_key, opened)
    return deploy(uow, actor, bpmn_xml, source.forms, now, key=process_key)


@dataclass(frozen=True)
class Validated:
    executable: bool
    user_tasks: int


def validate_edited(
    uow: UnitOfWork, actor: Actor, process_key: str, bpmn_xml: str, opened: int | None = None
) -> Validated:
    """Check a model from the modeler exactly as a deploy would, without storing anything.

    Raises DiagramError naming the elements."""
    source = process_source(uow, actor, process_key, opened)
    with uow:
        parsed = uow.definitions.parse_for_deploy(bpmn_xml, source.forms, data_names=SYSTEM_DATA_NAMES)
        parsed = replace(parsed, process_key=process_key)
        if problems := uow.definitions.problems(parsed, source.forms, lambda p: check_diagram(p, source.forms)):
            raise DiagramError(problems)
    return Validated(parsed.executable, len(parsed.user_tasks))


def version_xml(uow: UnitOfWork, actor: Actor, process_key: str, number: int) -> tuple[str, str]:
    """(file name, XML) of a version, to download."""
    source = process_source(uow, actor, process_key, number)
    return f"{process_key}-v{number}.bpmn", source.bpmn_xml
