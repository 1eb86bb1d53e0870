"""A unit of work left without ``commit()`` stores nothing, whether it ended normally or with an error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tasks.accounts.model import User
from tests.helpers import make_user


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
