"""Read models of a case: plain values, safe to use after the session closed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tasks.afgoerelser.views import AfgoerelseView
from tasks.bevillinger.views import BevillingView
from tasks.cases.model import Case
from tasks.frister.views import DeadlineView
from tasks.journal.model import JournalEntry
from tasks.work.views import TaskView


@dataclass(frozen=True)
class JournalView:
    at: datetime
    actor: str
    action: str
    task_name: str | None
    process_version: int
    message: str

    @classmethod
    def of(cls, entry: JournalEntry) -> JournalView:
        return cls(entry.at, entry.actor, entry.action, entry.task_name, entry.process_version, entry.message)


@dataclass(frozen=True)
class CaseView:
    id: int
    reference: str
    process: str
    process_version: int
    status: str
    outcome: str | None
    ydelse: str | None
    title: str
    team: str | None
    received_at: datetime
    opened_at: datetime
    closed_at: datetime | None
    version: int
    tasks: list[TaskView] = field(default_factory=list)
    citizen: dict[str, str | None] | None = None
    deadlines: list[DeadlineView] = field(default_factory=list)
    kvalitetsstandard: dict[str, int] = field(default_factory=dict)
    sagsansvarlig: str | None = None
    afgoerelser: list[AfgoerelseView] = field(default_factory=list)
    bevillinger: list[BevillingView] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        case: Case,
        process_version: int,
        lock_version: int,
        tasks: list[TaskView],
        deadlines: list[DeadlineView],
        afgoerelser: list[AfgoerelseView] | None = None,
        bevillinger: list[BevillingView] | None = None,
    ) -> CaseView:
        return cls(
            id=case.id,
            reference=case.reference,
            process=case.process_key,
            process_version=process_version,
            status=str(case.status),
            outcome=case.outcome,
            ydelse=case.ydelse,
            title=case.title,
            team=case.team,
            received_at=case.received_at,
            opened_at=case.opened_at,
            closed_at=case.closed_at,
            version=lock_version,
            tasks=tasks,
            citizen={"cpr": case.citizen_cpr, "name": case.citizen_name},
            deadlines=deadlines,
            kvalitetsstandard=dict(case.standard_versions or {}),
            sagsansvarlig=case.sagsansvarlig.username if case.sagsansvarlig is not None else None,
            afgoerelser=afgoerelser or [],
            bevillinger=bevillinger or [],
        )
