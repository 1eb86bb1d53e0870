"""Frister shown with their rule and state, escalated by e-mail through a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tasks.accounts.users import add_user
from tasks.frister.escalation import scan_deadlines
from tasks.mail.outbox import send_pending
from tasks.mail.smtp import SmtpMailer, SmtpSettings
from tasks.work.timers import sweep_timers
from tests.helpers import PASSWORD, Api, afgoerelse, henvendelse, partshoering, udredning
from tests.smtp import SmtpServer

CPR = "010190-1234"
CITIZEN = "Jens Hansen"
BASE_URL = "https://sagsflow.kommune.test"


@pytest.fixture
def people(services):
    now = services.clock.now()
    add_user(services.uow(), "sara", PASSWORD, ["sagsbehandler"], now, team="Team Nord", email="sara@kommune.test")
    add_user(services.uow(), "syd", PASSWORD, ["sagsbehandler"], now, team="Team Syd", email="syd@kommune.test")
    add_user(services.uow(), "lars", PASSWORD, ["leder"], now, email="lars@kommune.test")


@pytest.fixture
def sb(people, client) -> Api:
    return Api.login(client, "sara")


def mailer(server: SmtpServer) -> SmtpMailer:
    return SmtpMailer(SmtpSettings(host="127.0.0.1", port=server.port, sender="sagsflow@kommune.test"))


def sensitive_case(sb: Api, **fields) -> dict:
    return sb.open_case(
        title="Støtte efter hjerneskade",
        ydelse="SEL § 85",
        citizen={"cpr": CPR, "name": CITIZEN},
        details={"beskrivelse": "erhvervet hjerneskade"},
        **fields,
    )


def test_a_case_shows_its_sagsbehandlingsfrist_with_the_rule_and_state(sb):
    case = sensitive_case(sb)
    (r1,) = case["deadlines"]
    assert r1["rule"] == "Retssikkerhedsloven § 3, stk. 2: sagsbehandlingsfrist 8 uger for SEL § 85"
    assert r1["due"] == "2027-01-18T22:59:59+00:00"  # 8 weeks after Monday 23 November 2026
    assert (r1["state"], r1["near"]) == ("open", False)


def test_a_henvendelse_registered_late_is_overdue_at_once_and_escalates(services, clock, sb, smtp_server):
    received = clock.now() - timedelta(weeks=9)
    case = sensitive_case(sb, received_at=received.isoformat())
    assert case["deadlines"][0]["state"] == "overdue"
    # The R2 warning time has passed too: the sagsbehandler has the letter task at once.
    assert sweep_timers(services, clock.now()).fired == 0
    names = sorted(t["name"] for t in sb.get(f"/cases/{case['id']}").get_json()["tasks"])
    assert names == ["Underret borger om forventet afgørelse", "Vurdér henvendelse"]

    # Two frister passed: the case's R1 and the letter task's (due the same day); both go to the
    # leder and to the case's sagsansvarlig, one mail each listing both, never to Team Syd.
    result = scan_deadlines(services.uow(), clock.now(), BASE_URL)
    assert result.escalated == 2
    assert send_pending(services, mailer(smtp_server), clock.now()).sent == 2
    assert sorted(r for m in smtp_server.messages for r in m.recipients) == ["lars@kommune.test", "sara@kommune.test"]
    raw = b"".join(m.data for m in smtp_server.messages)
    assert b"Opgave: Sagens behandling" in raw and b"Opgave: Underret borger" in raw
    assert case["reference"].encode() in raw
    assert f"{BASE_URL}/sager/{case['id']}".encode() in raw
    for secret in (CPR, CPR.replace("-", ""), CITIZEN, "hjerneskade", "Jens"):
        assert secret.encode() not in raw, secret

    assert scan_deadlines(services.uow(), clock.now(), BASE_URL).mails == 0
    assert send_pending(services, mailer(smtp_server), clock.now()).sent == 0
    assert len(smtp_server.messages) == 2
    journal = [e["action"] for e in sb.get(f"/cases/{case['id']}/journal").get_json()]
    assert "deadline_overdue" in journal


def test_a_task_frist_warns_its_role_in_the_team_before_and_the_leder_after(services, clock, sb, smtp_server):
    case = sensitive_case(sb)
    for data in (henvendelse(), udredning(), partshoering(sent="2026-11-23", days=14)):
        sb.complete(sb.only_task(case["id"])["id"], data)
    svar = next(t for t in sb.get("/tasks").get_json() if t["name"] == "Registrér partshøringssvar")
    assert svar["frist_rule"] == "Forvaltningsloven § 19: borgerens svarfrist i partshøringen"
    assert svar["frist_state"] == "open"

    clock.set(datetime(2026, 12, 2, 8, 0, tzinfo=UTC))  # Wednesday: 3 hverdage before Monday 7 December
    sb = Api.login(sb.client, "sara")
    svar = next(t for t in sb.get("/tasks").get_json() if t["name"] == "Registrér partshøringssvar")
    assert svar["frist_state"] == "near"
    assert scan_deadlines(services.uow(), clock.now(), BASE_URL).warned == 1
    send_pending(services, mailer(smtp_server), clock.now())
    assert [m.recipients for m in smtp_server.messages] == [["sara@kommune.test"]]  # not Team Syd, not the leder
    assert (
        b"Frist n=C3=A6rmer sig" in smtp_server.messages[0].data
        or "nærmer sig".encode() in smtp_server.messages[0].data
    )


def test_an_smtp_outage_delays_mail_but_loses_none_and_sends_none_twice(services, clock, sb):
    server = SmtpServer()  # not started: the SMTP server is down
    sensitive_case(sb, received_at=(clock.now() - timedelta(weeks=9)).isoformat())
    sensitive_case(sb, received_at=(clock.now() - timedelta(weeks=10)).isoformat())
    # Per case: R1 and the letter task's frist; all four in one mail to sara and one to lars.
    assert scan_deadlines(services.uow(), clock.now(), BASE_URL).mails == 2
    down = send_pending(services, mailer(server), clock.now())
    assert (down.sent, down.failed) == (0, 2)

    server.start()
    try:
        assert send_pending(services, mailer(server), clock.now()).sent == 0  # backing off
        clock.advance(minutes=5)
        assert send_pending(services, mailer(server), clock.now()).sent == 2
        clock.advance(hours=2)
        assert send_pending(services, mailer(server), clock.now()).sent == 0
        recipients = sorted(r for m in server.messages for r in m.recipients)
        assert recipients == ["lars@kommune.test", "sara@kommune.test"]
        assert all(m.data.count(b"Sag: SAG-") == 4 for m in server.messages)
    finally:
        server.stop()


def test_making_the_afgoerelse_in_time_meets_the_sagsbehandlingsfrist(sb):
    case = sensitive_case(sb)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse("afslag")):
        sb.complete(sb.only_task(case["id"])["id"], data)
    deadlines = sb.get(f"/cases/{case['id']}").get_json()["deadlines"]
    assert [(d["rule_id"], d["state"]) for d in deadlines] == [("task:partshoering_svar", "met"), ("R1", "met")]


def test_a_daily_digest_rule_sends_one_oversigt_per_user_per_day(services, clock, sb, smtp_server):
    from dataclasses import replace

    from tasks.frister.escalation import send_digests
    from tasks.kvalitetsstandard.settings import EscalationRule

    services.standard = replace(services.standard, escalation=(EscalationRule("sagsbehandler", "*", 3, "leder", True),))
    first = sensitive_case(sb, received_at=(clock.now() - timedelta(weeks=7, days=4)).isoformat())
    second = sensitive_case(sb, received_at=(clock.now() - timedelta(weeks=7, days=5)).isoformat())
    assert scan_deadlines(services.uow(), clock.now(), BASE_URL).mails == 0  # no single warnings
    assert send_digests(services.uow(), clock.now(), BASE_URL) == 1
    assert send_digests(services.uow(), clock.now(), BASE_URL) == 0
    send_pending(services, mailer(smtp_server), clock.now())
    (digest,) = smtp_server.messages
    assert digest.recipients == ["sara@kommune.test"]
    assert first["reference"].encode() in digest.data and second["reference"].encode() in digest.data
    assert CPR.encode() not in digest.data and CITIZEN.encode() not in digest.data
    clock.advance(days=1)
    assert send_digests(services.uow(), clock.now(), BASE_URL) == 1
