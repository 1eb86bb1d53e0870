"""How the engine state is stored: on PostgreSQL compressed with lz4 (migration 0016), read back unchanged."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from engine.instances import WorkflowCache
from engine.models import ProcessInstance
from tasks.accounts.model import User
from tasks.cases.opening import NewCase, open_case
from tasks.service.actors import Actor
from tasks.work.completion import complete_task
from tasks.work.model import HumanTask
from tests.conftest import POSTGRES_URL
from tests.helpers import henvendelse, make_user, sql_sent, udredning


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's TOAST compression")
def test_a_case_state_is_stored_compressed_with_lz4_and_reads_back(services):
    make_user(services, "sara", "sagsbehandler")
    with services.uow() as uow:
        sara = Actor.of(uow.session.scalars(select(User).where(User.username == "sara")).one())
    now = services.clock.now()
    case = open_case(services.uow(), sara, NewCase(title="Lagring", ydelse="SEL § 85"), now)
    done = complete_task(services.uow(), sara, case.tasks[0].id, henvendelse(), now)
    with services.uow() as uow:
        compression, length = uow.session.execute(
            select(func.pg_column_compression(ProcessInstance.state), func.length(ProcessInstance.state))
        ).one()
    assert compression == "lz4" and length > 8000  # large enough that PostgreSQL compresses it at all

    cold = dataclasses.replace(services, workflow=dataclasses.replace(services.workflow, workflows=WorkflowCache()))
    with cold.uow() as uow:  # loaded from the stored text, not from the cache
        instance = uow.session.scalars(select(ProcessInstance)).one()
        ready = uow.instances.ready_user_task_ids(instance)
        opened = uow.session.get_one(HumanTask, done.next_tasks[0].id)
    assert opened.name == "Udredning (VUM 2.0)"
    assert ready == {opened.spiff_task_id}  # the engine, read back, waits on the task the case shows


def test_a_completion_reads_the_state_only_when_the_workflow_cache_lacks_it(services):
    make_user(services, "sara", "sagsbehandler")
    with services.uow() as uow:
        sara = Actor.of(uow.session.scalars(select(User).where(User.username == "sara")).one())
    now = services.clock.now()
    case = open_case(services.uow(), sara, NewCase(title="Cache", ydelse="SEL § 85"), now)

    with sql_sent(services) as warm:  # the workflow this process just committed is in its cache
        done = complete_task(services.uow(), sara, case.tasks[0].id, henvendelse(), now)
    assert not [s for s in warm if s.startswith("SELECT") and "process_instances.state" in s]

    cold = dataclasses.replace(services, workflow=dataclasses.replace(services.workflow, workflows=WorkflowCache()))
    with sql_sent(cold) as read:  # another process: the state is read from the database
        after = complete_task(cold.uow(), sara, done.next_tasks[0].id, udredning(), now)
    assert len([s for s in read if s.startswith("SELECT") and "process_instances.state" in s]) == 1
    assert [t.name for t in after.next_tasks] == ["Send partshøring"]
