"""Deploying diagrams: versions, running instances keep theirs, bad diagrams refused with the element."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PROCESSES
from tests.helpers import Api, make_user


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    return Api.login(client, "pia")


def shipped() -> tuple[str, dict]:
    bpmn = (PROCESSES / "sagsbehandling.bpmn").read_text(encoding="utf-8")
    forms = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (PROCESSES / "forms").glob("*.json")}
    return bpmn, forms


def test_a_changed_diagram_is_version_2_and_a_running_case_stays_on_version_1(owner, sara):
    case = sara.open_case()
    bpmn, forms = shipped()
    changed = bpmn.replace('name="Vurdér henvendelse"', 'name="Vurdér den nye henvendelse"')
    response = owner.post("/process-definitions", json={"bpmn": changed, "forms": forms, "key": "sagsbehandling"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"] == 2
    assert sara.only_task(case["id"])["name"] == "Vurdér henvendelse"
    assert sara.get(f"/cases/{case['id']}").get_json()["process_version"] == 1
    new_case = sara.open_case()
    assert sara.only_task(new_case["id"])["name"] == "Vurdér den nye henvendelse"
    versions = {(v["key"], v["version"]): v["running_instances"] for v in owner.get("/process-definitions").get_json()}
    assert versions[("sagsbehandling", 1)] == 1 and versions[("sagsbehandling", 2)] == 1


def test_the_same_content_deployed_again_is_not_a_new_version(owner):
    bpmn, forms = shipped()
    body = owner.post("/process-definitions", json={"bpmn": bpmn, "forms": forms, "key": "sagsbehandling"}).get_json()
    assert (body["version"], body["created"], body["active"]) == (1, False, True)


@pytest.mark.parametrize(
    ("change", "element", "words"),
    [
        (
            lambda x: x.replace(
                '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfald = "afslag"',
                '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfald = = "afslag"',
            ),
            "flow_afslag",
            "Ugyldigt udtryk",
        ),
        (
            lambda x: x.replace(
                '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfald = "afslag"',
                '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfald == "afslag"',
            ),
            "flow_afslag",
            "Sammenligning skrives med ét = i FEEL",
        ),
        (
            lambda x: x.replace(
                '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfald = "afslag"',
                '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfaldet = "afslag"',
            ),
            "flow_afslag",
            "Ukendt navn 'udfaldet'",
        ),
        (
            lambda x: x.replace("deadline(start: naeste_sparring, weeks: 2)", "deadline(naeste_sparring, weeks=2)"),
            "sparringsgruppe",
            "weeks: ..., ikke weeks=",
        ),
        (lambda x: x.replace('name="Faglig konsulent"', 'name="Direktionen"'), "godkend_afvigelse", "Direktionen"),
        (
            lambda x: x.replace('value="bevilling.schema.json"', 'value="mangler.schema.json"'),
            "bevilling",
            "mangler.schema.json",
        ),
        (lambda x: x[: len(x) // 2], None, "ikke gyldig XML"),
    ],
    ids=[
        "bad-condition",
        "python-condition",
        "unknown-name",
        "python-keyword-argument",
        "unknown-role-lane",
        "missing-form",
        "truncated-xml",
    ],
)
def test_a_broken_diagram_is_refused_naming_the_element_and_nothing_is_deployed(owner, change, element, words):
    bpmn, forms = shipped()
    response = owner.post("/process-definitions", json={"bpmn": change(bpmn), "forms": forms, "key": "sagsbehandling"})
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert words in json.dumps(body, ensure_ascii=False)
    if element:
        assert element in [p["element_id"] for p in body["errors"]["diagram"]]
    versions = owner.get("/process-definitions").get_json()
    assert [v["version"] for v in versions if v["key"] == "sagsbehandling"] == [1]


def test_only_process_owners_deploy(sara):
    bpmn, forms = shipped()
    assert sara.post("/process-definitions", json={"bpmn": bpmn, "forms": forms}).status_code == 403


def test_the_openapi_document_is_served(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/tasks/{task_id}/complete" in doc["paths"]
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
