"""Diagram code that slips past the deploy-time guard is stopped at run time; the service survives."""

from __future__ import annotations

import json

from tests.conftest import TEST_PROCESSES
from tests.helpers import Api, make_user

BOMB = "runder = sum(sum(range(100000)) for i in range(100000))"


def test_a_cpu_bomb_in_a_script_task_answers_422_changes_nothing_and_the_service_goes_on(services, client):
    make_user(services, "pia", "procesejer", team=None)
    make_user(services, "sara", "sagsbehandler")
    owner, sara = Api.login(client, "pia"), Api.login(client, "sara")
    loop = (TEST_PROCESSES / "loop.bpmn").read_text(encoding="utf-8")
    forms = {
        name: json.loads((TEST_PROCESSES / "forms" / name).read_text())
        for name in ("kvittering.schema.json", "loop_start.schema.json")
    }
    deployed = owner.post(
        "/process-definitions", json={"bpmn": loop.replace("runder = runder + 1", BOMB), "forms": forms}
    )
    assert deployed.status_code == 201, deployed.get_json()  # the guard sees no nested loop node

    case = sara.open_case(process="loop", details={"runder": 0})
    task = sara.only_task(case["id"])
    refused = sara.post(f"/tasks/{task['id']}/complete", json={"note": "runde 1"})
    assert refused.status_code == 422
    assert "taeller" in refused.get_json()["message"] and "CPU-tid" in refused.get_json()["message"]
    assert sara.only_task(case["id"])["id"] == task["id"]  # rolled back: the task is still there
    assert sara.get(f"/cases/{case['id']}").get_json()["version"] == case["version"]

    other = sara.open_case(title="Næste borger")  # the main pathway still runs
    assert other["tasks"][0]["name"] == "Vurdér henvendelse"
