"""How the engine state is stored: on PostgreSQL compressed with lz4 (migration 0016), read back unchanged; and
read by a completion only when the workflow cache does not hold the workflow."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from engine.instances import WorkflowCache
from engine.models import ProcessInstance
from tasks.cases.opening import NewCase, open_case
from tasks.cases.views import CaseView
from tasks.service.actors import Actor
from tasks.service.services import Services
from tasks.work.completion import complete_task
from tasks.work.model import HumanTask
from tests.conftest import POSTGRES_URL
from tests.helpers import actor, henvendelse, make_user, sql_sent, udredning


@pytest.fixture
def sara(services) -> Actor:
    make_user(services, "sara", "sagsbehandler")
    return actor(services, "sara")


def open_one(services, sara: Actor) -> CaseView:
    return open_case(services.uow(), sara, NewCase(title="Lagring", ydelse="SEL § 85"), services.clock.now())


def with_empty_cache(services) -> Services:
    """The same database as another process sees it: no workflow in memory."""
    return dataclasses.replace(services, workflow=dataclasses.replace(services.workflow, workflows=WorkflowCache()))


def state_reads(sent: list[str]) -> int:
    return len([s for s in sent if s.startswith("SELECT") and "process_instances.state" in s])


@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's TOAST compression")
def test_a_case_state_is_stored_compressed_with_lz4_and_reads_back(services, sara):
    case = open_one(services, sara)
    done = complete_task(services.uow(), sara, case.tasks[0].id, henvendelse(), services.clock.now())
    with services.uow() as uow:
        compression, length = uow.session.execute(
            select(func.pg_column_compression(ProcessInstance.state), func.length(ProcessInstance.state))
        ).one()
    assert compression == "lz4" and length > 8000  # large enough that PostgreSQL compresses it at all

    with with_empty_cache(services).uow() as uow:  # loaded from the stored text, not from the cache
        instance = uow.session.scalars(select(ProcessInstance)).one()
        ready = uow.instances.ready_user_task_ids(instance)
        opened = uow.session.get_one(HumanTask, done.next_tasks[0].id)
    assert opened.name == "Udredning (VUM 2.0)"
    assert ready == {opened.spiff_task_id}  # the engine, read back, waits on the task the case shows


def test_a_completion_reads_the_state_only_when_the_workflow_cache_lacks_it(services, sara):
    case = open_one(services, sara)
    now = services.clock.now()
    with sql_sent(services) as warm:  # the workflow this process just committed is in its cache
        done = complete_task(services.uow(), sara, case.tasks[0].id, henvendelse(), now)
    assert state_reads(warm) == 0

    cold = with_empty_cache(services)
    with sql_sent(cold) as read:  # another process: the state is read from the database
        after = complete_task(cold.uow(), sara, done.next_tasks[0].id, udredning(), now)
    assert state_reads(read) == 1
    assert [t.name for t in after.next_tasks] == ["Send partshøring"]
