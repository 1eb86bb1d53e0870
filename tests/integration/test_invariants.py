"""The consistency checks find real breakage and pass on a healthy database."""

from __future__ import annotations

from sqlalchemy import select, update

from tasks.accounts.model import User
from tasks.cases.opening import NewCase, open_case
from tasks.ops.invariants import check_all
from tasks.service.actors import Actor
from tasks.work.completion import complete_task
from tasks.work.model import HumanTask
from tests.helpers import henvendelse, make_user


def test_a_healthy_database_has_no_violations_and_a_broken_projection_is_found(services):
    make_user(services, "sara", "sagsbehandler")
    with services.uow() as uow:
        sara = Actor.of(uow.session.scalar(select(User).where(User.username == "sara")))
    now = services.clock.now()
    case = open_case(services.uow(), sara, NewCase(title="Tjek", ydelse="SEL § 85"), now)
    complete_task(services.uow(), sara, case.tasks[0].id, henvendelse(), now)
    assert check_all(services.uow(), now) == []

    with services.uow() as uow:  # simulate a lost projection: the open task row vanished
        uow.session.execute(
            update(HumanTask).where(HumanTask.active.is_(True)).values(active=False, status="cancelled")
        )
        uow.commit()
    violations = check_all(services.uow(), now)
    assert len(violations) == 1 and "mangler en række" in violations[0]
