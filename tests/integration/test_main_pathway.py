"""The main pathway driven through the API on each branch (issue: engine, main pathway, task API)."""

from __future__ import annotations

import pytest

from tests.helpers import (
    Api,
    afgoerelse,
    bevilling,
    henvendelse,
    make_user,
    opfoelgning,
    ophoer_uden_partshoering,
    partshoering,
    udredning,
)


@pytest.fixture
def fk(services, client) -> Api:
    make_user(services, "karen", "faglig_konsulent", team=None)
    return Api.login(client, "karen")


def drive_to_afgoerelse(sara: Api) -> int:
    case = sara.open_case()
    for name, data in [
        ("Vurdér henvendelse", henvendelse()),
        ("Udredning (VUM 2.0)", udredning()),
        ("Send partshøring", partshoering()),
        ("Registrér partshøringssvar", {"svar_modtaget": "2026-11-30", "borgerens_bemaerkninger": "OK"}),
    ]:
        task = sara.only_task(case["id"])
        assert task["name"] == name
        assert task["role"] == "sagsbehandler"
        sara.complete(task["id"], data)
    assert sara.only_task(case["id"])["name"] == "Træf afgørelse"
    return case["id"]


def test_bevilling_runs_into_recurring_opfoelgning_until_the_ydelse_ends(sara):
    case_id = drive_to_afgoerelse(sara)
    sara.complete(sara.only_task(case_id)["id"], afgoerelse("bevilling"))
    assert sara.only_task(case_id)["name"] == "Opret bevilling"
    sara.complete(sara.only_task(case_id)["id"], bevilling())
    for _ in range(3):
        task = sara.only_task(case_id)
        assert task["name"] == "Opfølgning"
        sara.complete(task["id"], opfoelgning(continues=True))
    sara.complete(sara.only_task(case_id)["id"], opfoelgning(continues=False))  # proposes an ophør: an afgørelse
    for data in ophoer_uden_partshoering():
        result = sara.complete(sara.only_task(case_id)["id"], data)
    assert result["case_status"] == "closed"
    case = sara.get(f"/cases/{case_id}").get_json()
    assert case["status"] == "closed" and case["tasks"] == [] and case["outcome"] == "bevilling"


def test_delvis_bevilling_with_afvigelse_waits_for_the_faglig_konsulent_and_continues_when_approved(sara, fk):
    case_id = drive_to_afgoerelse(sara)
    sara.complete(sara.only_task(case_id)["id"], afgoerelse("delvis_bevilling", afvigelse=True))
    approval = sara.get(f"/cases/{case_id}").get_json()["tasks"][0]
    assert (approval["name"], approval["role"]) == ("Godkend afvigelse", "faglig_konsulent")
    assert sara.get("/tasks").get_json() == [] or all(t["case_id"] != case_id for t in sara.get("/tasks").get_json())
    queue = fk.get("/tasks").get_json()
    assert [t["id"] for t in queue] == [approval["id"]]
    fk.complete(approval["id"], {"godkendt": True, "kommentar": "Begrundet"})
    assert sara.only_task(case_id)["name"] == "Opret bevilling"


def test_rejected_afvigelse_returns_the_afgoerelse_to_the_sagsbehandler(sara, fk):
    case_id = drive_to_afgoerelse(sara)
    sara.complete(sara.only_task(case_id)["id"], afgoerelse("bevilling", afvigelse=True))
    approval = fk.get("/tasks").get_json()[0]
    fk.complete(approval["id"], {"godkendt": False, "kommentar": "Ikke tilstrækkeligt begrundet"})
    task = sara.only_task(case_id)
    assert (task["name"], task["role"]) == ("Træf afgørelse", "sagsbehandler")
    actions = [e["action"] for e in sara.get(f"/cases/{case_id}/journal").get_json()]
    assert actions.count("task_completed") == 6


def test_afslag_ends_the_case_with_the_decision_recorded(sara):
    case_id = drive_to_afgoerelse(sara)
    result = sara.complete(sara.only_task(case_id)["id"], afgoerelse("afslag"))
    assert result["case_status"] == "closed"
    case = sara.get(f"/cases/{case_id}").get_json()
    assert (case["status"], case["outcome"], case["tasks"]) == ("closed", "afslag", [])
    journal = sara.get(f"/cases/{case_id}/journal").get_json()
    assert journal[-1]["action"] == "case_closed"
    assert all(e["process_version"] == 1 for e in journal)


def test_the_journal_records_who_did_what_on_which_version(sara):
    case = sara.open_case()
    task = sara.only_task(case["id"])
    sara.post(f"/tasks/{task['id']}/claim")
    sara.complete(task["id"], henvendelse())
    journal = sara.get(f"/cases/{case['id']}/journal").get_json()
    assert [(e["action"], e["actor"]) for e in journal] == [
        ("case_opened", "sara"),
        ("task_created", "system"),
        ("task_claimed", "sara"),
        ("task_completed", "sara"),
        ("task_created", "system"),
    ]
    assert journal[3]["task_name"] == "Vurdér henvendelse"


def test_opfoelgning_follows_the_cadence_of_the_kvalitetsstandard(sara):
    case_id = drive_to_afgoerelse(sara)
    sara.complete(sara.only_task(case_id)["id"], afgoerelse("bevilling"))
    sara.complete(sara.only_task(case_id)["id"], bevilling())  # § 85, start 4 January 2027
    first = sara.only_task(case_id)
    assert first["due_at"].startswith("2027-04-04T")  # first after 3 months
    assert "opfølgning" in first["frist_rule"]
    sara.complete(first["id"], {"opfoelgning_dato": "2027-04-01", "ydelse_fortsaetter": True})
    assert sara.only_task(case_id)["due_at"].startswith("2027-10-01T")  # then every 6 months from the last one


def test_completing_an_unclaimed_task_answers_with_the_caseworker_who_did_it(sara):
    case = sara.open_case()
    task = sara.only_task(case["id"])
    assert task["assignee"] is None
    done = sara.complete(task["id"], henvendelse())
    assert done["task"]["assignee"] == "sara" and done["task"]["status"] == "completed"
    assert sara.get(f"/tasks/{task['id']}").get_json()["assignee"] == "sara"  # as stored
