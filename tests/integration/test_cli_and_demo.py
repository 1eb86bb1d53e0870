"""The sagsflow command and the demo data."""

from __future__ import annotations

from click.testing import CliRunner

from tasks.actors import Actor
from tasks.inbox import InboxFilter, list_tasks
from tasks.models import User
from web.cli import main
from web.demo import DEMO_USERS, seed_demo


def test_users_add_refuses_an_unknown_role_by_name(database_url):
    runner = CliRunner()
    env = {"SAGSFLOW_DATABASE_URL": database_url}
    refused = runner.invoke(main, ["users", "add", "bo", "--password", "hemmelig1", "--role", "chef"], env=env)
    assert refused.exit_code != 0
    assert "Ukendt rolle: chef" in refused.output
    ok = runner.invoke(
        main, ["users", "add", "bo", "--password", "hemmelig1", "--role", "sagsbehandler", "--team", "Syd"], env=env
    )
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(main, ["users", "add", "bo", "--password", "hemmelig1", "--role", "leder"], env=env)
    assert again.exit_code != 0 and "optaget" in again.output


def test_deploy_command_reports_versions(database_url, tmp_path):
    from tests.conftest import PROCESSES

    runner = CliRunner()
    result = runner.invoke(
        main,
        ["deploy", str(PROCESSES / "sagsbehandling.bpmn")],
        env={"SAGSFLOW_DATABASE_URL": database_url, "SAGSFLOW_PROCESSES_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    assert "sagsbehandling version 1 (ny)" in result.output


def test_demo_seeds_every_role_and_cases_at_different_steps_once(services):
    seed_demo(services)
    seed_demo(services)
    with services.uow() as uow:
        users = {u.username: u.role_names for u in uow.session.query(User).all()}
        sara = Actor.of(uow.session.query(User).filter_by(username="sagsbehandler").one())
    assert set(users) == {u for u, *_ in DEMO_USERS}
    assert set().union(*users.values()) == {
        "sagsbehandler",
        "faglig_konsulent",
        "leder",
        "krisecenter",
        "procesejer",
        "administrator",
    }
    names = sorted(t.name for t in list_tasks(services.uow(), sara, InboxFilter()))
    assert names == ["Registrér partshøringssvar", "Vurdér henvendelse"]
