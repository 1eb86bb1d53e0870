"""A § 108 stay lasts decades: one case through 1 000 opfølgning rounds stays correct and small."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import ProcessInstance
from tasks.accounts.model import User
from tasks.cases.opening import NewCase, open_case
from tasks.cases.reading import get_case
from tasks.service.actors import Actor
from tasks.work.completion import complete_task
from tests.helpers import (
    afgoerelse,
    bevilling,
    henvendelse,
    make_user,
    opfoelgning,
    ophoer_uden_partshoering,
    partshoering,
    udredning,
)


@pytest.mark.slow
def test_one_case_runs_1000_opfoelgning_rounds_with_flat_state(services):
    make_user(services, "sara", "sagsbehandler")
    with services.uow() as uow:
        actor = Actor.of(uow.session.scalar(select(User).where(User.username == "sara")))
    now = services.clock.now
    case = open_case(services.uow(), actor, NewCase(title="§ 108", ydelse="SEL § 108"), now())
    steps = [
        henvendelse(),
        udredning(),
        partshoering(),
        {"svar_modtaget": "2026-11-30"},
        afgoerelse("bevilling"),
        bevilling(),
    ]
    for data in steps:
        complete_task(services.uow(), actor, case.tasks[0].id, data, now())
        case = get_case(services.uow(), actor, case.id)

    sizes = {}
    for round_number in range(1, 1001):
        assert [t.name for t in case.tasks] == ["Opfølgning"]
        complete_task(services.uow(), actor, case.tasks[0].id, opfoelgning(continues=True), now())
        case = get_case(services.uow(), actor, case.id)
        if round_number in (1, 1000):
            with services.uow() as uow:
                instance = uow.session.get(ProcessInstance, case_instance_id(uow, case.id))
                sizes[round_number] = (len(instance.state), instance.task_count)

    assert case.status == "open"
    assert [t.name for t in case.tasks] == ["Opfølgning"]
    (bytes_1, _), (bytes_1000, tasks_1000) = sizes[1], sizes[1000]
    assert tasks_1000 <= 150 and bytes_1000 < 3 * bytes_1 + 60_000, sizes
    complete_task(services.uow(), actor, case.tasks[0].id, opfoelgning(continues=False), now())
    for data in ophoer_uden_partshoering():  # an ophør is an afgørelse: the exception, then the decision
        case = get_case(services.uow(), actor, case.id)
        result = complete_task(services.uow(), actor, case.tasks[0].id, data, now())
    assert result.case_status == "closed"


def case_instance_id(uow, case_id: int) -> int:
    from tasks.cases.model import Case

    return uow.session.get(Case, case_id).instance_id
