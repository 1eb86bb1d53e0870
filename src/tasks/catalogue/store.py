"""Catalogue file versions within one unit of work: deploy (content-hashed), the version in force,
activate an earlier one (a rollback), history.  Activations are recorded like the tables'."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine.activations import Activations
from engine.models import ActivationKind, ActivationReason, VersionActivation
from tasks.catalogue.model import CatalogueVersion

# Every command that reads the catalogue in force runs this (built once: building and cache-keying a statement
# costs about as much as running it).  One statement for all keys instead of two per key: each key's activations
# in order, with the version each names (None for a version that no longer exists); the newest row per key wins.
_ACTIVE_REFS = (
    select(VersionActivation.key, CatalogueVersion.version, CatalogueVersion.id, CatalogueVersion.content_hash)
    .outerjoin(CatalogueVersion, CatalogueVersion.id == VersionActivation.version_id)
    .where(VersionActivation.kind == ActivationKind.CATALOGUE, VersionActivation.key.in_(bindparam("keys")))
    .order_by(VersionActivation.id)
)


def canonical(data: Any) -> str:
    """The stored text of a content: indented JSON, Danish letters as such (the order kept)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def content_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CatalogueDeployment:
    version: CatalogueVersion
    created: bool
    activated: bool


class CatalogueStore:
    def __init__(self, session: Session) -> None:
        self._session = session
        self.activations = Activations(session, ActivationKind.CATALOGUE)

    def deploy(self, key: str, data: Any, *, by: str, now: datetime, reactivate: bool = True) -> CatalogueDeployment:
        """Store (and activate) a content; content equal to an earlier version activates that one instead
        (unless ``reactivate`` is False: the shipped files read again at start)."""
        digest = content_hash(data)
        current = self.active(key)
        existing = self._session.scalar(
            select(CatalogueVersion).where(CatalogueVersion.key == key, CatalogueVersion.content_hash == digest)
        )
        if existing is not None:
            activated = reactivate and self._activate(existing, current, by, now, ActivationReason.REDEPLOY)
            return CatalogueDeployment(existing, created=False, activated=activated)
        latest = self._session.scalar(select(func.max(CatalogueVersion.version)).where(CatalogueVersion.key == key))
        row = CatalogueVersion(
            key=key,
            version=(latest or 0) + 1,
            content=canonical(data),
            content_hash=digest,
            deployed_at=now,
            deployed_by=by,
        )
        self._session.add(row)
        self._session.flush()
        self._activate(row, current, by, now, ActivationReason.DEPLOY)
        return CatalogueDeployment(row, created=True, activated=True)

    def activate(self, row: CatalogueVersion, *, by: str, now: datetime) -> bool:
        return self._activate(row, self.active(row.key), by, now, ActivationReason.ACTIVATE)

    def _activate(
        self, row: CatalogueVersion, current: CatalogueVersion | None, by: str, now: datetime, reason: ActivationReason
    ) -> bool:
        if current is not None and current.id == row.id:
            return False
        previous = current.version if current is not None else None
        self.activations.record(row.key, row.version, row.id, previous=previous, by=by, now=now, reason=reason)
        return True

    def active(self, key: str) -> CatalogueVersion | None:
        chosen = self.activations.current(key)
        if chosen is None:
            return None
        return self._session.get(CatalogueVersion, chosen.version_id)

    def active_refs(self, keys: list[str]) -> dict[str, tuple[int, int, str]]:
        """key -> (version, id, content hash) of each file in force (a key without an activation: absent)."""
        newest: dict[str, tuple[int, int, str] | None] = {}
        for key, version, row_id, digest in self._session.execute(_ACTIVE_REFS, {"keys": keys}):
            newest[key] = (version, row_id, digest) if row_id is not None else None
        return {key: ref for key, ref in newest.items() if ref is not None}

    def content(self, version_id: int) -> str:
        return self._session.scalars(select(CatalogueVersion.content).where(CatalogueVersion.id == version_id)).one()

    def version(self, key: str, number: int) -> CatalogueVersion | None:
        return self._session.scalar(
            select(CatalogueVersion).where(CatalogueVersion.key == key, CatalogueVersion.version == number)
        )

    def versions(self, key: str) -> list[CatalogueVersion]:
        query = select(CatalogueVersion).where(CatalogueVersion.key == key).order_by(CatalogueVersion.version)
        return list(self._session.scalars(query))

    def history(self, key: str) -> list[VersionActivation]:
        return self.activations.history(key)
