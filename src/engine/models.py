"""The engine's tables: deployed process versions and running instances."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, enum_column


class ProcessVersion(Base):
    """One deployed content of one process diagram.  Immutable once written."""

    __tablename__ = "process_versions"
    __table_args__ = (
        UniqueConstraint("process_key", "version", name="uq_process_version"),
        UniqueConstraint("process_key", "content_hash", name="uq_process_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    # Large and immutable: loaded only when a process asks (DiagramCache parses once per version).
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    forms: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str | None] = mapped_column(String(100))
    # False: a documentation model (no process marked executable); kept, shown, never run
    executable: Mapped[bool] = mapped_column(default=True)


class ProcessInstance(Base):
    """A running (or ended) workflow.  ``state`` is SpiffWorkflow's serialization without the spec.

    ``lock_version`` is SQLAlchemy's version counter: a second writer that loaded the same
    version gets a StaleDataError instead of overwriting the first writer's work.
    """

    __tablename__ = "process_instances"
    __table_args__ = (Index("ix_instances_next_timer", "next_timer_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(Text)
    lock_version: Mapped[int] = mapped_column(default=1)
    next_timer_at: Mapped[datetime | None]
    task_count: Mapped[int] = mapped_column(default=0)
    # Calls to other deployed processes that are running: process key -> the ProcessVersion id they run
    called_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    version: Mapped[ProcessVersion] = relationship(lazy="joined", innerjoin=True)

    __mapper_args__ = {"version_id_col": lock_version}


class DecisionVersion(Base):
    """One deployed content of one DMN decision table (the kvalitetsstandard's tables).  Immutable."""

    __tablename__ = "decision_versions"
    __table_args__ = (
        UniqueConstraint("decision_key", "version", name="uq_decision_version"),
        UniqueConstraint("decision_key", "content_hash", name="uq_decision_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    dmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str | None] = mapped_column(String(100))


class ActivationKind(StrEnum):
    PROCESS = "process"
    DECISION = "decision"
    CATALOGUE = "catalogue"


class ActivationReason(StrEnum):
    INITIAL = "initial"  # the newest version when activations began (migration 0009)
    DEPLOY = "deploy"  # a new version was deployed
    REDEPLOY = "redeploy"  # the content of an earlier version was deployed again
    ACTIVATE = "activate"  # a procesejer chose an earlier (or later) version: a rollback

    @property
    def label_da(self) -> str:
        return {
            "initial": "første version i brug",
            "deploy": "udrulning",
            "redeploy": "genudrulning af tidligere indhold",
            "activate": "aktiveret (tilbagerulning)",
        }[self.value]


class VersionActivation(Base):
    """Which version of a process or decision table new cases use from when, and who decided it.

    Append-only (migration 0009): the newest row per (kind, key) is the version in force; the rows
    before it are the history of deploys and rollbacks."""

    __tablename__ = "version_activations"
    __table_args__ = (Index("ix_version_activations_key", "kind", "key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivationKind] = mapped_column(enum_column(ActivationKind))
    key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int]
    version_id: Mapped[int]
    previous_version: Mapped[int | None]
    activated_at: Mapped[datetime]
    activated_by: Mapped[str] = mapped_column(String(100))
    reason: Mapped[ActivationReason] = mapped_column(enum_column(ActivationReason))
