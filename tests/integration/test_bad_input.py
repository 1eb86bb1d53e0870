"""Every bad input gets a clear error naming the field or element, and changes nothing."""

from __future__ import annotations

import pytest

from tests.helpers import Api, henvendelse, make_user, udredning


def journal_length(api: Api, case_id: int) -> int:
    return len(api.get(f"/cases/{case_id}/journal").get_json())


def test_a_form_missing_a_field_is_refused_with_the_field_named_and_nothing_changes(sara):
    case = sara.open_case()
    task = sara.only_task(case["id"])
    sara.complete(task["id"], henvendelse())
    task = sara.only_task(case["id"])
    before = journal_length(sara, case["id"])
    data = udredning()
    del data["livsomraader"]["mobilitet"]
    data["livsomraader"]["sundhed"]["niveau"] = "F"
    body = sara.complete(task["id"], data, expect=422)
    assert body["errors"]["livsomraader.mobilitet"] == ["Feltet skal udfyldes"]
    assert body["errors"]["livsomraader.sundhed.niveau"] == ["Vælg en af de mulige værdier"]
    assert sara.only_task(case["id"])["id"] == task["id"]
    assert journal_length(sara, case["id"]) == before


def test_an_unknown_form_field_is_refused(sara):
    case = sara.open_case()
    body = sara.complete(sara.only_task(case["id"])["id"], {**henvendelse(), "cpr": "010101-1234"}, expect=422)
    assert "Ukendte felter: cpr" in body["errors"]["_form"][0]


def test_a_task_completed_twice_gives_409(sara):
    case = sara.open_case()
    task = sara.only_task(case["id"])
    sara.complete(task["id"], henvendelse())
    body = sara.complete(task["id"], henvendelse(), expect=409)
    assert "allerede udført" in body["message"]


def test_a_stale_version_gives_409_and_changes_nothing(sara):
    case = sara.open_case()
    task = sara.get(f"/tasks/{sara.only_task(case['id'])['id']}").get_json()
    stale = task["version"] - 1
    response = sara.post(f"/tasks/{task['id']}/complete", json=henvendelse(), headers={"If-Match": str(stale)})
    assert response.status_code == 409
    assert "forældet version" in response.get_json()["message"]
    ok = sara.post(f"/tasks/{task['id']}/complete", json=henvendelse(), headers={"If-Match": str(task["version"])})
    assert ok.status_code == 200


def test_completing_a_task_claimed_by_someone_else_gives_403(services, client, sara):
    make_user(services, "soeren", "sagsbehandler")
    other = Api.login(client, "soeren")
    case = sara.open_case()
    task = sara.only_task(case["id"])
    assert sara.post(f"/tasks/{task['id']}/claim").status_code == 200
    response = other.post(f"/tasks/{task['id']}/complete", json=henvendelse())
    assert response.status_code == 403
    assert other.post(f"/tasks/{task['id']}/claim").status_code == 409
    assert sara.get(f"/tasks/{task['id']}").get_json()["status"] == "claimed"


def test_a_role_without_the_task_role_cannot_claim_or_complete(services, client, sara):
    make_user(services, "lars", "leder", team=None)
    leder = Api.login(client, "lars")
    case = sara.open_case()
    task = sara.only_task(case["id"])
    assert leder.post(f"/tasks/{task['id']}/claim").status_code == 403
    assert leder.post(f"/tasks/{task['id']}/complete", json=henvendelse()).status_code == 403
    assert leder.get("/tasks").get_json() == []


def test_assign_to_unknown_user_or_user_without_role_names_the_field(services, client, sara):
    make_user(services, "karen", "faglig_konsulent")
    case = sara.open_case()
    task = sara.only_task(case["id"])
    unknown = sara.post(f"/tasks/{task['id']}/assign", json={"username": "nobody"})
    assert unknown.status_code == 422 and "username" in unknown.get_json()["errors"]
    wrong_role = sara.post(f"/tasks/{task['id']}/assign", json={"username": "karen"})
    assert wrong_role.status_code == 422 and "rollen" in wrong_role.get_json()["errors"]["username"][0]


def test_an_unknown_process_or_field_on_case_creation_is_refused(sara):
    unknown = sara.post("/cases", json={"process": "findes_ikke"})
    assert unknown.status_code == 422 and "process" in unknown.get_json()["errors"]
    extra = sara.post("/cases", json={"navn_paa_borger": "x"})
    assert extra.status_code == 422 and "navn_paa_borger" in extra.get_json()["errors"]["json"]
    bad_cpr = sara.post("/cases", json={"citizen": {"cpr": "12345"}})
    assert bad_cpr.status_code == 422 and "cpr" in bad_cpr.get_json()["errors"]["json"]["citizen"]


def test_requests_without_a_valid_token_get_401(client):
    assert client.get("/api/v1/tasks").status_code == 401
    assert client.get("/api/v1/tasks", headers={"Authorization": "Bearer nonsense"}).status_code == 401
    wrong = client.post("/api/v1/auth/token", json={"username": "sara", "password": "forkert"})
    assert wrong.status_code == 401


def test_unknown_ids_give_404(sara):
    assert sara.get("/cases/999999").status_code == 404
    assert sara.get("/tasks/999999").status_code == 404
    assert sara.post("/tasks/999999/complete", json={}).status_code == 404


def test_malformed_json_gives_400_not_500(sara):
    response = sara.client.post(
        "/api/v1/cases",
        data="{not json",
        headers={"Authorization": f"Bearer {sara.token}", "Content-Type": "application/json"},
    )
    assert response.status_code in (400, 422)


def _raw_post(api: Api, path: str, raw: str):
    headers = {"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"}
    return api.client.post(f"/api/v1{path}", data=raw.encode("utf-8"), headers=headers)


def test_a_lone_surrogate_is_refused_with_400_not_a_500(sara):
    response = _raw_post(sara, "/cases", '{"title": "\\ud800", "ydelse": "SEL § 85"}')
    assert response.status_code == 400 and "surrogat" in response.get_json()["message"]


def test_a_body_nested_900_deep_is_refused_before_anything_walks_it(sara):
    deep = '{"title": "x", "details": ' + '{"a": ' * 900 + "1" + "}" * 900 + "}"
    response = _raw_post(sara, "/cases", deep)
    assert response.status_code == 400 and "indlejret for dybt" in response.get_json()["message"]


def test_a_moment_outside_the_calendar_is_refused_naming_the_field(sara):
    for moment in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "1850-01-01T00:00:00+00:00"):
        response = sara.post("/cases", json={"title": "x", "ydelse": "SEL § 85", "received_at": moment})
        assert response.status_code == 422, moment
        assert "received_at" in response.get_json()["errors"]["json"]


@pytest.mark.parametrize("cpr", ["010190-1234\n", " 010190-1234", "999999-9999", "310290-1234", "0101901234x"])
def test_a_cpr_number_must_be_exactly_a_valid_date_and_four_digits(sara, cpr):
    response = sara.post("/cases", json={"title": "x", "ydelse": "SEL § 85", "citizen": {"cpr": cpr}})
    assert response.status_code == 422
    assert "DDMMÅÅ-XXXX" in str(response.get_json()["errors"])


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234", "290200-4321"])
def test_valid_cpr_numbers_are_accepted_without_a_modulus_11_check(sara, cpr):
    assert sara.open_case(citizen={"cpr": cpr})["citizen"]["cpr"] == cpr
