"""Call activities across diagrams: the called process is a deployed definition (the version in force
when the call starts, or pinned), its tasks are the calling case's tasks (same visibility, same journal),
and a running call keeps its version."""

from __future__ import annotations

import pytest

from tasks.definitions.deployment import read_forms
from tests.conftest import TEST_PROCESSES
from tests.helpers import Api, make_team, make_user

OWNERS = TEST_PROCESSES / "owners"
FORMS = read_forms(OWNERS / "forms")


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    return Api.login(client, "pia")


@pytest.fixture
def karen(services, client) -> Api:
    make_user(services, "karen", "faglig_konsulent", team=None)
    return Api.login(client, "karen")


def model(name: str, version: str = "nyeste") -> str:
    return (OWNERS / name).read_text(encoding="utf-8").replace('value="VERSION"', f'value="{version}"')


def deploy(api: Api, bpmn: str, expect: int = 201, **extra) -> dict:
    response = api.post("/process-definitions", json={"bpmn": bpmn, "forms": FORMS, **extra})
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def journal(api: Api, case_id: int) -> list[str]:
    return [e["message"] for e in api.get(f"/cases/{case_id}/journal").get_json()]


def test_a_call_to_another_deployed_diagram_runs_as_the_callers_tasks_and_keeps_its_version(owner, sara, karen):
    deploy(owner, model("kaldt.bpmn"))
    deploy(owner, model("kalder.bpmn"))
    case = sara.open_case(process="visitation", title="Visitation")
    sara.complete(sara.only_task(case["id"])["id"], {"note": "Visiteret"})
    prepare = sara.only_task(case["id"])
    assert (prepare["bpmn_id"], prepare["name"], prepare["role"]) == (
        "forbered",
        "Forbered bevillingsmødet",
        "sagsbehandler",
    )
    assert "Kaldeaktiviteten kald_moede kaldte processen 'bevillingsmoede' (version 1)" in journal(sara, case["id"])

    # a new version of the called process while the call runs: this call stays on version 1
    renamed = model("kaldt.bpmn").replace('name="Hold bevillingsmødet"', 'name="Hold mødet (ny)"')
    assert deploy(owner, renamed, key="bevillingsmoede")["version"] == 2
    sara.complete(prepare["id"], {"note": "Dagsorden sendt"})
    hold = karen.get(f"/cases/{case['id']}").get_json()["tasks"][0]
    assert (hold["name"], hold["role"]) == ("Hold bevillingsmødet", "faglig_konsulent")
    form = karen.get(f"/tasks/{hold['id']}").get_json()["form"]
    assert form["title"] == "Bevillingsmøde"  # the called version's form
    bad = karen.post(f"/tasks/{hold['id']}/complete", json={"indstilling": "måske"})
    assert bad.status_code == 422 and "indstilling" in bad.get_json()["errors"]
    karen.complete(hold["id"], {"indstilling": "bevilling"})

    finish = sara.only_task(case["id"])
    assert finish["name"] == "Afslut visitationen"
    with_context = sara.get(f"/tasks/{finish['id']}").get_json()
    assert with_context["bpmn_id"] == "afslut"
    sara.complete(finish["id"], {})
    assert sara.get(f"/cases/{case['id']}").get_json()["status"] == "closed"
    entries = journal(sara, case["id"])
    assert "Opgaven 'Hold bevillingsmødet' er udført" in entries and entries[-1] == "Sagen er afsluttet"

    # a new case calls the version in force now
    later = sara.open_case(process="visitation")
    sara.complete(sara.only_task(later["id"])["id"], {})
    assert "kaldte processen 'bevillingsmoede' (version 2)" in " ".join(journal(sara, later["id"]))
    sara.complete(sara.only_task(later["id"])["id"], {})
    assert karen.get(f"/cases/{later['id']}").get_json()["tasks"][0]["name"] == "Hold mødet (ny)"


def test_a_pinned_call_runs_its_version_whatever_is_in_force(owner, sara, karen):
    deploy(owner, model("kaldt.bpmn"))
    deploy(
        owner,
        model("kaldt.bpmn").replace('name="Hold bevillingsmødet"', 'name="Hold mødet (ny)"'),
        key="bevillingsmoede",
    )
    deploy(owner, model("kalder.bpmn", version="1"))
    case = sara.open_case(process="visitation")
    sara.complete(sara.only_task(case["id"])["id"], {})
    sara.complete(sara.only_task(case["id"])["id"], {})
    assert karen.get(f"/cases/{case['id']}").get_json()["tasks"][0]["name"] == "Hold bevillingsmødet"


def test_the_called_processes_tasks_have_the_callers_visibility(owner, sara, services, client):
    deploy(owner, model("kaldt.bpmn"))
    deploy(owner, model("kalder.bpmn"))
    case = sara.open_case(process="visitation")
    sara.complete(sara.only_task(case["id"])["id"], {})
    task = sara.only_task(case["id"])
    make_team(services, "Team Syd")
    make_user(services, "sofie", "sagsbehandler", team="Team Syd")
    sofie = Api.login(client, "sofie")
    assert sofie.get(f"/tasks/{task['id']}").status_code == 404
    assert all(t["case_id"] != case["id"] for t in sofie.get("/tasks").get_json())
    assert sofie.post(f"/tasks/{task['id']}/complete", json={}).status_code == 404


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda x: x.replace('calledElement="bevillingsmoede"', 'calledElement="findes_ikke"'),
            "hverken findes i filen",
        ),
        (lambda x: x.replace('value="nyeste"', 'value="7"'), "kalder version 7 af 'bevillingsmoede'"),
        (lambda x: x.replace('value="nyeste"', 'value="den nye"'), "har egenskaben version='den nye'"),
    ],
    ids=["unknown-process", "unknown-pinned-version", "bad-version-property"],
)
def test_a_call_that_cannot_be_made_is_refused_at_deploy_naming_the_call(owner, change, words):
    deploy(owner, model("kaldt.bpmn"))
    response = owner.post("/process-definitions", json={"bpmn": change(model("kalder.bpmn")), "forms": FORMS})
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()["errors"]["diagram"][0]
    assert (problem["element_id"], problem["element_name"]) == ("kald_moede", "Bevillingsmøde")
    assert words in problem["message"]


def test_a_called_process_whose_version_in_force_is_documentation_is_refused(owner):
    deploy(owner, model("kaldt.bpmn").replace(' isExecutable="true"', ""))
    response = owner.post("/process-definitions", json={"bpmn": model("kalder.bpmn"), "forms": FORMS})
    assert response.status_code == 422
    assert "dokumentationsmodel" in response.get_json()["errors"]["diagram"][0]["message"]


def test_two_diagrams_that_call_each_other_are_refused(owner):
    deploy(owner, model("kaldt.bpmn"))
    deploy(owner, model("kalder.bpmn"))
    calls_back = (
        model("kaldt.bpmn")
        .replace(
            '<bpmn:scriptTask id="noter" name="Notér mødet">',
            '<bpmn:callActivity id="igen" name="Visitér igen" calledElement="visitation">'
            "<bpmn:incoming>m3</bpmn:incoming><bpmn:outgoing>m5</bpmn:outgoing></bpmn:callActivity>"
            '<bpmn:sequenceFlow id="m5" sourceRef="igen" targetRef="noter" />'
            '<bpmn:scriptTask id="noter" name="Notér mødet">',
        )
        .replace(
            '<bpmn:sequenceFlow id="m3" sourceRef="hold" targetRef="noter" />',
            '<bpmn:sequenceFlow id="m3" sourceRef="hold" targetRef="igen" />',
        )
    )
    response = owner.post("/process-definitions", json={"bpmn": calls_back, "forms": FORMS, "key": "bevillingsmoede"})
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()["errors"]["diagram"][0]
    assert problem["element_id"] == "igen" and "bevillingsmoede → visitation → bevillingsmoede" in problem["message"]
