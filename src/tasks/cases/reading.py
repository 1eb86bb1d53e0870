"""Read a case back: its facts, open tasks and frister, and its journal.  Every read is access-logged."""

from __future__ import annotations

from tasks.access.log import log_read
from tasks.access.policy import visible_case
from tasks.afgoerelser.views import AfgoerelseView
from tasks.bevillinger.views import BevillingView
from tasks.cases.model import Case
from tasks.cases.views import CaseView, JournalView
from tasks.frister.views import DeadlineView
from tasks.service.actors import Actor
from tasks.service.uow import UnitOfWork
from tasks.work.views import task_view


def get_case(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:sag") -> CaseView:
    """The case with its tasks and frister; the read is written to the access log."""
    with uow:
        case = visible_case(uow, actor, case_id)
        view = case_view(uow, case)
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return view


def case_journal(uow: UnitOfWork, actor: Actor, case_id: int, purpose: str = "api:journal") -> list[JournalView]:
    with uow:
        case = visible_case(uow, actor, case_id)
        entries = [JournalView.of(e) for e in uow.journal.for_case(case.id)]
        log_read(uow.session, actor, case, purpose, uow.clock.now())
        uow.commit()
    return entries


def case_view(uow: UnitOfWork, case: Case) -> CaseView:
    """Within an open unit of work: the case as the API and pages show it."""
    instance = uow.instances.get(case.instance_id)
    tasks = [task_view(uow, row, instance.lock_version) for row in uow.tasks.open_for_case(case.id)]
    now = uow.clock.now()
    deadlines = [DeadlineView.of(d, now, uow.standard) for d in uow.deadlines.for_case_view(case.id)]
    afgoerelser = [AfgoerelseView.of(a) for a in uow.afgoerelser.for_case(case.id)]
    bevillinger = [BevillingView.of(b) for b in uow.bevillinger.for_case(case.id)]
    return CaseView.of(
        case, instance.version.version, instance.lock_version, tasks, deadlines, afgoerelser, bevillinger
    )
