"""Two writers at once: one wins, the other gets a clean conflict; nothing is lost or doubled."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from tasks.accounts.model import User
from tasks.cases.opening import NewCase, open_case
from tasks.journal.model import JournalEntry
from tasks.service.actors import Actor
from tasks.service.errors import Conflict
from tasks.work.completion import complete_task
from tasks.work.model import HumanTask
from tests.helpers import henvendelse, make_user


def actor(services, username: str) -> Actor:
    with services.uow() as uow:
        return Actor.of(uow.session.scalar(select(User).where(User.username == username)))


def test_two_users_completing_the_same_task_at_once_complete_it_exactly_once(services):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "soeren", "sagsbehandler")
    sara, soeren = actor(services, "sara"), actor(services, "soeren")
    case = open_case(services.uow(), sara, NewCase(title="Samtidig", ydelse="SEL § 85"), services.clock.now())
    task_id = case.tasks[0].id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(who: Actor) -> None:
        barrier.wait()
        try:
            complete_task(services.uow(), who, task_id, henvendelse(), services.clock.now())
            outcomes.append("completed")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(a,)) for a in (sara, soeren)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["completed", "conflict"]
    with services.uow() as uow:
        completions = uow.session.scalar(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.action == "task_completed")
        )
        open_rows = uow.session.scalars(select(HumanTask.name).where(HumanTask.active.is_(True))).all()
    assert completions == 1
    assert open_rows == ["Udredning (VUM 2.0)"]
