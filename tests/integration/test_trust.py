"""Who sees what, the access log, tokens, login limits and hostile input."""

from __future__ import annotations

import pytest

from tests.helpers import Api, henvendelse, make_user


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler", team="Team Nord")
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    make_user(services, "krise", "krisecenter", team=None)
    make_user(services, "krise2", "krisecenter", team=None)
    make_user(services, "admin", "administrator", team=None)


def test_another_teams_case_and_task_give_404_not_the_data(people, client):
    sara, syd = Api.login(client, "sara"), Api.login(client, "syd")
    case = sara.open_case(citizen={"cpr": "010190-1234", "name": "Jens Hansen"})
    task_id = sara.only_task(case["id"])["id"]
    for path in (f"/cases/{case['id']}", f"/cases/{case['id']}/journal", f"/tasks/{task_id}"):
        response = syd.get(path)
        assert response.status_code == 404 and b"Jens" not in response.data
    assert syd.post(f"/tasks/{task_id}/complete", json=henvendelse()).status_code == 404
    assert [t for t in syd.get("/tasks").get_json() if t["case_id"] == case["id"]] == []


def test_the_krisecenter_role_sees_only_the_stays_it_registered(people, client):
    krise, krise2 = Api.login(client, "krise"), Api.login(client, "krise2")
    response = krise.post("/cases", json={"process": "krisecenter", "stay_started_on": "2026-11-20"})
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert krise.get(f"/cases/{case['id']}").status_code == 200
    assert krise2.get(f"/cases/{case['id']}").status_code == 404


def test_every_read_of_a_case_is_in_the_access_log_which_only_administrators_read(people, client):
    sara, admin = Api.login(client, "sara"), Api.login(client, "admin")
    case = sara.open_case()
    sara.get(f"/cases/{case['id']}")
    sara.get(f"/cases/{case['id']}/journal")
    sara.get(f"/tasks/{sara.only_task(case['id'])['id']}")
    log = admin.get(f"/access-log?case_id={case['id']}").get_json()
    assert all(e["username"] == "sara" for e in log)
    assert {e["purpose"] for e in log} >= {"api:sag", "api:journal", "api:opgave"}
    assert all(e["case_reference"] == case["reference"] for e in log)
    assert sara.get("/access-log").status_code == 403
    assert sara.post("/access-log", json={}).status_code == 405


def test_only_administrators_manage_users(people, client):
    sara, admin = Api.login(client, "sara"), Api.login(client, "admin")
    new = {"username": "ny", "password": "hemmelig-1", "roles": ["leder"], "email": "ny@kommune.test"}
    assert sara.post("/users", json=new).status_code == 403
    created = admin.post("/users", json=new)
    assert created.status_code == 201 and created.get_json()["roles"] == ["leder"]
    bad_role = admin.post("/users", json={**new, "username": "x", "roles": ["chef"]})
    assert bad_role.status_code == 422 and "roles" in bad_role.get_json()["errors"]["json"]


def test_the_inbox_filtered_by_another_teams_caseworker_shows_nothing_of_that_team(people, client):
    sara, syd = Api.login(client, "sara"), Api.login(client, "syd")
    case = sara.open_case(citizen={"cpr": "010190-1234", "name": "Jens Hansen"})
    task_id = sara.only_task(case["id"])["id"]
    assert sara.post(f"/tasks/{task_id}/claim").status_code == 200
    assert [t["id"] for t in sara.get("/tasks?assignee=sara").get_json()] == [task_id]
    for wanted in ("sara", "sara' OR '1'='1", "%"):
        response = syd.get("/tasks", query_string={"assignee": wanted})
        assert response.status_code == 200 and response.get_json() == []
        assert b"Jens" not in response.data and case["reference"].encode() not in response.data


def test_the_same_inbox_filter_shows_each_caseworker_their_own_teams_tasks(people, client):
    """The inbox statement is built once per caseworker and filter (tasks.work.inbox): never another's."""
    sara, syd = Api.login(client, "sara"), Api.login(client, "syd")
    nord = sara.only_task(sara.open_case()["id"])["id"]
    sued = syd.only_task(syd.open_case()["id"])["id"]
    for _ in range(2):
        for api, own in ((sara, nord), (syd, sued)):
            for query in ({}, {"role": "sagsbehandler"}, {"assignee": ""}):
                assert [t["id"] for t in api.get("/tasks", query_string=query).get_json()] == [own]


def test_a_revoked_token_stops_working_and_tokens_expire(people, client, clock):
    sara = Api.login(client, "sara")
    assert sara.post("/auth/revoke").status_code == 204
    assert sara.get("/tasks").status_code == 401
    fresh = Api.login(client, "sara")
    clock.advance(hours=8, seconds=1)
    assert fresh.get("/tasks").status_code == 401


def test_a_deactivated_users_token_stops_working_and_a_token_carries_every_role_of_its_user(people, client):
    make_user(client.application.extensions["sagsflow"], "to_roller", "sagsbehandler", "leder", team="Team Nord")
    both = Api.login(client, "to_roller")
    assert both.get("/tasks").status_code == 200
    assert both.get("/statistics").status_code == 200  # a leder's list: the second role counts
    assert Api.login(client, "syd").get("/statistics").status_code == 403  # a sagsbehandler alone may not
    sara = Api.login(client, "sara")
    admin = Api.login(client, "admin")
    sara_id = next(u["id"] for u in admin.get("/users").get_json() if u["username"] == "sara")
    assert sara.get("/tasks").status_code == 200
    changed = client.patch(f"/api/v1/users/{sara_id}", json={"active": False}, headers=admin._headers())
    assert changed.status_code == 200
    refused = sara.get("/tasks")
    assert refused.status_code == 401 and "deaktiveret" in refused.get_json()["message"]


def test_logins_are_rate_limited_per_username(people, client, clock):
    for _ in range(5):
        wrong = client.post("/api/v1/auth/token", json={"username": "sara", "password": "forkert"})
        assert wrong.status_code == 401
    locked = client.post("/api/v1/auth/token", json={"username": "sara", "password": "korrekt-hest-1"})
    assert locked.status_code == 429
    clock.advance(minutes=16)
    assert client.post("/api/v1/auth/token", json={"username": "sara", "password": "korrekt-hest-1"}).status_code == 200


def test_oversized_bodies_wrong_content_types_and_huge_diagrams_get_4xx(people, client):
    sara = Api.login(client, "sara")
    headers = {"Authorization": f"Bearer {sara.token}"}
    huge = client.post(
        "/api/v1/cases", data=b"{" + b" " * 3_000_000 + b"}", headers={**headers, "Content-Type": "application/json"}
    )
    assert huge.status_code == 413
    form = client.post(
        "/api/v1/cases",
        data="process=sagsbehandling",
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 415
    not_object = client.post("/api/v1/tasks/1/complete", json=[1, 2, 3], headers=headers)
    assert 400 <= not_object.status_code < 500


def test_the_journal_and_access_log_cannot_be_changed_even_by_sql(people, client, services):
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DatabaseError

    from tasks.access.model import AccessLogEntry
    from tasks.journal.model import JournalEntry

    sara = Api.login(client, "sara")
    sara.get(f"/cases/{sara.open_case()['id']}")
    for statement in (update(JournalEntry).values(actor="x"), delete(AccessLogEntry)):
        with services.uow() as uow, pytest.raises(DatabaseError):
            uow.session.execute(statement)
