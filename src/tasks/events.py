"""Domain events: what happened in a command, published on the unit of work.

Use cases and the step projection publish them; ``tasks.handlers`` subscribes the journal, the
frister, the letters, the case's life cycle and the pathways' own rules.  Events carry the rows
they are about (the handlers run in the same transaction) and never any HTTP or Flask notion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from engine.models import ActivationKind, ActivationReason
from tasks.afgoerelser.model import Afgoerelse
from tasks.bevillinger.model import Bevilling
from tasks.cases.model import Case
from tasks.frister.model import Deadline
from tasks.letters.model import Letter
from tasks.work.model import HumanTask


@dataclass(frozen=True)
class CaseOpened:
    case: Case
    at: datetime
    actor: str
    process_version: int


@dataclass(frozen=True)
class CaseClosed:
    case: Case
    at: datetime
    actor: str
    end_event: str | None


@dataclass(frozen=True)
class CaseReopened:
    """A klage changed the decision: the main case runs again (a new instance of its process)."""

    case: Case
    at: datetime
    actor: str
    effect: str
    reason: str
    klage: Case


@dataclass(frozen=True)
class TaskOpened:
    case: Case
    at: datetime
    task: HumanTask
    frist_rule: str | None


@dataclass(frozen=True)
class TaskCompleted:
    case: Case
    at: datetime
    task: HumanTask
    actor: str


@dataclass(frozen=True)
class TaskCancelled:
    case: Case
    at: datetime
    task: HumanTask
    reason: str = ""


@dataclass(frozen=True)
class TaskClaimed:
    case: Case
    at: datetime
    task: HumanTask
    actor: str


@dataclass(frozen=True)
class TaskUnclaimed:
    case: Case
    at: datetime
    task: HumanTask
    actor: str


@dataclass(frozen=True)
class TaskAssigned:
    case: Case
    at: datetime
    task: HumanTask
    actor: str
    assignee: str


@dataclass(frozen=True)
class ApprovalDecided:
    """A faglig konsulent (or another approver) decided an approval task (R15)."""

    case: Case
    at: datetime
    task: HumanTask
    actor: str
    approved: bool
    reason: str


@dataclass(frozen=True)
class TimerFired:
    case: Case
    at: datetime
    bpmn_id: str


@dataclass(frozen=True)
class ActivityCompleted:
    """An activity of the diagram (a task, a subprocess, an end event) completed in this command."""

    case: Case
    at: datetime
    bpmn_id: str
    actor: str
    data: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class InstanceEnded:
    case: Case
    at: datetime
    actor: str
    end_event: str | None
    data: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class MessageReceived:
    """A message named in the diagram was delivered to the case (from the API or a task page)."""

    case: Case
    at: datetime
    actor: str
    name: str
    bpmn_id: str | None


@dataclass(frozen=True)
class OperationCalled:
    """A service task of the case's diagram called one of Sagsflow's named operations."""

    case: Case
    at: datetime
    actor: str
    bpmn_id: str
    operation: str
    parameters: dict[str, Any] = field(compare=False)
    result: dict[str, Any] = field(compare=False)


@dataclass(frozen=True)
class ProcessCalled:
    """A call activity of the case's diagram started another deployed process (that version)."""

    case: Case
    at: datetime
    bpmn_id: str
    key: str
    version: int


@dataclass(frozen=True)
class DecisionMade:
    """A business rule task of the case's diagram asked a decision table (the version in force)."""

    case: Case
    at: datetime
    bpmn_id: str
    decision: str
    version: int
    result: dict[str, Any] = field(compare=False)


@dataclass(frozen=True)
class DecisionAssessed:
    """Sagsflow measured a decision against the kvalitetsstandard's catalogue (an afvigelse found, or a
    decision above the sagsbehandler's kompetence)."""

    case: Case
    at: datetime
    actor: str
    task: HumanTask
    afvigelse_grunde: str
    kompetence: str


@dataclass(frozen=True)
class CaseMigrated:
    """A running case moved to another version of its process (``moved``: where each waiting task went)."""

    case: Case
    at: datetime
    actor: str
    from_version: int
    to_version: int
    moved: tuple[Any, ...] = field(compare=False)


@dataclass(frozen=True)
class SagsansvarligChanged:
    case: Case
    at: datetime
    actor: str
    previous: str | None
    current: str


@dataclass(frozen=True)
class TaskSubmitted:
    """A person completed a task with this form data (kept as the case's record of what was decided)."""

    case: Case
    at: datetime
    task: HumanTask
    actor_id: int
    data: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class TaskRescheduled:
    """A task's working due time was changed with a reason; the legal frist keeps its own due time."""

    case: Case
    at: datetime
    task: HumanTask
    actor: str
    old_due: datetime | None
    new_due: datetime
    reason: str


@dataclass(frozen=True)
class CaseMoved:
    """A leder moved a case (and its open tasks) to another team."""

    case: Case
    at: datetime
    actor: str
    old_team: str | None
    new_team: str
    released: tuple[HumanTask, ...] = ()


@dataclass(frozen=True)
class NoteAdded:
    case: Case
    at: datetime
    actor: str
    note_id: int


@dataclass(frozen=True)
class DocumentAdded:
    case: Case
    at: datetime
    actor: str
    document_id: int
    filename: str


@dataclass(frozen=True)
class KlageRegistered:
    """A klage case was opened about ``parent``: both cases' journals record the link."""

    klage: Case
    parent: Case
    at: datetime
    actor: str
    subject: str


@dataclass(frozen=True)
class ExecutionComplaintRegistered:
    """A complaint about how help is carried out: the municipality's to handle, not Ankestyrelsen's."""

    case: Case
    at: datetime
    actor: str


@dataclass(frozen=True)
class StayRefused:
    case: Case
    at: datetime
    actor: str
    refused_on: date


@dataclass(frozen=True)
class CaseFileExported:
    """The whole file was exported for aktindsigt (forvaltningsloven § 9, GDPR art. 15)."""

    case: Case
    at: datetime
    actor: str


@dataclass(frozen=True)
class DeadlineWarned:
    """The escalation scan found a frist near (published once per frist)."""

    deadline: Deadline
    at: datetime
    responsible: tuple[int, ...]


@dataclass(frozen=True)
class DeadlineEscalated:
    """The escalation scan found a frist passed (published once per frist)."""

    deadline: Deadline
    at: datetime
    responsible: tuple[int, ...]


@dataclass(frozen=True)
class AfgoerelseTruffet:
    """An afgørelse is final (the diagram's decision activity ended); ``data`` is the process data then."""

    case: Case
    at: datetime
    actor: str
    afgoerelse: Afgoerelse
    bpmn_id: str
    data: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class BevillingOprettet:
    """A bevilling was set up (after *Opret bevilling*, or by an afgørelse om ændring)."""

    case: Case
    at: datetime
    actor: str
    bevilling: Bevilling
    afgoerelse: Afgoerelse | None
    data: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class BevillingAfsluttet:
    """A bevilling ended: ophørt, or erstattet by a new one."""

    case: Case
    at: datetime
    actor: str
    bevilling: Bevilling


@dataclass(frozen=True)
class LetterWritten:
    case: Case
    at: datetime
    letter: Letter


@dataclass(frozen=True)
class LetterDispatched:
    case: Case
    at: datetime
    letter: Letter


@dataclass(frozen=True)
class VersionActivated:
    """New cases now use this version of a process or decision table (a deploy, or a rollback)."""

    kind: ActivationKind
    key: str
    version: int
    actor: str
    at: datetime
    reason: ActivationReason
