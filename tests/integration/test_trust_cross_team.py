"""Trust IIa, written as the attacks that were found: no data crosses a team, client data is never
process control, four eyes on afvigelser, claims are respected."""

from __future__ import annotations

import pytest

from tests.helpers import (
    Api,
    afgoerelse,
    decided_case,
    henvendelse,
    make_user,
    partshoering,
    udredning,
)


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler", team="Team Nord")
    make_user(services, "soeren", "sagsbehandler", team="Team Nord")
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    make_user(services, "ulla", "sagsbehandler", team=None)
    make_user(services, "karen", "faglig_konsulent", team=None)
    make_user(services, "dobbelt", "sagsbehandler", "faglig_konsulent", team="Team Nord")
    make_user(services, "lars", "leder", team=None)
    make_user(services, "admin", "administrator", team=None)


def login(client, name: str) -> Api:
    return Api.login(client, name)


def test_a_self_made_klage_cannot_reach_another_teams_case(people, client):
    nord = decided_case(login(client, "sara"), citizen={"cpr": "010190-1234", "name": "Jens Hansen"})
    syd = login(client, "syd")
    forged = syd.post("/cases", json={"process": "klage", "details": {"parent_case_id": nord["id"]}})
    assert forged.status_code == 422
    assert syd.post(f"/cases/{nord['id']}/klager", json=_klage_body()).status_code == 404
    log = login(client, "admin").get(f"/access-log?case_id={nord['id']}").get_json()
    assert {e["username"] for e in log} == {"sara"}  # the attempts read nothing of the Nord case


def test_client_details_cannot_set_system_fields_or_unknown_keys(people, client):
    sara = login(client, "sara")
    for details in ({"parent_case_id": 1}, {"genoptagelse": "hjemvisning"}, {"sagsbehandlingsfrist": "2099-01-01"}):
        refused = sara.post("/cases", json={"title": "X", "ydelse": "SEL § 85", "details": details})
        assert refused.status_code == 422
        assert set(refused.get_json()["errors"]) == {f"details.{key}" for key in details}
    accepted = sara.open_case(details={"beskrivelse": "Ønsker hjælp til at handle ind"})
    assert accepted["status"] == "open"


def test_a_klage_needs_a_case_with_an_afgoerelse(people, client):
    sara = login(client, "sara")
    undecided = sara.open_case()
    refused = sara.post(f"/cases/{undecided['id']}/klager", json=_klage_body())
    assert refused.status_code == 422 and "ingen afgørelse" in refused.get_json()["message"]
    decided = decided_case(sara)
    assert sara.post(f"/cases/{decided['id']}/klager", json=_klage_body()).status_code == 201


def test_a_case_can_only_be_opened_in_ones_own_team(people, client):
    syd = login(client, "syd")
    refused = syd.post("/cases", json={"title": "X", "ydelse": "SEL § 85", "team": "Team Nord"})
    assert refused.status_code == 403 and "eget team" in refused.get_json()["message"]
    assert syd.open_case()["team"] == "Team Syd"


def test_a_sagsbehandler_without_a_team_sees_no_team_bound_case(people, client):
    case = login(client, "sara").open_case()
    ulla = login(client, "ulla")
    assert ulla.get(f"/cases/{case['id']}").status_code == 404
    assert [t for t in ulla.get("/tasks").get_json() if t["case_id"] == case["id"]] == []


def test_a_krisecenter_inbox_lists_only_the_tasks_of_its_own_stays(people, services, client):
    make_user(services, "krise", "krisecenter", team=None)
    make_user(services, "krise2", "krisecenter", team=None)
    krise, krise2, sara = login(client, "krise"), login(client, "krise2"), login(client, "sara")
    stay = krise.post("/cases", json={"process": "krisecenter", "team": "Team Nord", "stay_started_on": "2026-11-20"})
    assert stay.status_code == 201
    case_id = stay.get_json()["id"]
    sara.complete(sara.only_task(case_id)["id"], {"tilbudt_dato": "2026-11-23", "tilbud_modtaget": True})
    sara.complete(sara.only_task(case_id)["id"], {"opholdsplan_dato": "2026-11-24"})
    mine = [t for t in krise.get("/tasks").get_json() if t["case_id"] == case_id]
    assert [t["name"] for t in mine] == ["Registrér fraflytning"]
    assert [t for t in krise2.get("/tasks").get_json() if t["case_id"] == case_id] == []
    assert krise2.get(f"/tasks/{mine[0]['id']}").status_code == 404


def test_whoever_made_the_afgoerelse_cannot_approve_its_afvigelse(people, client):
    dobbelt = login(client, "dobbelt")
    case = dobbelt.open_case()
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}):
        dobbelt.complete(dobbelt.only_task(case["id"])["id"], data)
    dobbelt.complete(dobbelt.only_task(case["id"])["id"], afgoerelse(afvigelse=True))
    approval = dobbelt.only_task(case["id"])
    assert approval["name"] == "Godkend afvigelse"
    own = dobbelt.post(f"/tasks/{approval['id']}/complete", json={"godkendt": True, "kommentar": "OK"})
    assert own.status_code == 403 and "fire øjne" in own.get_json()["message"]
    karen = login(client, "karen")
    assert karen.complete(approval["id"], {"godkendt": True, "kommentar": "OK"})["task"]["status"] == "completed"


def test_a_task_claimed_by_a_colleague_stays_theirs_unless_a_leder_reassigns_it(people, client):
    sara, soeren, lars = login(client, "sara"), login(client, "soeren"), login(client, "lars")
    task = sara.only_task(sara.open_case()["id"])
    assert sara.post(f"/tasks/{task['id']}/claim").status_code == 200
    taken = soeren.post(f"/tasks/{task['id']}/assign", json={"username": "soeren"})
    assert taken.status_code == 403 and "sara" in taken.get_json()["message"]
    to_syd = lars.post(f"/tasks/{task['id']}/assign", json={"username": "syd"})
    assert to_syd.status_code == 422 and "username" in to_syd.get_json()["errors"]
    moved = lars.post(f"/tasks/{task['id']}/assign", json={"username": "soeren"})
    assert moved.status_code == 200 and moved.get_json()["assignee"] == "soeren"


def test_reading_the_letter_list_is_access_logged(people, client):
    sara = login(client, "sara")
    case = decided_case(sara)
    assert len(sara.get(f"/cases/{case['id']}/letters").get_json()) == 1
    log = login(client, "admin").get(f"/access-log?case_id={case['id']}").get_json()
    assert any(e["purpose"] == "api:breve" and e["username"] == "sara" for e in log)


def _klage_body() -> dict:
    return {"received_at": "2026-11-23T08:00:00+01:00", "decision_received_on": "2026-11-20"}
