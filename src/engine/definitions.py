"""Deployed process versions: deploy a model, choose the version new cases use, parse once per version.

Identity is explicit.  A deploy either creates a new process (its key is the process id in the
file, and no process may have it yet), or adds a version to a process it names, or (the shipped
files and the command line) uses the file's id either way.  New content becomes a new version and
is activated; content equal to an earlier version activates that version again; any executable
version can be activated (a rollback).  Running instances always keep their own version.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.activations import Activations
from engine.calls import Callee, call_problems
from engine.decision_store import DecisionStore
from engine.decisions import parsed_cached
from engine.diagram_links import CallableProcess
from engine.diagrams import DiagramError, DiagramProblem, ParsedDiagram, check_forms, content_hash, parse_diagram
from engine.limits import DEFAULT_LIMITS, EngineLimits
from engine.models import ActivationKind, ActivationReason, ProcessVersion, VersionActivation
from engine.operations import NO_OPERATIONS, Operations

DiagramCheck = Callable[[ParsedDiagram], list[DiagramProblem]]


class UnknownProcess(LookupError):
    """No deployed process has that key."""


class NotExecutable(Exception):
    """The version is a documentation model: it cannot start cases or be made the one they use."""

    def __init__(self, version: ProcessVersion) -> None:
        super().__init__(f"{version.process_key} v{version.version}")
        self.version = version


class KeyTaken(Exception):
    """A deploy that names no process carries a process id another deployed process already has."""

    def __init__(self, parsed: ParsedDiagram, existing: ProcessVersion) -> None:
        super().__init__(parsed.process_key)
        self.parsed = parsed
        self.existing = existing


class Identity(StrEnum):
    NEW_PROCESS = "new_process"  # the file's process id becomes a new key; taken -> KeyTaken
    NEW_VERSION = "new_version"  # ``key`` names an existing process; unknown -> UnknownProcess
    FROM_FILE = "from_file"  # the file's id, new or existing (shipped files, the command line)


@dataclass(frozen=True)
class Deployment:
    version: ProcessVersion
    created: bool
    activated: bool  # this deploy changed the version new cases use


class DiagramCache:
    """Parsed specs per ProcessVersion id.  Versions are immutable, so entries never go stale."""

    def __init__(self) -> None:
        self._parsed: dict[int, ParsedDiagram] = {}
        self._forms: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def forms(self, version: ProcessVersion) -> dict[str, Any]:
        forms = self._forms.get(version.id)
        if forms is None:
            forms = dict(version.forms)
            with self._lock:
                self._forms[version.id] = forms
        return forms

    def get(self, version: ProcessVersion) -> ParsedDiagram:
        parsed = self._parsed.get(version.id)
        if parsed is None:
            parsed = parse_diagram(version.bpmn_xml, legacy_executable=version.executable)
            parsed = replace(parsed, process_key=version.process_key)
            with self._lock:
                self._parsed[version.id] = parsed
        return parsed


class Definitions:
    """Process versions within one unit of work."""

    def __init__(
        self,
        session: Session,
        cache: DiagramCache,
        limits: EngineLimits = DEFAULT_LIMITS,
        operations: Operations = NO_OPERATIONS,
    ) -> None:
        self._session = session
        self._cache = cache
        self._limits = limits
        self._operations = operations
        self.activations = Activations(session, ActivationKind.PROCESS)

    def parse_for_deploy(
        self, bpmn_xml: str, forms: dict[str, Any], *, data_names: frozenset[str] | None = None
    ) -> ParsedDiagram:
        """Parse with the deploy-time checks of the model itself: names (when given), cycle intervals, the
        operations its service tasks call, the decision tables its business rule tasks ask.  Its forms are
        checked by ``problems`` (with the application's own checks)."""
        return parse_diagram(
            bpmn_xml,
            forms,
            data_names=data_names,
            limits=self._limits,
            check_forms_too=False,
            operations=self._operations,
            decisions=self._decision_outputs(),
            callable_processes=self._callable_processes(),
        )

    def _callable_processes(self) -> dict[str, CallableProcess]:
        """Every deployed process a call activity may call: its executable versions and the one in force."""
        found = {}
        keys = self._session.scalars(select(ProcessVersion.process_key).distinct())
        for key in keys:
            versions = frozenset(
                self._session.scalars(
                    select(ProcessVersion.version).where(
                        ProcessVersion.process_key == key, ProcessVersion.executable.is_(True)
                    )
                )
            )
            active = self.active_or_none(key)
            found[key] = CallableProcess(versions, active.version if active is not None and active.executable else None)
        return found

    def resolve(self, key: str, pinned: int | None, running: int | None) -> Callee | None:
        """A called process: the version a running call uses, else the pinned one, else the one in force."""
        if running is not None:
            version = self._session.get(ProcessVersion, running)
        elif pinned is not None:
            version = self.version(key, pinned)
        else:
            version = self.active_or_none(key)
        if version is None or not version.executable:
            return None
        return Callee(version.id, version.version, self.parsed(version), self.forms(version))

    def _decision_outputs(self) -> dict[str, tuple[str, ...]]:
        """The decision tables in force, by key, with their output names."""
        store = DecisionStore(self._session)
        found = {}
        for key in {v.decision_key for v in store.all_versions()}:
            row = store.active(key, with_xml=True)
            if row is not None:
                found[key] = parsed_cached(row.dmn_xml).output_names
        return found

    def problems(
        self, parsed: ParsedDiagram, forms: dict[str, Any], check: DiagramCheck | None = None
    ) -> list[DiagramProblem]:
        """Every form a user task names exists and is valid, the processes it calls can be called (and do
        not call it back), and the application's ``check`` holds."""
        return (
            check_forms(parsed, forms)
            + call_problems(parsed, self.resolve)
            + (check(parsed) if check is not None else [])
        )

    def deploy(
        self,
        bpmn_xml: str,
        forms: dict[str, Any],
        *,
        identity: Identity,
        key: str | None = None,
        deployed_by: str,
        now: datetime,
        check: DiagramCheck | None = None,
        data_names: frozenset[str] | None = None,
        reactivate: bool = True,
    ) -> Deployment:
        """Validate, store and activate a model; content equal to an earlier version activates that one
        (unless ``reactivate`` is False: the system re-reading its shipped files at every start must not
        undo a procesejer's newer version).

        ``check``: the application's own checks (lanes, pathways), run on the model under its key."""
        parsed = self.parse_for_deploy(bpmn_xml, forms, data_names=data_names)
        key = self._key(parsed, identity, key)
        parsed = replace(parsed, process_key=key)
        # Only the forms this diagram uses belong to its version (and to its content hash).
        used = {t.form for t in parsed.user_tasks} | {parsed.start_form}
        forms = {name: form for name, form in forms.items() if name in used}
        if problems := self.problems(parsed, forms, check):
            raise DiagramError(problems)
        digest = content_hash(bpmn_xml, forms)
        existing = self._session.scalar(
            select(ProcessVersion).where(ProcessVersion.process_key == key, ProcessVersion.content_hash == digest)
        )
        current = self.active_or_none(key)
        if existing is not None:
            activated = reactivate and self._activate(existing, current, deployed_by, now, ActivationReason.REDEPLOY)
            return Deployment(existing, created=False, activated=activated)
        latest = self._session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.process_key == key))
        version = ProcessVersion(
            process_key=key,
            version=(latest or 0) + 1,
            name=parsed.name,
            bpmn_xml=bpmn_xml,
            forms=forms,
            content_hash=digest,
            deployed_at=now,
            deployed_by=deployed_by,
            executable=parsed.executable,
        )
        self._session.add(version)
        self._session.flush()
        self._activate(version, current, deployed_by, now, ActivationReason.DEPLOY)
        return Deployment(version, created=True, activated=True)

    def _key(self, parsed: ParsedDiagram, identity: Identity, key: str | None) -> str:
        if identity is Identity.NEW_VERSION:
            if key is None or self._newest(key) is None:
                raise UnknownProcess(key or "")
            return key
        existing = self._newest(parsed.process_key)
        if identity is Identity.NEW_PROCESS and existing is not None:
            raise KeyTaken(parsed, existing)
        return parsed.process_key

    def activate(self, version: ProcessVersion, *, by: str, now: datetime) -> bool:
        """Make ``version`` the one new cases use (a rollback, or forward again); False if it already is."""
        if not version.executable:
            raise NotExecutable(version)
        return self._activate(version, self.active_or_none(version.process_key), by, now, ActivationReason.ACTIVATE)

    def _activate(
        self,
        version: ProcessVersion,
        current: ProcessVersion | None,
        by: str,
        now: datetime,
        reason: ActivationReason,
    ) -> bool:
        """Record that ``version`` replaces ``current`` (the one in force before this command)."""
        if current is not None and current.id == version.id:
            return False
        self.activations.record(
            version.process_key,
            version.version,
            version.id,
            previous=current.version if current is not None else None,
            by=by,
            now=now,
            reason=reason,
        )
        return True

    def active(self, process_key: str) -> ProcessVersion:
        """The version new cases of ``process_key`` use (which may be a documentation model)."""
        version = self.active_or_none(process_key)
        if version is None:
            raise UnknownProcess(process_key)
        return version

    def active_or_none(self, process_key: str) -> ProcessVersion | None:
        row = self.activations.current(process_key)
        if row is not None:
            return self._session.get(ProcessVersion, row.version_id)
        return self._newest(process_key)

    def active_ids(self) -> set[int]:
        """Ids of the version in force of every process."""
        chosen = self.activations.current_ids()
        newest = self._session.execute(
            select(ProcessVersion.process_key, func.max(ProcessVersion.version)).group_by(ProcessVersion.process_key)
        )
        ids = set(chosen.values())
        for key, number in newest:
            if key not in chosen:
                version = self.version(key, number)
                if version is not None:
                    ids.add(version.id)
        return ids

    def history(self, process_key: str) -> list[VersionActivation]:
        return self.activations.history(process_key)

    def _newest(self, process_key: str) -> ProcessVersion | None:
        return self._session.scalar(
            select(ProcessVersion)
            .where(ProcessVersion.process_key == process_key)
            .order_by(ProcessVersion.version.desc())
            .limit(1)
        )

    def version(self, process_key: str, number: int) -> ProcessVersion | None:
        return self._session.scalar(
            select(ProcessVersion).where(ProcessVersion.process_key == process_key, ProcessVersion.version == number)
        )

    def get(self, version_id: int) -> ProcessVersion:
        return self._session.get_one(ProcessVersion, version_id)

    def all_versions(self) -> list[ProcessVersion]:
        return list(
            self._session.scalars(select(ProcessVersion).order_by(ProcessVersion.process_key, ProcessVersion.version))
        )

    def parsed(self, version: ProcessVersion) -> ParsedDiagram:
        return self._cache.get(version)

    def forms(self, version: ProcessVersion) -> dict[str, Any]:
        """All forms of a version by file name."""
        return self._cache.forms(version)

    def form(self, version: ProcessVersion, name: str | None) -> dict[str, Any] | None:
        """A form (JSON Schema) of a version, from the process-wide cache."""
        return self._cache.forms(version).get(name) if name else None
