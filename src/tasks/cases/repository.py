"""Every query on cases and their earlier runs, in one place."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tasks.cases.model import Case, CaseRun

_BY_INSTANCE = select(Case).where(Case.instance_id == bindparam("instance_id"))  # built once: every timer runs it


class CaseRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, case_id: int) -> Case | None:
        return self._session.get(Case, case_id)

    def by_instance(self, instance_id: int) -> Case | None:
        return self._session.scalar(_BY_INSTANCE, {"instance_id": instance_id})

    def add(self, case: Case, now: datetime) -> Case:
        """Store a new case and give it its reference (SAG-<year>-<id>)."""
        self._session.add(case)
        self._session.flush()
        case.reference = f"SAG-{now.year}-{case.id:06d}"
        return case

    def add_run(self, run: CaseRun) -> None:
        self._session.add(run)

    def runs(self, case_id: int) -> list[CaseRun]:
        return list(self._session.scalars(select(CaseRun).where(CaseRun.case_id == case_id).order_by(CaseRun.id)))
