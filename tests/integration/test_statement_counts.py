"""Statement counts on hot paths (issue 19): how many statements a command sends, never how long it takes.

Each test counts only the statements of the part it is about, so a cache warmed by another test cannot change
the figure."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tasks.accounts.model import User
from tasks.cases.model import Case
from tasks.cases.opening import NewCase, open_case
from tasks.kvalitetsstandard.tables import standard_in_force
from tasks.letters.addressing import addressing
from tasks.service.actors import Actor
from tasks.work.completion import complete_task
from tasks.work.timers import fire_instance
from tests.helpers import henvendelse, make_user, partshoering, sql_sent, udredning


def test_the_kvalitetsstandard_in_force_reads_its_activations_in_one_statement_per_kind(services):
    with services.uow() as uow, sql_sent(services) as sent:
        standard = standard_in_force(uow)
        standard_in_force(uow)  # read once per command
    assert standard.catalogue is not None and standard.catalogue.ydelser is not None
    activations = [s for s in sent if "FROM version_activations" in s]
    assert len(activations) == 2  # the decision tables' and the catalogue's, with the versions they name


def test_a_letter_reads_the_case_parties_in_one_statement(services, clock):
    make_user(services, "sara", "sagsbehandler", team="Team 1")
    with services.uow() as uow:
        actor = Actor.of(uow.session.scalars(select(User).where(User.username == "sara")).one())
    case = open_case(services.uow(), actor, NewCase(ydelse="SEL § 85", citizen_name="Eva Jensen"), clock.now())
    with services.uow() as uow:
        row = uow.session.get_one(Case, case.id)
        with sql_sent(services) as sent:
            found = addressing(uow, row)
    assert found.recipient[0] == "Eva Jensen"
    assert len([s for s in sent if "FROM parties" in s]) == 1  # the citizen and the representatives together


def test_firing_a_timer_reads_the_instance_and_its_case_in_one_statement(services, clock):
    make_user(services, "sara", "sagsbehandler", team="Team 1")
    with services.uow() as uow:
        actor = Actor.of(uow.session.scalars(select(User).where(User.username == "sara")).one())
    case = open_case(services.uow(), actor, NewCase(ydelse="SEL § 85"), clock.now())
    task_id = case.tasks[0].id
    for data in (henvendelse(), udredning(), partshoering()):  # waits for the svarfrist timer
        task_id = complete_task(services.uow(), actor, task_id, data, clock.now()).next_tasks[0].id
    with services.uow() as uow:
        instance_id = uow.session.get_one(Case, case.id).instance_id
    with sql_sent(services) as sent:
        fired = fire_instance(services.uow(), instance_id, clock.now() + timedelta(days=60))
    assert fired
    assert len([s for s in sent if "FROM process_instances" in s or "FROM cases" in s]) == 1


def test_completing_a_task_reads_the_task_its_case_and_its_instance_in_one_statement(services, clock):
    make_user(services, "sara", "sagsbehandler", team="Team 1")
    with services.uow() as uow:
        actor = Actor.of(uow.session.scalars(select(User).where(User.username == "sara")).one())
    case = open_case(services.uow(), actor, NewCase(ydelse="SEL § 85"), clock.now())
    with sql_sent(services) as sent:
        done = complete_task(services.uow(), actor, case.tasks[0].id, henvendelse(), clock.now())
    assert done.next_tasks
    assert len([s for s in sent if "FROM process_instances" in s or "JOIN process_instances" in s]) == 1
    assert len([s for s in sent if s.startswith("SELECT") and "FROM human_tasks JOIN process_instances" in s]) == 1
