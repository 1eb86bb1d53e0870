"""Deployed process versions: deploy a diagram, find the version to start, parse once per version."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.diagrams import DiagramError, DiagramProblem, ParsedDiagram, content_hash, parse_diagram
from engine.limits import DEFAULT_LIMITS, EngineLimits
from engine.models import ProcessVersion

LaneCheck = Callable[[ParsedDiagram], list[DiagramProblem]]


class UnknownProcess(LookupError):
    """No deployed process has that key."""


@dataclass(frozen=True)
class Deployment:
    version: ProcessVersion
    created: bool


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
            parsed = parse_diagram(version.bpmn_xml)
            with self._lock:
                self._parsed[version.id] = parsed
        return parsed


class Definitions:
    """Process versions within one unit of work."""

    def __init__(self, session: Session, cache: DiagramCache, limits: EngineLimits = DEFAULT_LIMITS) -> None:
        self._session = session
        self._cache = cache
        self._limits = limits

    def parse_for_deploy(
        self, bpmn_xml: str, forms: dict[str, Any], *, data_names: frozenset[str] | None = None
    ) -> ParsedDiagram:
        """Parse with every deploy-time check: names (when given), forms, cycle intervals."""
        return parse_diagram(bpmn_xml, forms, data_names=data_names, limits=self._limits)

    def deploy(
        self,
        bpmn_xml: str,
        forms: dict[str, Any],
        *,
        deployed_by: str | None,
        now: datetime,
        check_lanes: LaneCheck | None = None,
        data_names: frozenset[str] | None = None,
    ) -> Deployment:
        """Validate and store a diagram; unchanged content returns the existing version.

        ``data_names``: the process data the application puts in at start (see parse_diagram)."""
        parsed = self.parse_for_deploy(bpmn_xml, forms, data_names=data_names)
        # Only the forms this diagram uses belong to its version (and to its content hash).
        used = {t.form for t in parsed.user_tasks} | {parsed.start_form}
        forms = {name: form for name, form in forms.items() if name in used}
        if check_lanes is not None and (problems := check_lanes(parsed)):
            raise DiagramError(problems)
        digest = content_hash(bpmn_xml, forms)
        existing = self._session.scalar(
            select(ProcessVersion).where(
                ProcessVersion.process_key == parsed.process_key, ProcessVersion.content_hash == digest
            )
        )
        if existing is not None:
            return Deployment(existing, created=False)
        latest = self._session.scalar(
            select(func.max(ProcessVersion.version)).where(ProcessVersion.process_key == parsed.process_key)
        )
        version = ProcessVersion(
            process_key=parsed.process_key,
            version=(latest or 0) + 1,
            name=parsed.name,
            bpmn_xml=bpmn_xml,
            forms=forms,
            content_hash=digest,
            deployed_at=now,
            deployed_by=deployed_by,
        )
        self._session.add(version)
        self._session.flush()
        return Deployment(version, created=True)

    def latest(self, process_key: str) -> ProcessVersion:
        version = self._session.scalar(
            select(ProcessVersion)
            .where(ProcessVersion.process_key == process_key)
            .order_by(ProcessVersion.version.desc())
            .limit(1)
        )
        if version is None:
            raise UnknownProcess(process_key)
        return version

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
