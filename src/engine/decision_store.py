"""Decision-table versions within one unit of work: deploy (validated, content-hashed), latest, all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, undefer

from engine.decisions import ParsedDecision, content_hash, parsed_cached
from engine.diagrams import DiagramError, DiagramProblem
from engine.models import DecisionVersion

DecisionCheck = Callable[[ParsedDecision], list[DiagramProblem]]


@dataclass(frozen=True)
class DecisionDeployment:
    version: DecisionVersion
    created: bool


class DecisionStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    def deploy(
        self, dmn_xml: str, *, deployed_by: str | None, now: datetime, check: DecisionCheck | None = None
    ) -> DecisionDeployment:
        """Validate and store a table; unchanged content returns the existing version."""
        parsed = parsed_cached(dmn_xml)
        if check is not None and (problems := check(parsed)):
            raise DiagramError(problems)
        digest = content_hash(dmn_xml)
        existing = self._session.scalar(
            select(DecisionVersion).where(
                DecisionVersion.decision_key == parsed.key, DecisionVersion.content_hash == digest
            )
        )
        if existing is not None:
            return DecisionDeployment(existing, created=False)
        latest = self._session.scalar(
            select(func.max(DecisionVersion.version)).where(DecisionVersion.decision_key == parsed.key)
        )
        version = DecisionVersion(
            decision_key=parsed.key,
            version=(latest or 0) + 1,
            name=parsed.name,
            dmn_xml=dmn_xml,
            content_hash=digest,
            deployed_at=now,
            deployed_by=deployed_by,
        )
        self._session.add(version)
        self._session.flush()
        return DecisionDeployment(version, created=True)

    def latest(self, key: str, *, with_xml: bool = False) -> DecisionVersion | None:
        query = select(DecisionVersion).where(DecisionVersion.decision_key == key)
        if with_xml:
            query = query.options(undefer(DecisionVersion.dmn_xml))
        return self._session.scalar(query.order_by(DecisionVersion.version.desc()).limit(1))

    def all_versions(self) -> list[DecisionVersion]:
        return list(
            self._session.scalars(
                select(DecisionVersion).order_by(DecisionVersion.decision_key, DecisionVersion.version)
            )
        )
