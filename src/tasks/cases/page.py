"""What a case's page shows: the case as its file — facts, tasks, frister, the answers of every completed task,
notes, documents, letters, linked cases (klage ↔ main case) and the journal in one timeline — and where it stands
in its diagram.  One read, written once to the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select

from tasks.access.log import log_read
from tasks.access.policy import can_see_case, visible_case
from tasks.accounts.teams import team_names
from tasks.bestillinger.ordering import BestillingView, OrderChoices, case_bestillinger, order_choices
from tasks.cases.model import Case
from tasks.cases.reading import case_view
from tasks.cases.responsibility import possible_sagsansvarlige
from tasks.cases.timeline import TimelineItem, timeline
from tasks.cases.views import CaseView, JournalView
from tasks.documents.storage import DocumentView, case_documents
from tasks.handleplaner.plans import HandleplanView, case_handleplan
from tasks.klager.execution import ExecutionComplaintView, case_execution_complaints
from tasks.klager.model import Klage
from tasks.letters.model import Letter
from tasks.letters.reading import LetterView
from tasks.notes.writing import NoteView, case_notes
from tasks.parties.citizen import CitizenRecord
from tasks.pathways import pathway_for
from tasks.service.actors import Actor
from tasks.service.uow import UnitOfWork
from tasks.stays.refusal import RefusalView, stay_refusal
from tasks.work.model import HumanTask, TaskStatus
from tasks.work.submissions import SubmissionView, case_submissions

KLAGE_ACTIONS = frozenset(
    {"klage_registered", "klage_of", "execution_complaint", "stay_refused", "case_reopened", "parent_reopened"}
)


@dataclass(frozen=True)
class LinkedCase:
    id: int
    reference: str
    title: str
    relation: str  # "klage over denne sag" / "klagen handler om"
    visible: bool


@dataclass(frozen=True)
class CasePage:
    case: CaseView
    journal: list[JournalView]
    process_version_id: int
    active_elements: list[str]
    done_elements: list[str]
    letters: list[LetterView]
    # Who may become sagsansvarlig (the case team's sagsbehandlere), when the actor may change it; else empty.
    colleagues: list[str] = field(default_factory=list)
    submissions: list[SubmissionView] = field(default_factory=list)
    notes: list[NoteView] = field(default_factory=list)
    documents: list[DocumentView] = field(default_factory=list)
    linked: list[LinkedCase] = field(default_factory=list)
    complaints: list[ExecutionComplaintView] = field(default_factory=list)
    refusal: RefusalView | None = None
    timeline: list[TimelineItem] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)
    is_stay: bool = False
    is_klage: bool = False
    citizen: CitizenRecord | None = None  # address, Digital Post status and where they came from
    handleplan: HandleplanView | None = None  # the § 141 handleplan
    bestillinger: list[BestillingView] = field(default_factory=list)
    order: OrderChoices | None = None  # what a bestilling is made from (None: no active bevilling)


def case_page(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "ui:sag", kind: str = "alle") -> CasePage:
    """One read of the case for its page, written once to the access log."""
    with uow:
        case = visible_case(uow, actor, case_id)
        view = case_view(uow, case)
        rows = uow.session.execute(
            select(HumanTask.bpmn_id, HumanTask.active, HumanTask.status).where(HumanTask.case_id == case.id)
        ).all()
        active = {bpmn_id for bpmn_id, is_active, _ in rows if is_active}
        done = {bpmn_id for bpmn_id, _, status in rows if status == TaskStatus.COMPLETED} - active
        page = _page(uow, actor, case, view, active, done, kind)
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return page


def _page(
    uow: UnitOfWork, actor: Actor, case: Case, view: CaseView, active: set[str], done: set[str], kind: str
) -> CasePage:
    journal = [JournalView.of(e) for e in uow.journal.for_case(case.id)]
    letters = [LetterView.of(r) for r in uow.session.scalars(select(Letter).where(Letter.case_id == case.id))]
    submissions = case_submissions(uow, case.id)
    notes = [NoteView.of(n) for n in case_notes(uow, case.id)]
    documents = [DocumentView.of(d) for d in case_documents(uow, case.id)]
    linked = _linked(uow, actor, case)
    complaints = [ExecutionComplaintView.of(c) for c in case_execution_complaints(uow, case.id)]
    refusal = stay_refusal(uow, case.id)
    items = _items(journal, notes, documents, letters, submissions, linked, complaints)
    party = uow.parties.citizen(case.id)
    return CasePage(
        case=view,
        citizen=CitizenRecord.of(party, actor) if party is not None else None,
        journal=journal,
        process_version_id=uow.instances.get(case.instance_id).version_id,
        active_elements=sorted(active),
        done_elements=sorted(done),
        letters=letters,
        submissions=submissions,
        notes=notes,
        documents=documents,
        linked=linked,
        complaints=complaints,
        refusal=RefusalView(refusal.case_id, refusal.refused_on, refusal.reason, refusal.registered_by)
        if refusal is not None
        else None,
        timeline=timeline(items, kind),
        colleagues=possible_sagsansvarlige(uow, actor, case),
        teams=team_names(uow),
        is_stay=bool((pathway := pathway_for(case.process_key)) and pathway.is_stay),
        is_klage=case.process_key == "klage",
        handleplan=case_handleplan(uow, case.id),
        bestillinger=case_bestillinger(uow, case.id),
        order=order_choices(uow, case.id),
    )


def _linked(uow: UnitOfWork, actor: Actor, case: Case) -> list[LinkedCase]:
    rows = uow.session.scalars(select(Klage).where(or_(Klage.parent_case_id == case.id, Klage.case_id == case.id)))
    linked = []
    for klage in rows:
        if klage.parent_case_id == case.id:
            other, relation = klage.case, f"klage over denne sag ({klage.subject.label_da.lower()})"
        else:
            other, relation = klage.parent, "klagen handler om denne sag"
        linked.append(LinkedCase(other.id, other.reference, other.title, relation, can_see_case(actor, other)))
    return linked


def _items(
    journal: list[JournalView],
    notes: list[NoteView],
    documents: list[DocumentView],
    letters: list[LetterView],
    submissions: list[SubmissionView],
    linked: list[LinkedCase],
    complaints: list[ExecutionComplaintView],
) -> list[TimelineItem]:
    items = [
        TimelineItem("klager" if e.action in KLAGE_ACTIONS else "journal", e.at, e.actor, e.message, e.task_name or "")
        for e in journal
    ]
    items += [TimelineItem("noter", n.at, n.author, "Journalnotat", n.text, n.id) for n in notes]
    items += [
        TimelineItem("dokumenter", d.uploaded_at, d.uploaded_by, d.filename, f"{d.kind}, {_size(d.size)}", d.id)
        for d in documents
    ]
    items += [TimelineItem("breve", letter.created_at, "system", letter.title, "", letter.id) for letter in letters]
    items += [
        TimelineItem(
            "opgaver",
            s.submitted_at,
            s.submitted_by,
            f"{s.task_name} er udført",
            "",
            s.task_id,
            tuple((a.label, a.value) for a in s.answers),
        )
        for s in submissions
    ]
    items += [
        TimelineItem("klager", c.registered_at, c.registered_by, "Klage over udførelsen af hjælpen", c.complaint)
        for c in complaints
    ]
    return items


def _size(size: int) -> str:
    return f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB".replace(".", ",")
