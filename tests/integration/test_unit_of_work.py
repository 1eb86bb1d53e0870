"""A unit of work left without ``commit()`` stores nothing, whether it ended normally or with an error."""

from __future__ import annotations

from uuid import UUID

import pytest
from sqlalchemy import select

from tasks.accounts.model import User
from tasks.cases.opening import NewCase, open_case
from tasks.service.actors import Actor
from tasks.service.errors import Invalid
from tasks.work.completion import complete_task
from tests.helpers import henvendelse, make_user, udredning


def _sara(uow) -> User:
    return uow.session.scalars(select(User).where(User.username == "sara")).one()


def test_a_unit_of_work_left_without_commit_stores_nothing_even_what_it_flushed(services):
    make_user(services, "sara", "sagsbehandler", team="Team 1")
    with services.uow() as uow:
        _sara(uow).full_name = "Ændret uden commit"
        uow.session.flush()
    with services.uow() as uow:
        assert _sara(uow).full_name != "Ændret uden commit"


def test_a_failed_command_stores_nothing_and_the_next_one_commits(services):
    make_user(services, "sara", "sagsbehandler", team="Team 1")
    with pytest.raises(RuntimeError), services.uow() as uow:
        _sara(uow).full_name = "Fejlet"
        uow.session.flush()
        raise RuntimeError("the command failed")
    with services.uow() as uow:
        assert _sara(uow).full_name != "Fejlet"
        _sara(uow).full_name = "Sara Holm"
        uow.commit()
    with services.uow() as uow:
        assert _sara(uow).full_name == "Sara Holm"


def test_a_refused_completion_leaves_the_workflow_in_the_cache_and_a_failed_run_of_the_engine_does_not(services):
    """A workflow is taken out of the cache by a command; one only read goes back when the command ends without
    committing, so the caseworker's corrected form does not pay for loading the state again."""
    make_user(services, "sara", "sagsbehandler", team="Team 1")
    with services.uow() as uow:
        sara = Actor.of(_sara(uow))
    now = services.clock.now()
    cache = services.workflow.workflows
    task_id = open_case(services.uow(), sara, NewCase(ydelse="SEL § 85"), now).tasks[0].id
    with pytest.raises(Invalid):
        complete_task(services.uow(), sara, task_id, {}, now)  # the form's required fields are missing
    hits, misses = cache.hits, cache.misses
    task_id = complete_task(services.uow(), sara, task_id, henvendelse(), now).next_tasks[0].id
    assert (cache.hits, cache.misses) == (hits + 1, misses)

    with pytest.raises(RuntimeError), services.uow() as uow:
        task = uow.tasks.get(task_id)
        instance = uow.instances.get(task.instance_id)
        uow.instances.complete_task(instance, UUID(task.spiff_task_id), udredning(), now)
        raise RuntimeError("a handler failed after the engine ran: the workflow in memory is ahead of the database")
    hits, misses = cache.hits, cache.misses
    result = complete_task(services.uow(), sara, task_id, udredning(), now)
    assert (cache.hits, cache.misses) == (hits, misses + 1)  # loaded from the database, as stored
    assert [t.bpmn_id for t in result.next_tasks] == ["partshoering"]
