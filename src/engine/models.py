"""The engine's tables: deployed process versions and running instances."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base


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
