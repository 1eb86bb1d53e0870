"""The sagsflow command and the demo data."""

from __future__ import annotations

from click.testing import CliRunner

from tasks.accounts.model import User
from tasks.service.actors import Actor
from tasks.work.inbox import InboxFilter, list_tasks
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
    assert "Team Syd fandtes ikke og er oprettet" in ok.output
    again = runner.invoke(main, ["users", "add", "bo", "--password", "hemmelig1", "--role", "leder"], env=env)
    assert again.exit_code != 0 and "optaget" in again.output


def test_deploy_command_reports_versions(empty_database_url, tmp_path):
    from tests.conftest import PROCESSES

    runner = CliRunner()
    result = runner.invoke(
        main,
        ["deploy", str(PROCESSES / "sagsbehandling.bpmn")],
        env={"SAGSFLOW_DATABASE_URL": empty_database_url, "SAGSFLOW_PROCESSES_DIR": str(tmp_path)},
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
    assert names == [
        "Opfølgning",  # the decided § 85 case has its bevilling (and its afgørelsesbrev)
        "Registrér partshøringssvar",
        "Tilbyd koordinerende rådgivning",
        "Vurdér henvendelse",
    ]
    with services.uow() as uow:
        karen = Actor.of(uow.session.query(User).filter_by(username="konsulent").one())
    assert [t.name for t in list_tasks(services.uow(), karen, InboxFilter())] == ["Godkend afvigelse"]


def test_scheduler_once_sweeps_escalates_and_sends_mail(services, database_url):
    from datetime import UTC, datetime

    from tasks.accounts.users import add_user
    from tasks.cases.opening import NewCase, open_case
    from tests.smtp import SmtpServer

    add_user(services.uow(), "sara", "hemmelig1", ["sagsbehandler"], services.clock.now(), email="sara@kommune.test")
    add_user(services.uow(), "lars", "hemmelig1", ["leder"], services.clock.now(), email="lars@kommune.test")
    with services.uow() as uow:
        sara = Actor.of(uow.session.query(User).filter_by(username="sara").one())
    received = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # its 8-week frist passed long ago
    open_case(services.uow(), sara, NewCase(ydelse="SEL § 85", received_at=received), services.clock.now())
    server = SmtpServer()
    server.start()
    try:
        env = {
            "SAGSFLOW_DATABASE_URL": database_url,
            "SAGSFLOW_SMTP_HOST": "127.0.0.1",
            "SAGSFLOW_SMTP_PORT": str(server.port),
            "SAGSFLOW_MAIL_FROM": "sagsflow@kommune.test",
            "SAGSFLOW_BASE_URL": "https://sagsflow.kommune.test",
        }
        first = CliRunner().invoke(main, ["scheduler", "--once"], env=env)
        assert first.exit_code == 0, first.output
        second = CliRunner().invoke(main, ["scheduler", "--once"], env=env)
        assert second.exit_code == 0, second.output
    finally:
        server.stop()
    # Two frister passed (R1 and the letter task's); each person gets one mail listing both, once.
    assert sorted(r for m in server.messages for r in m.recipients) == ["lars@kommune.test", "sara@kommune.test"]
    assert all(b"https://sagsflow.kommune.test/sager/" in m.data for m in server.messages)
    assert all(b"Sagens behandling" in m.data and b"Underret borger" in m.data for m in server.messages)
