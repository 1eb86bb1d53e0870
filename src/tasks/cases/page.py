"""What a case's page shows: the case, its timeline (journal) and where it stands in its diagram."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.cases.reading import case_view
from tasks.cases.responsibility import possible_sagsansvarlige
from tasks.cases.views import CaseView, JournalView
from tasks.letters.reading import LetterView
from tasks.service.actors import Actor
from tasks.service.uow import UnitOfWork
from tasks.work.model import HumanTask


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


def case_page(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "ui:sag") -> CasePage:
    """One read of the case for its page, written once to the access log."""
    with uow:
        case = visible_case(uow, actor, case_id)
        view = case_view(uow, case)
        rows = uow.session.execute(
            select(HumanTask.bpmn_id, HumanTask.active, HumanTask.status).where(HumanTask.case_id == case.id)
        ).all()
        page = CasePage(
            case=view,
            journal=[JournalView.of(e) for e in uow.journal.for_case(case.id)],
            process_version_id=uow.instances.get(case.instance_id).version_id,
            active_elements=sorted({bpmn_id for bpmn_id, active, _ in rows if active}),
            done_elements=sorted({bpmn_id for bpmn_id, active, status in rows if status == "completed"}),
            letters=[LetterView.of(r) for r in uow.letters.for_case(case.id)],
            colleagues=possible_sagsansvarlige(uow, actor, case),
        )
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return page
