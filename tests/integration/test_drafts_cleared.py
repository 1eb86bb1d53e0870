"""A task's drafts (anyone's unfinished form) go when the task closes, and only then.

Completing a task reads the task, its instance and the instance's other open tasks in one locking statement;
the drafts of what the command closed are deleted at commit in one statement, and none is sent for a task
that was read, under its lock, without drafts."""

from __future__ import annotations

from sqlalchemy import func, select

from tasks.cases.opening import NewCase, open_case
from tasks.cases.reading import get_case
from tasks.definitions.deployment import deploy_files
from tasks.drafts.model import Draft
from tasks.drafts.saving import load_draft, save_draft
from tasks.work.completion import complete_task
from tests.conftest import TEST_PROCESSES
from tests.helpers import actor, make_user, sql_sent


def drafts_stored(services) -> int:
    with services.uow() as uow:
        return uow.session.scalar(select(func.count()).select_from(Draft)) or 0


def test_completing_one_of_two_open_tasks_clears_its_drafts_and_leaves_the_other_task_and_draft(services):
    deploy_files(services.uow(), [TEST_PROCESSES / "parallel" / "to_spor.bpmn"], services.clock.now())
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "soeren", "sagsbehandler")
    sara, soeren = actor(services, "sara"), actor(services, "soeren")
    now = services.clock.now()
    case = open_case(services.uow(), sara, NewCase(process="to_spor"), now)
    tasks = {t.name: t.id for t in case.tasks}
    assert sorted(tasks) == ["Indhent oplysninger", "Vurdér behov"]
    oplysninger, behov = tasks["Indhent oplysninger"], tasks["Vurdér behov"]
    save_draft(services.uow(), sara, oplysninger, {"note": "ringet til egen læge"}, now)
    save_draft(services.uow(), soeren, oplysninger, {"note": "mangler svar"}, now)
    save_draft(services.uow(), sara, behov, {"note": "halvt udfyldt"}, now)

    with sql_sent(services) as sent:
        complete_task(services.uow(), sara, oplysninger, {}, now)
    assert len([s for s in sent if s.startswith("DELETE FROM drafts")]) == 1  # both users' drafts at once
    assert load_draft(services.uow(), soeren, oplysninger) is None
    assert load_draft(services.uow(), sara, oplysninger) is None
    assert [t.name for t in get_case(services.uow(), sara, case.id).tasks] == ["Vurdér behov"]
    kept = load_draft(services.uow(), sara, behov)
    assert kept is not None and kept.data == {"note": "halvt udfyldt"}

    complete_task(services.uow(), sara, behov, {}, now)
    assert drafts_stored(services) == 0
    assert get_case(services.uow(), sara, case.id).tasks == []


def test_completing_a_task_without_drafts_sends_no_delete(services):
    deploy_files(services.uow(), [TEST_PROCESSES / "parallel" / "to_spor.bpmn"], services.clock.now())
    make_user(services, "sara", "sagsbehandler")
    sara = actor(services, "sara")
    now = services.clock.now()
    case = open_case(services.uow(), sara, NewCase(process="to_spor"), now)
    behov = next(t.id for t in case.tasks if t.name == "Vurdér behov")
    oplysninger = next(t.id for t in case.tasks if t.name == "Indhent oplysninger")
    save_draft(services.uow(), sara, behov, {"note": "halvt udfyldt"}, now)  # on the other task

    with sql_sent(services) as sent:
        complete_task(services.uow(), sara, oplysninger, {}, now)
    assert [s for s in sent if s.startswith("DELETE FROM drafts")] == []
    assert drafts_stored(services) == 1


def test_a_row_read_without_drafts_in_a_rolled_back_savepoint_has_its_drafts_cleared_when_it_closes(services):
    """Rolling back to a savepoint releases the row locks taken after it, so a draft may be saved again: the
    unit of work forgets that it read the row without drafts."""
    deploy_files(services.uow(), [TEST_PROCESSES / "parallel" / "to_spor.bpmn"], services.clock.now())
    make_user(services, "sara", "sagsbehandler")
    sara = actor(services, "sara")
    case = open_case(services.uow(), sara, NewCase(process="to_spor"), services.clock.now())
    oplysninger = next(t.id for t in case.tasks if t.name == "Indhent oplysninger")

    class Undone(Exception):
        pass

    with services.uow() as uow:
        try:
            with uow.savepoint():
                assert uow.tasks.get_with_instance_for_update(oplysninger) is not None
                assert uow.tasks.has_no_drafts(oplysninger)
                raise Undone
        except Undone:
            pass
        assert not uow.tasks.has_no_drafts(oplysninger)
