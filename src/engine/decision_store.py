"""Decision-table versions within one unit of work: deploy (validated, content-hashed), the version
in force, activate an earlier one (a rollback), all.  Activations are recorded like processes'."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, undefer

from engine.activations import Activations
from engine.decisions import ParsedDecision, content_hash, parsed_cached
from engine.diagrams import DiagramError, DiagramProblem
from engine.models import ActivationKind, ActivationReason, DecisionVersion, VersionActivation

DecisionCheck = Callable[[ParsedDecision], list[DiagramProblem]]

# Every command that reads the tables in force runs this (built once: building and cache-keying a statement costs
# about as much as running it).  Each key's activations in order with the version each names (None for a version
# that no longer exists); the newest row per key is the one in force.
_ACTIVE_REFS = (
    select(VersionActivation.key, DecisionVersion.version, DecisionVersion.id, DecisionVersion.content_hash)
    .outerjoin(DecisionVersion, DecisionVersion.id == VersionActivation.version_id)
    .where(VersionActivation.kind == ActivationKind.DECISION, VersionActivation.key.in_(bindparam("keys")))
    .order_by(VersionActivation.id)
)


@dataclass(frozen=True)
class DecisionDeployment:
    version: DecisionVersion
    created: bool
    activated: bool


class DecisionStore:
    def __init__(self, session: Session) -> None:
        self._session = session
        self.activations = Activations(session, ActivationKind.DECISION)

    def deploy(
        self,
        dmn_xml: str,
        *,
        deployed_by: str,
        now: datetime,
        check: DecisionCheck | None = None,
        reactivate: bool = True,
    ) -> DecisionDeployment:
        """Validate, store and activate a table; content equal to an earlier version activates that one
        (unless ``reactivate`` is False: the shipped files read again at start)."""
        parsed = parsed_cached(dmn_xml)
        if check is not None and (problems := check(parsed)):
            raise DiagramError(problems)
        digest = content_hash(dmn_xml)
        existing = self._session.scalar(
            select(DecisionVersion).where(
                DecisionVersion.decision_key == parsed.key, DecisionVersion.content_hash == digest
            )
        )
        current = self.active(parsed.key)
        if existing is not None:
            activated = reactivate and self._activate(existing, current, deployed_by, now, ActivationReason.REDEPLOY)
            return DecisionDeployment(existing, created=False, activated=activated)
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
        self._activate(version, current, deployed_by, now, ActivationReason.DEPLOY)
        return DecisionDeployment(version, created=True, activated=True)

    def activate(self, version: DecisionVersion, *, by: str, now: datetime) -> bool:
        """Make ``version`` the table new cases read; False if it already is."""
        return self._activate(version, self.active(version.decision_key), by, now, ActivationReason.ACTIVATE)

    def _activate(
        self,
        version: DecisionVersion,
        current: DecisionVersion | None,
        by: str,
        now: datetime,
        reason: ActivationReason,
    ) -> bool:
        if current is not None and current.id == version.id:
            return False
        self.activations.record(
            version.decision_key,
            version.version,
            version.id,
            previous=current.version if current is not None else None,
            by=by,
            now=now,
            reason=reason,
        )
        return True

    def active(self, key: str, *, with_xml: bool = False) -> DecisionVersion | None:
        """The version in force (the newest, for a table with no recorded activation)."""
        row = self.activations.current(key)
        if row is None:
            return self.latest(key, with_xml=with_xml)
        query = select(DecisionVersion).where(DecisionVersion.id == row.version_id)
        if with_xml:
            query = query.options(undefer(DecisionVersion.dmn_xml))
        return self._session.scalar(query)

    def active_refs(self, keys: Iterable[str]) -> dict[str, tuple[int, int, str]]:
        """key -> (version, id, content hash) of each table in force, without reading the XML (one small
        read; a key with no recorded activation: its newest version)."""
        keys = list(keys)
        chosen: dict[str, tuple[int, int, str] | None] = {}
        for key, version, row_id, digest in self._session.execute(_ACTIVE_REFS, {"keys": keys}):
            chosen[key] = (version, row_id, digest) if row_id is not None else None
        found = {key: ref for key, ref in chosen.items() if ref is not None}
        for key in keys:
            if key not in found and key not in chosen and (newest := self.latest(key)) is not None:
                found[key] = (newest.version, newest.id, newest.content_hash)
        return found

    def xml(self, version_id: int) -> str:
        return self._session.scalars(select(DecisionVersion.dmn_xml).where(DecisionVersion.id == version_id)).one()

    def active_ids(self) -> set[int]:
        chosen = self.activations.current_ids()
        ids = set(chosen.values())
        for row in self.all_versions():
            if row.decision_key not in chosen:
                newest = self.latest(row.decision_key)
                if newest is not None:
                    ids.add(newest.id)
        return ids

    def history(self, key: str) -> list[VersionActivation]:
        return self.activations.history(key)

    def version(self, key: str, number: int, *, with_xml: bool = False) -> DecisionVersion | None:
        query = select(DecisionVersion).where(DecisionVersion.decision_key == key, DecisionVersion.version == number)
        if with_xml:
            query = query.options(undefer(DecisionVersion.dmn_xml))
        return self._session.scalar(query)

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
