"""Moving running cases to another version: a case waiting at its opfølgning moves from v1 to a v2 that
added a step and keeps its frister (task frist and timers, not restarted), its task row and claim, and its
journal; a dry run towards an incompatible v3 lists what cannot be mapped, and a mapping by hand places it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.definitions.deployment import read_forms
from tasks.work.timers import sweep_timers
from tests.conftest import TEST_PROCESSES
from tests.helpers import Api, make_user

OWNERS = TEST_PROCESSES / "owners"
FORMS = read_forms(OWNERS / "forms")
KEY = "bostoette_opfoelgning"


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    api = Api.login(client, "pia")
    bpmn = (OWNERS / "opfoelgning_v1.bpmn").read_text(encoding="utf-8")
    assert api.post("/process-definitions", json={"bpmn": bpmn, "forms": FORMS}).status_code == 201
    return api


def deploy_version(api: Api, name: str) -> int:
    bpmn = (OWNERS / name).read_text(encoding="utf-8")
    response = api.post("/process-definitions", json={"bpmn": bpmn, "forms": FORMS, "key": KEY})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["version"]


def at_opfoelgning(sara: Api) -> tuple[dict, dict]:
    case = sara.open_case(process=KEY, title="Bostøtte")
    sara.complete(sara.only_task(case["id"])["id"], {"note": "Bevilget"})
    task = sara.only_task(case["id"])
    assert task["bpmn_id"] == "opfoelgning"
    assert sara.post(f"/tasks/{task['id']}/claim").status_code == 200
    return case, task


def next_timer(services, case_id: int) -> datetime | None:
    with services.uow() as uow:
        return uow.instances.get(uow.cases.get(case_id).instance_id).next_timer_at


def test_a_case_at_its_opfoelgning_moves_to_a_version_that_added_a_step_keeping_frister_claim_and_journal(
    owner, sara, services, clock, client
):
    case, task = at_opfoelgning(sara)
    reminder_due = next_timer(services, case["id"])
    assert reminder_due == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 14 days after the opfølgning opened
    before = sara.get(f"/cases/{case['id']}").get_json()
    journal_before = sara.get(f"/cases/{case['id']}/journal").get_json()
    assert deploy_version(owner, "opfoelgning_v2.bpmn") == 2

    clock.advance(days=10)  # a duration timer that restarted now would be due on 17 December
    owner = Api.login(client, "pia")
    plan = owner.post(f"/cases/{case['id']}/migrate", json={"version": 2, "dry_run": True}).get_json()
    assert (plan["from_version"], plan["to_version"], plan["can_migrate"], plan["migrated"]) == (1, 2, True, False)
    assert [(t["from"], t["to"], t["kind"]) for t in plan["tasks"]] == [
        ("opfoelgning", "opfoelgning", "brugeropgave"),
        ("opfoelgning_frist", "opfoelgning_frist", "timer"),
        ("paamindelse", "paamindelse", "timer"),
    ]
    assert plan["tasks"][2]["due"] == "2026-12-07T09:00:00+00:00"
    assert sara_version(client, case["id"]) == 1  # the dry run changed nothing

    moved = owner.post(f"/cases/{case['id']}/migrate", json={"version": 2})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["migrated"] is True
    sara = Api.login(client, "sara")
    after = sara.get(f"/cases/{case['id']}").get_json()
    assert after["process_version"] == 2
    same = after["tasks"][0]
    assert (same["id"], same["assignee"], same["due_at"]) == (task["id"], "sara", task["due_at"])
    assert after["deadlines"] == before["deadlines"]
    assert next_timer(services, case["id"]) == reminder_due

    journal_after = sara.get(f"/cases/{case['id']}/journal").get_json()
    assert journal_after[: len(journal_before)] == journal_before
    assert journal_after[-1]["message"] == f"Sagen er flyttet fra version 1 til version 2 af '{KEY}'"
    assert journal_after[-1]["actor"] == "pia" and journal_after[-1]["process_version"] == 2

    clock.advance(days=4, minutes=1)
    assert sweep_timers(services, clock.now()).fired == 1  # the reminder, on its own day
    sara = Api.login(client, "sara")
    assert any(e["message"] == "Timer paamindelse udløst" for e in sara.get(f"/cases/{case['id']}/journal").get_json())
    sara.complete(task["id"], {"note": "Fulgt op"})
    assert sara.only_task(case["id"])["name"] == "Kontrollér bevillingen"  # the step v2 added


def sara_version(client, case_id: int) -> int:
    return Api.login(client, "sara").get(f"/cases/{case_id}").get_json()["process_version"]


def test_a_dry_run_towards_an_incompatible_version_lists_what_cannot_be_mapped(owner, sara, services):
    case, task = at_opfoelgning(sara)
    assert deploy_version(owner, "opfoelgning_v3.bpmn") == 2
    plan = owner.post(f"/cases/{case['id']}/migrate", json={"version": 2, "dry_run": True}).get_json()
    assert plan["can_migrate"] is False
    assert [(t["from"], t["to"]) for t in plan["tasks"]] == [
        ("opfoelgning", None),
        ("opfoelgning_frist", None),
        ("paamindelse", None),
    ]
    assert any("'Opfølgning' (opfoelgning) findes ikke i den nye version" in p for p in plan["problems"])
    assert any("(eller null for at droppe den)" in p for p in plan["problems"])

    refused = owner.post(f"/cases/{case['id']}/migrate", json={"version": 2})
    assert refused.status_code == 409
    assert "opfoelgning" in " ".join(refused.get_json()["errors"]["mapping"])
    assert sara.get(f"/cases/{case['id']}").get_json()["process_version"] == 1

    by_hand = {"opfoelgning": "opfoelgning_ny", "opfoelgning_frist": None, "paamindelse": None}
    plan = owner.post(
        f"/cases/{case['id']}/migrate", json={"version": 2, "dry_run": True, "mapping": by_hand}
    ).get_json()
    assert plan["can_migrate"] is True
    assert [(t["from"], t["to"], t["by_hand"], t["dropped"]) for t in plan["tasks"]] == [
        ("opfoelgning", "opfoelgning_ny", True, False),
        ("opfoelgning_frist", None, True, True),
        ("paamindelse", None, True, True),
    ]
    moved = owner.post(f"/cases/{case['id']}/migrate", json={"version": 2, "mapping": by_hand})
    assert moved.status_code == 200, moved.get_json()
    row = sara.only_task(case["id"])
    assert (row["id"], row["bpmn_id"], row["name"], row["assignee"]) == (
        task["id"],
        "opfoelgning_ny",
        "Opfølgning (ny)",
        "sara",
    )
    assert next_timer(services, case["id"]) is None  # the timers were dropped by hand
    journal = [e["message"] for e in sara.get(f"/cases/{case['id']}/journal").get_json()]
    assert journal[-1].endswith("(opfoelgning → opfoelgning_ny; opfoelgning_frist droppet; paamindelse droppet)")
    sara.complete(task["id"], {})
    assert sara.get(f"/cases/{case['id']}").get_json()["status"] == "closed"


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"version": 9}, 422, "har ingen version 9"),
        ({"version": 1}, 422, "kører allerede på version 1"),
        ({"version": 2, "mapping": {"bevilling": "kontrol"}}, 409, "sagen venter ikke ved det element"),
        ({"version": 2, "mapping": {"opfoelgning": "paamindet"}}, 409, "en anden slags element"),
        ({"version": 2, "mapping": {"opfoelgning": None}}, 409, "kan ikke droppes"),
        ({"version": "to"}, 422, "Skal være et heltal"),
    ],
    ids=["unknown-version", "same-version", "mapping-not-waiting", "mapping-other-kind", "drop-user-task", "not-int"],
)
def test_a_move_that_cannot_be_made_is_a_danish_4xx_and_changes_nothing(owner, sara, body, status, words):
    case, _ = at_opfoelgning(sara)
    deploy_version(owner, "opfoelgning_v2.bpmn")
    response = owner.post(f"/cases/{case['id']}/migrate", json=body)
    assert response.status_code == status, response.get_json()
    assert words in str(response.get_json())
    assert sara.get(f"/cases/{case['id']}").get_json()["process_version"] == 1


def test_only_process_owners_move_cases_and_an_unknown_case_is_404(owner, sara):
    case, _ = at_opfoelgning(sara)
    deploy_version(owner, "opfoelgning_v2.bpmn")
    assert sara.post(f"/cases/{case['id']}/migrate", json={"version": 2}).status_code == 403
    assert owner.post("/cases/999999/migrate", json={"version": 2}).status_code == 404


def test_all_running_cases_of_a_version_move_one_transaction_each(owner, sara, services):
    first, _ = at_opfoelgning(sara)
    second, second_task = at_opfoelgning(sara)
    sara.complete(second_task["id"], {})  # closed: not running, not moved
    third = sara.open_case(process=KEY)  # waiting at "Opret bevilling"
    deploy_version(owner, "opfoelgning_v2.bpmn")
    plan = owner.post(f"/process-definitions/{KEY}/versions/1/migrate", json={"version": 2, "dry_run": True}).get_json()
    assert [(p["case_id"], p["can_migrate"]) for p in plan] == [(first["id"], True), (third["id"], True)]
    done = owner.post(f"/process-definitions/{KEY}/versions/1/migrate", json={"version": 2}).get_json()
    assert [(p["case_id"], p["migrated"]) for p in done] == [(first["id"], True), (third["id"], True)]
    versions = {
        v["version"]: v["running_instances"] for v in owner.get("/process-definitions").get_json() if v["key"] == KEY
    }
    assert versions == {1: 0, 2: 2}
    assert sara.get(f"/cases/{second['id']}").get_json()["process_version"] == 1
