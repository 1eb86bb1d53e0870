"""Which version of a process or a decision table new cases use, as an append-only record.

Deploying new content activates it; deploying the content of an earlier version again activates
that version; a procesejer may activate any executable version (a rollback).  Each activation is a
row with who, when and why; the newest row per key is the version in force.  Without any row (a
key deployed before activations existed) the newest version is in force.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import ActivationKind, ActivationReason, VersionActivation


class Activations:
    def __init__(self, session: Session, kind: ActivationKind) -> None:
        self._session = session
        self._kind = kind

    def current(self, key: str) -> VersionActivation | None:
        query = (
            select(VersionActivation)
            .where(VersionActivation.kind == self._kind, VersionActivation.key == key)
            .order_by(VersionActivation.id.desc())
            .limit(1)
        )
        return self._session.scalar(query)

    def current_ids(self) -> dict[str, int]:
        """key -> id of the version in force, for every key with an activation."""
        query = (
            select(VersionActivation.key, VersionActivation.version_id)
            .where(VersionActivation.kind == self._kind)
            .order_by(VersionActivation.id)
        )
        return {key: version_id for key, version_id in self._session.execute(query)}

    def history(self, key: str) -> list[VersionActivation]:
        query = (
            select(VersionActivation)
            .where(VersionActivation.kind == self._kind, VersionActivation.key == key)
            .order_by(VersionActivation.id)
        )
        return list(self._session.scalars(query))

    def record(
        self,
        key: str,
        version: int,
        version_id: int,
        *,
        previous: int | None,
        by: str,
        now: datetime,
        reason: ActivationReason,
    ) -> VersionActivation:
        row = VersionActivation(
            kind=self._kind,
            key=key,
            version=version,
            version_id=version_id,
            previous_version=previous,
            activated_at=now,
            activated_by=by,
            reason=reason,
        )
        self._session.add(row)
        self._session.flush()
        return row
