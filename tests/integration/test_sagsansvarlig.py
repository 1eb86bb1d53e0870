"""Every case has a sagsansvarlig, and a passed frist mails a person — not the whole team."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tasks.accounts.model import Team
from tasks.accounts.users import add_user
from tasks.frister.escalation import scan_deadlines
from tasks.mail.outbox import send_pending
from tasks.mail.smtp import SmtpMailer, SmtpSettings
from tests.helpers import PASSWORD, Api, make_user

BASE_URL = "https://sagsflow.kommune.test"


def _user(services, name: str, *roles: str, team: str | None = "Team Nord") -> None:
    add_user(services.uow(), name, PASSWORD, list(roles), services.clock.now(), team=team, email=f"{name}@kommune.test")


@pytest.fixture
def big_team(services):
    for i in range(16):
        _user(services, f"sb{i:02d}", "sagsbehandler")
    _user(services, "lars", "leder", team=None)


def test_sixteen_caseworkers_ten_overdue_cases_two_owners_three_recipients_one_mail_each(
    services, clock, client, big_team, smtp_server
):
    owners = [Api.login(client, "sb00"), Api.login(client, "sb01")]
    late = (clock.now() - timedelta(weeks=9)).isoformat()
    for i in range(10):
        owners[i % 2].open_case(title=f"Sag {i}", received_at=late)
    result = scan_deadlines(services.uow(), clock.now(), BASE_URL)
    assert result.escalated == 20  # R1 and the underretning task of each case
    mailer = SmtpMailer(SmtpSettings(host="127.0.0.1", port=smtp_server.port))
    assert send_pending(services, mailer, clock.now()).sent == 3
    recipients = sorted(r for m in smtp_server.messages for r in m.recipients)
    assert recipients == ["lars@kommune.test", "sb00@kommune.test", "sb01@kommune.test"]
    per_person = {m.recipients[0]: m.data.count(b"Sag: SAG-") for m in smtp_server.messages}
    assert per_person == {"lars@kommune.test": 20, "sb00@kommune.test": 10, "sb01@kommune.test": 10}
    assert scan_deadlines(services.uow(), clock.now(), BASE_URL).mails == 0  # each frist once
    assert send_pending(services, mailer, clock.now()).sent == 0


def test_the_registering_sagsbehandler_is_sagsansvarlig_and_a_colleague_can_be_chosen(services, client):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "soeren", "sagsbehandler")
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    sara = Api.login(client, "sara")
    assert sara.open_case()["sagsansvarlig"] == "sara"
    assert sara.open_case(sagsansvarlig="soeren")["sagsansvarlig"] == "soeren"
    refused = sara.post("/cases", json={"title": "X", "ydelse": "SEL § 85", "sagsansvarlig": "syd"})
    assert refused.status_code == 422 and "sagsansvarlig" in refused.get_json()["errors"]


def test_the_sagsansvarlig_hands_over_a_leder_redistributes_others_may_not(services, client):
    for name, roles, team in (("sara", ("sagsbehandler",), "Team Nord"), ("soeren", ("sagsbehandler",), "Team Nord")):
        make_user(services, name, *roles, team=team)
    make_user(services, "lars", "leder", team=None)
    sara, soeren, lars = (Api.login(client, n) for n in ("sara", "soeren", "lars"))
    case = sara.open_case()
    assert soeren.post(f"/cases/{case['id']}/sagsansvarlig", json={"username": "soeren"}).status_code == 403
    assert sara.post(f"/cases/{case['id']}/sagsansvarlig", json={"username": "soeren"}).status_code == 200
    assert lars.post(f"/cases/{case['id']}/sagsansvarlig", json={"username": "sara"}).status_code == 200
    journal = [e["message"] for e in sara.get(f"/cases/{case['id']}/journal").get_json()]
    assert "Sagsansvarlig er nu soeren (før: sara)" in journal and "Sagsansvarlig er nu sara (før: soeren)" in journal


def test_a_stay_from_the_krisecenter_waits_undistributed_and_its_frister_go_to_the_team_mailbox(
    services, clock, client, smtp_server
):
    _user(services, "sara", "sagsbehandler")
    _user(services, "lars", "leder", team=None)
    _user(services, "krise", "krisecenter", team=None)
    with services.uow() as uow:
        uow.session.scalars(select(Team).where(Team.name == "Team Nord")).one().mailbox_email = "nord@kommune.test"
        uow.commit()
    krise, lars = Api.login(client, "krise"), Api.login(client, "lars")
    stay = krise.post("/cases", json={"process": "krisecenter", "team": "Team Nord", "stay_started_on": "2026-11-20"})
    case = stay.get_json()
    assert case["sagsansvarlig"] is None
    assert [c["reference"] for c in lars.get("/cases/ufordelte").get_json()] == [case["reference"]]
    clock.advance(days=10)  # the rådgivning target (7 days) has passed
    scan_deadlines(services.uow(), clock.now(), BASE_URL)
    send_pending(services, SmtpMailer(SmtpSettings(host="127.0.0.1", port=smtp_server.port)), clock.now())
    assert sorted(r for m in smtp_server.messages for r in m.recipients) == ["lars@kommune.test", "nord@kommune.test"]
    sara, lars = Api.login(client, "sara"), Api.login(client, "lars")  # ten days later: new tokens
    assert sara.post(f"/cases/{case['id']}/sagsansvarlig", json={"username": "sara"}).status_code == 200
    assert lars.get("/cases/ufordelte").get_json() == []


def test_mine_sager_lists_the_tasks_of_the_cases_i_am_responsible_for(services, client):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "soeren", "sagsbehandler")
    sara = Api.login(client, "sara")
    mine = sara.open_case(title="Min")
    sara.open_case(title="Hans", sagsansvarlig="soeren")
    listed = sara.get("/tasks?my_cases=true").get_json()
    assert {t["case_id"] for t in listed} == {mine["id"]}
