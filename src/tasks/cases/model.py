"""The case (sag): one pathway run for one citizen, with the personal data, and its earlier runs.

Personal data (CPR, name) lives here and never in the engine state.  Everything the system decides
about a case is a column set by a service (its status, when a stay began, which kvalitetsstandard
tables it was opened with, the case it is a klage about); ``details`` holds only what a client sent,
validated against the process's start form, and is never read as process control.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.db import Base, enum_column
from tasks.accounts.model import User
from tasks.cases.cpr import age_on


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    process_key: Mapped[str] = mapped_column(String(100), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), unique=True)
    team: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), index=True)
    outcome: Mapped[str | None] = mapped_column(String(40))
    ydelse: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    received_at: Mapped[datetime]
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The ansvarlig sagsbehandler: offered the case's unclaimed tasks first and warned about its frister.
    sagsansvarlig_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    citizen_cpr: Mapped[str | None] = mapped_column(String(11))
    citizen_name: Mapped[str | None] = mapped_column(String(200))
    stay_started_on: Mapped[date | None]
    parent_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # The kvalitetsstandard's table versions the case was opened with: {"sagsbehandlingsfrist": 2, ...}
    standard_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    sagsansvarlig: Mapped[User | None] = relationship(foreign_keys=[sagsansvarlig_id])

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def citizen_age(self, day: date) -> int | None:
        """The citizen's age on ``day`` from the CPR number (None for an anonymous case)."""
        return age_on(self.citizen_cpr, day) if self.citizen_cpr else None

    def move_to_team(self, team: str) -> None:
        self.team = team

    def close(self, outcome: str | None, at: datetime) -> bool:
        """Close the case with the outcome its process ended with; False if it was closed already."""
        if self.status == CaseStatus.CLOSED:
            return False
        self.status = CaseStatus.CLOSED
        self.closed_at = at
        self.outcome = outcome or self.outcome
        return True

    def start_new_run(self, instance_id: int) -> None:
        """The case runs again on a new instance (after a klage); the old run is kept in ``case_runs``."""
        self.instance_id = instance_id
        self.status = CaseStatus.OPEN
        self.closed_at = None
        self.outcome = None


class CaseRun(Base):
    """An earlier run of a case's process, ended because a klage re-opened the case."""

    __tablename__ = "case_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"))
    ended_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str | None] = mapped_column(String(40))
