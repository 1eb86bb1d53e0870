"""Process owners I: any BPMN model is kept, refusals are Danish and name the element, identity is
explicit, and an earlier version can be made the one new cases use again (a rollback).

Each test deploys a model of one kind through the API, as a procesejer would bring it from another
tool, and checks the status, that the message is Danish (no English, no Python repr) and that it
names the element by its label and id.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tasks.definitions.deployment import read_forms
from tests.conftest import PROCESSES, TEST_PROCESSES
from tests.helpers import Api, make_user
from tests.ui.pages import Browser

OWNERS = TEST_PROCESSES / "owners"
FORMS = read_forms(OWNERS / "forms")
# Words that would betray a message passed through from SpiffWorkflow, lxml or Python.
ENGLISH = re.compile(
    r"\b(the|is not|not found|found|expected|missing|required|invalid|error|support|implementation|"
    r"attribute|element '|tag|Traceback|object at|specified|must)\b|0x[0-9a-f]{6,}",
    re.IGNORECASE,
)


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    return Api.login(client, "pia")


def model(name: str) -> str:
    return (OWNERS / name).read_text(encoding="utf-8")


def shipped() -> tuple[str, dict]:
    bpmn = (PROCESSES / "sagsbehandling.bpmn").read_text(encoding="utf-8")
    return bpmn, read_forms(PROCESSES / "forms")


def deploy(api: Api, bpmn: str, forms: dict | None = None, **extra):
    return api.post("/process-definitions", json={"bpmn": bpmn, "forms": FORMS if forms is None else forms, **extra})


def problems(response) -> list[dict]:
    return response.get_json()["errors"]["diagram"]


def assert_danish(text: str) -> None:
    english = ENGLISH.search(text.replace("isExecutable", "").replace("calledElement", ""))
    assert english is None, f"engelsk i en afvisning: {english.group(0)!r} i {text!r}"


def versions_of(api: Api, key: str) -> list[dict]:
    return [v for v in api.get("/process-definitions").get_json() if v["key"] == key]


# ---- documentation models -------------------------------------------------------------------------


def test_a_model_with_no_executable_process_is_kept_as_documentation_and_cannot_start_a_case(owner, sara):
    response = deploy(owner, model("dokumentation.bpmn"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["key"], body["version"], body["executable"], body["active"]) == ("bostoette_reference", 1, False, True)
    assert body["name"] == "Bostøtte (referencemodel)"
    listed = versions_of(owner, "bostoette_reference")
    assert [(v["version"], v["executable"]) for v in listed] == [(1, False)]

    download = owner.get("/process-definitions/bostoette_reference/versions/1/bpmn")
    assert download.status_code == 200 and download.mimetype == "application/xml"
    assert 'id="bostoette_reference"' in download.get_data(as_text=True)

    refused = sara.post("/cases", json={"title": "Forsøg", "process": "bostoette_reference"})
    assert refused.status_code == 422
    answer = refused.get_json()
    assert "dokumentationsmodel" in answer["message"] and "kan ikke starte sager" in answer["message"]
    assert "isExecutable" in answer["errors"]["process"][0]
    assert_danish(answer["message"])


def test_a_process_without_is_executable_counts_as_documentation(owner):
    bpmn = model("enkel.bpmn").replace(' isExecutable="true"', "").replace("Process_1", "uden_flag")
    body = deploy(owner, bpmn).get_json()
    assert (body["key"], body["executable"]) == ("uden_flag", False)


def test_a_documentation_model_is_checked_as_bpmn_but_not_as_a_run(owner):
    broken = model("dokumentation.bpmn").replace('targetRef="vurder"', 'targetRef="findes_ikke"')
    response = deploy(owner, broken)
    assert response.status_code == 422
    problem = problems(response)[0]
    assert problem["element_id"] == "r2" and "'findes_ikke', som ikke findes" in problem["message"]
    assert versions_of(owner, "bostoette_reference") == []


def test_a_documentation_version_of_a_shipped_pathway_is_refused(owner):
    bpmn, forms = shipped()
    as_documentation = bpmn.replace(
        'id="sagsbehandling" name="Sagsbehandling (voksne, Serviceloven)" isExecutable="true"',
        'id="sagsbehandling" name="Sagsbehandling (voksne, Serviceloven)" isExecutable="false"',
    )
    response = deploy(owner, as_documentation, forms, key="sagsbehandling")
    assert response.status_code == 422
    text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "skal" in text and "kunne køre" in text and "isExecutable" in text
    assert [v["version"] for v in versions_of(owner, "sagsbehandling")] == [1]


# ---- collaborations --------------------------------------------------------------------------------


def test_a_two_pool_collaboration_deploys_its_executable_pool_and_a_case_runs_on_it(owner, sara):
    response = deploy(owner, model("samarbejde.bpmn"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["key"], body["executable"], body["name"]) == ("hjaelpemiddel", True, "Hjælpemiddel (to puljer)")
    case = sara.open_case(process="hjaelpemiddel")
    task = sara.only_task(case["id"])
    assert (task["bpmn_id"], task["name"]) == ("behandl", "Behandl ansøgningen")
    sara.complete(task["id"], {"note": "Bevilget"})
    assert sara.get(f"/cases/{case['id']}").get_json()["status"] == "closed"


def test_two_executable_pools_that_do_not_call_each_other_are_refused_naming_both(owner):
    both = model("samarbejde.bpmn").replace(
        'id="borger" name="Borgeren" isExecutable="false"', 'id="borger" name="Borgeren" isExecutable="true"'
    )
    response = deploy(owner, both)
    assert response.status_code == 422
    found = problems(response)
    assert {p["element_id"] for p in found} == {"hjaelpemiddel", "borger"}
    assert "'Hjælpemiddel (to puljer)' (hjaelpemiddel)" in found[0]["message"]
    assert 'isExecutable="false"' in found[0]["message"]
    assert_danish(found[0]["message"])


def test_a_plain_task_in_the_executable_pool_is_refused_naming_it_and_what_to_use(owner):
    plain = (
        model("samarbejde.bpmn")
        .replace(
            '<bpmn:endEvent id="slut" name="Afgjort"><bpmn:incoming>k2</bpmn:incoming></bpmn:endEvent>',
            '<bpmn:task id="arkiver" name="Arkivér sagen"><bpmn:incoming>k2</bpmn:incoming>'
            "<bpmn:outgoing>k3</bpmn:outgoing>"
            '</bpmn:task><bpmn:endEvent id="slut" name="Afgjort"><bpmn:incoming>k3</bpmn:incoming></bpmn:endEvent>'
            '<bpmn:sequenceFlow id="k3" sourceRef="arkiver" targetRef="slut" />',
        )
        .replace(
            '<bpmn:sequenceFlow id="k2" sourceRef="behandl" targetRef="slut" />',
            '<bpmn:sequenceFlow id="k2" sourceRef="behandl" targetRef="arkiver" />',
        )
    )
    response = deploy(owner, plain)
    assert response.status_code == 422
    problem = problems(response)[0]
    assert (problem["element_id"], problem["element_name"]) == ("arkiver", "Arkivér sagen")
    assert "Opgaven 'Arkivér sagen' (arkiver)" in problem["message"] and "brugeropgave" in problem["message"]
    assert_danish(problem["message"])


def test_an_executable_process_that_cannot_run_is_refused_naming_each_problem(owner):
    bpmn = (
        model("samarbejde.bpmn")
        .replace('name="Sagsbehandler"', 'name="Kaffeholdet"')
        .replace('<spiffworkflow:property name="form" value="kvittering.schema.json" />', "")
    )
    response = deploy(owner, bpmn)
    assert response.status_code == 422
    messages = [p["message"] for p in problems(response) if p["element_id"] == "behandl"]
    assert any("ingen formular" in m for m in messages), messages
    assert any("'Kaffeholdet' svarer ikke til en kendt rolle" in m for m in messages), messages
    for message in messages:
        assert "'Behandl ansøgningen' (behandl)" in message
        assert_danish(message)


# ---- explicit identity ----------------------------------------------------------------------------


def test_a_file_whose_process_id_collides_with_a_deployed_process_is_refused_naming_both(owner):
    trivial = model("enkel.bpmn").replace('id="Process_1" name="Enkel proces"', 'id="klage" name="Min lille klage"')
    response = deploy(owner, trivial)
    assert response.status_code == 409, response.get_json()
    message = response.get_json()["message"]
    assert "'Min lille klage' (klage)" in message and "'Klage over en afgørelse' (klage)" in message
    assert 'key="klage"' in message
    assert [v["version"] for v in versions_of(owner, "klage")] == [1]


def test_unrelated_files_sharing_process_1_do_not_become_versions_of_each_other(owner):
    first = deploy(owner, model("enkel.bpmn"))
    assert first.status_code == 201 and first.get_json()["key"] == "Process_1"
    other = model("enkel.bpmn").replace('name="Første opgave"', 'name="Noget helt andet"')
    assert deploy(owner, other).status_code == 409
    named = deploy(owner, other, key="Process_1")
    assert (named.status_code, named.get_json()["version"]) == (201, 2)


def test_a_key_that_names_no_process_is_refused(owner):
    response = deploy(owner, model("enkel.bpmn"), key="findes_ikke")
    assert response.status_code == 422
    assert "Ingen udrullet proces hedder 'findes_ikke'" in response.get_json()["errors"]["key"][0]


def test_a_file_with_another_process_id_becomes_a_version_of_the_process_the_deploy_names(owner, sara):
    deploy(owner, model("enkel.bpmn").replace("Process_1", "bevilling_hjaelp"))
    uploaded = model("enkel.bpmn").replace("Process_1", "Process_0abc").replace("Første opgave", "Ny første opgave")
    body = deploy(owner, uploaded, key="bevilling_hjaelp").get_json()
    assert (body["key"], body["version"]) == ("bevilling_hjaelp", 2)
    case = sara.open_case(process="bevilling_hjaelp")
    assert sara.only_task(case["id"])["name"] == "Ny første opgave"


def test_a_new_version_of_a_shipped_pathway_that_renames_a_relied_on_id_is_refused_naming_it(owner):
    bpmn, forms = shipped()
    renamed = bpmn.replace('"behandling"', '"behandlingen"').replace(">behandling<", ">behandlingen<")
    response = deploy(owner, renamed, forms, key="sagsbehandling")
    assert response.status_code == 422, response.get_json()
    problem = next(p for p in problems(response) if p["element_id"] == "behandling")
    assert "Behold id'et 'behandling'" in problem["message"] and "afgørelsen registreres" in problem["message"]
    assert [v["version"] for v in versions_of(owner, "sagsbehandling")] == [1]


def test_the_modeler_names_the_process_it_was_opened_on(owner, client):
    browser = Browser.login(client, "pia")
    uploaded = model("enkel.bpmn").replace("Process_1", "Process_fra_fil")
    deploy(owner, model("enkel.bpmn").replace("Process_1", "modelleret"))
    token = browser.csrf("/processer")
    response = client.post("/processer/modelleret/udrul", json={"bpmn": uploaded}, headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["key"], response.get_json()["version"]) == ("modelleret", 2)
    assert versions_of(owner, "Process_fra_fil") == []


# ---- other tools' syntax, the XML schema, SpiffWorkflow's own errors ---------------------------------

GATEWAY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://x">
  <bpmn:process id="andet_vaerktoej" name="Fra et andet værktøj" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:exclusiveGateway id="godkendt" name="Godkendt?" default="f3"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing><bpmn:outgoing>f3</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="ja_slut"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="nej_slut"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="godkendt" />
    <bpmn:sequenceFlow id="f2" name="Ja" sourceRef="godkendt" targetRef="ja_slut">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">CONDITION</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" name="Nej" sourceRef="godkendt" targetRef="nej_slut" />
  </bpmn:process>
</bpmn:definitions>"""


@pytest.mark.parametrize(
    ("condition", "hint"),
    [
        ("${godkendt}", "JUEL/Camunda 7"),
        ("#{godkendt == true}", "JUEL/Camunda 7"),
        ('udfald == "bevilling"', "ét = i FEEL (ikke ==)"),
        ("godkendt == True", "ét = i FEEL (ikke ==)"),
        ("godkendt &amp;&amp; rettidig", "and og or i FEEL"),
        ("!afvist", "not(x)"),
        ("udfald = 'bevilling'", "dobbelte anførselstegn"),
    ],
    ids=["juel", "juel-hash", "python-eq", "python-true", "javascript-and", "javascript-not", "single-quotes"],
)
def test_a_condition_in_another_tools_syntax_is_refused_showing_the_feel_form(owner, condition, hint):
    response = deploy(owner, GATEWAY.replace("CONDITION", condition))
    assert response.status_code == 422
    problem = problems(response)[0]
    assert (problem["element_id"], problem["element_name"]) == ("f2", "Ja")
    assert "betingelsen på 'Ja' (f2)" in problem["message"]
    assert hint in problem["message"]
    assert 'Forventet FEEL, fx: udfald = "afslag"' in problem["message"]
    assert_danish(problem["message"].split("'")[0])


def test_a_leading_equals_sign_is_camunda_8s_feel_and_is_accepted(owner):
    assert deploy(owner, GATEWAY.replace("CONDITION", '=ydelse = "SEL § 85"')).status_code == 201


@pytest.mark.parametrize(
    ("change", "element", "words"),
    [
        (
            lambda x: x.replace('<bpmn:endEvent id="nej_slut">', '<bpmn:endEvent id="ja_slut">'),
            "ja_slut",
            "Id'et 'ja_slut' bruges både af",
        ),
        (
            lambda x: x.replace('<bpmn:endEvent id="nej_slut">', '<bpmn:slutning id="nej_slut">').replace(
                '</bpmn:endEvent>\n    <bpmn:sequenceFlow id="f1"', '</bpmn:slutning>\n    <bpmn:sequenceFlow id="f1"'
            ),
            "nej_slut",
            "<slutning> må ikke stå her",
        ),
        (
            lambda x: x.replace('id="godkendt" name="Godkendt?"', 'id="godkendt" name="Godkendt?" farve="rød"'),
            "godkendt",
            "Attributten 'farve' er ikke tilladt",
        ),
        (
            lambda x: x.replace(
                'id="godkendt" name="Godkendt?"', 'id="godkendt" name="Godkendt?" gatewayDirection="Sidelæns"'
            ),
            "godkendt",
            "vælg en af: Unspecified, Converging, Diverging, Mixed",
        ),
        (
            lambda x: x.replace(
                '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="godkendt" />',
                '<bpmn:sequenceFlow id="f1" sourceRef="start" />',
            ),
            "f1",
            "mangler attributten 'targetRef'",
        ),
        (
            lambda x: x.replace('<bpmn:startEvent id="start">', '<bpmn:startEvent id="1start">').replace(
                'sourceRef="start"', 'sourceRef="1start"'
            ),
            None,
            "men skal være et id",
        ),
        (
            lambda x: x.replace('<bpmn:startEvent id="start">', '<bpmn:startEvent id="start" isInterrupting="måske">'),
            "start",
            "skal være true eller false",
        ),
    ],
    ids=[
        "duplicate-id",
        "unknown-element",
        "unknown-attribute",
        "bad-enumeration",
        "missing-attribute",
        "bad-id",
        "bad-boolean",
    ],
)
def test_xml_schema_violations_are_refused_in_danish_naming_the_element(owner, change, element, words):
    response = deploy(owner, change(GATEWAY.replace("CONDITION", 'ydelse = "SEL § 85"')))
    assert response.status_code == 422, response.get_json()
    found = problems(response)
    text = " | ".join(p["message"] for p in found)
    assert words in text
    if element:
        assert element in [p["element_id"] for p in found]
    for problem in found:
        assert_danish(problem["message"].replace("Unspecified, Converging, Diverging, Mixed", ""))


def _process(body: str, extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://x">'
        f'{extra}<bpmn:process id="fejlbehaeftet" name="Fejlbehæftet" isExecutable="true">{body}</bpmn:process>'
        "</bpmn:definitions>"
    )


START = '<bpmn:startEvent id="start" name="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>'


@pytest.mark.parametrize(
    ("body", "extra", "element", "words"),
    [
        ('<bpmn:endEvent id="slut" name="Slut" />', "", "fejlbehaeftet", "har ingen startbegivenhed"),
        (
            START + '<bpmn:intermediateCatchEvent id="vent" name="Vent"><bpmn:incoming>f1</bpmn:incoming>'
            '<bpmn:timerEventDefinition id="vent_timer" /></bpmn:intermediateCatchEvent>'
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="vent" />',
            "",
            "vent",
            "siger ikke hvornår",
        ),
        (
            START + '<bpmn:subProcess id="del" name="Delforløb"><bpmn:incoming>f1</bpmn:incoming>'
            '<bpmn:startEvent id="del_start" /></bpmn:subProcess>'
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="del" />',
            "",
            "del",
            "har ingen slutbegivenhed",
        ),
        (
            START + '<bpmn:endEvent id="slut"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>'
            '<bpmn:dataStoreReference id="arkiv_ref" name="Arkiv" dataStoreRef="arkiv" />'
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="slut" />',
            '<bpmn:dataStore id="arkiv" name="Arkiv" />',
            "arkiv_ref",
            "ikke i et datalager",
        ),
        (
            START + '<bpmn:exclusiveGateway id="valg" name="Valg"><bpmn:incoming>f1</bpmn:incoming>'
            "<bpmn:outgoing>f2</bpmn:outgoing><bpmn:outgoing>f3</bpmn:outgoing></bpmn:exclusiveGateway>"
            '<bpmn:endEvent id="a"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>'
            '<bpmn:endEvent id="b"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>'
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="valg" />'
            '<bpmn:sequenceFlow id="f2" name="Ja" sourceRef="valg" targetRef="a"><bpmn:conditionExpression '
            'xsi:type="bpmn:tFormalExpression">ydelse = "x"</bpmn:conditionExpression></bpmn:sequenceFlow>'
            '<bpmn:sequenceFlow id="f3" name="Ellers" sourceRef="valg" targetRef="b" />',
            "",
            "f3",
            "uden betingelse og er ikke gatewayens standardflow",
        ),
        (
            START + '<bpmn:complexGateway id="kompleks" name="Kompleks"><bpmn:incoming>f1</bpmn:incoming>'
            "</bpmn:complexGateway>"
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="kompleks" />',
            "",
            "kompleks",
            "ikke kan køre",
        ),
        (
            START
            + '<bpmn:callActivity id="kald" name="Kald" calledElement="findes_ikke"><bpmn:incoming>f1</bpmn:incoming>'
            '</bpmn:callActivity><bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="kald" />',
            "",
            "kald",
            "hverken findes i filen eller er udrullet",
        ),
        (
            START + '<bpmn:scriptTask id="regn" name="Regn"><bpmn:incoming>f1</bpmn:incoming></bpmn:scriptTask>'
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="regn" />',
            "",
            "regn",
            "Scriptet er tomt",
        ),
        (
            START + '<bpmn:intermediateCatchEvent id="svar" name="Svar"><bpmn:incoming>f1</bpmn:incoming>'
            '<bpmn:messageEventDefinition id="svar_def" messageRef="ukendt" /></bpmn:intermediateCatchEvent>'
            '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="svar" />',
            "",
            "svar",
            "henviser til beskeden 'ukendt', som ikke findes",
        ),
    ],
    ids=[
        "no-start",
        "timer-without-time",
        "subprocess-without-end",
        "data-store",
        "flow-without-condition",
        "complex-gateway",
        "unknown-called-process",
        "empty-script",
        "unknown-message",
    ],
)
def test_spiffworkflows_own_refusals_come_back_in_danish_naming_the_element(owner, body, extra, element, words):
    response = deploy(owner, _process(body, extra))
    assert response.status_code == 422, response.get_json()
    found = problems(response)
    assert element in [p["element_id"] for p in found], found
    problem = next(p for p in found if p["element_id"] == element)
    assert words in problem["message"]
    assert_danish(problem["message"])


def test_a_file_that_is_not_xml_or_not_bpmn_is_refused_in_danish(owner):
    for text, words in (("<bpmn:definitions", "ikke gyldig XML"), ("<html><body/></html>", "ikke en BPMN 2.0-model")):
        response = deploy(owner, text)
        assert response.status_code == 422
        message = problems(response)[0]["message"]
        assert words in message
        assert_danish(message.split("navnerummet")[0])


# ---- rollback ------------------------------------------------------------------------------------


def _version_two_names(owner: Api) -> tuple[str, str]:
    a = model("enkel.bpmn").replace("Process_1", "bostoette")
    b = a.replace('name="Første opgave"', 'name="Første opgave (ny)"')
    assert deploy(owner, a).status_code == 201
    assert deploy(owner, b, key="bostoette").get_json()["version"] == 2
    return a, b


def test_redeploying_old_content_makes_it_the_version_new_cases_use(owner, sara):
    a, _ = _version_two_names(owner)
    body = deploy(owner, a, key="bostoette").get_json()
    assert (body["version"], body["created"], body["active"], body["activated"]) == (1, False, True, True)
    case = sara.open_case(process="bostoette")
    assert sara.get(f"/cases/{case['id']}").get_json()["process_version"] == 1
    assert sara.only_task(case["id"])["name"] == "Første opgave"
    active = [v["version"] for v in versions_of(owner, "bostoette") if v["active"]]
    assert active == [1]


def test_activating_an_earlier_version_is_a_recorded_rollback_and_running_cases_keep_theirs(owner, sara, clock):
    _version_two_names(owner)
    running = sara.open_case(process="bostoette")
    clock.advance(minutes=5)
    response = owner.post("/process-definitions/bostoette/versions/1/activate")
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["version"], response.get_json()["active"]) == (1, True)
    new = sara.open_case(process="bostoette")
    assert sara.only_task(new["id"])["name"] == "Første opgave"
    assert sara.only_task(running["id"])["name"] == "Første opgave (ny)"
    history = owner.get("/process-definitions/bostoette/activations").get_json()
    assert [(h["version"], h["reason"], h["activated_by"]) for h in history] == [
        (1, "deploy", "pia"),
        (2, "deploy", "pia"),
        (1, "activate", "pia"),
    ]
    assert history[-1]["previous_version"] == 2 and history[-1]["activated_at"].startswith("2026-11-23T09:05")
    again = owner.post("/process-definitions/bostoette/versions/1/activate").get_json()
    assert again["activated"] is False
    assert len(owner.get("/process-definitions/bostoette/activations").get_json()) == 3


def test_activation_is_for_process_owners_and_only_of_executable_versions(owner, sara):
    _version_two_names(owner)
    assert sara.post("/process-definitions/bostoette/versions/1/activate").status_code == 403
    assert owner.post("/process-definitions/bostoette/versions/9/activate").status_code == 404
    documentation = model("enkel.bpmn").replace("Process_1", "bostoette").replace(' isExecutable="true"', "")
    assert deploy(owner, documentation, key="bostoette").get_json()["executable"] is False
    refused = sara.post("/cases", json={"process": "bostoette"})
    assert refused.status_code == 422 and "dokumentationsmodel" in refused.get_json()["message"]
    response = owner.post("/process-definitions/bostoette/versions/3/activate")
    assert response.status_code == 422 and "dokumentationsmodel" in response.get_json()["message"]
    assert owner.post("/process-definitions/bostoette/versions/2/activate").status_code == 200
    assert sara.post("/cases", json={"process": "bostoette"}).status_code == 201


def test_a_decision_table_can_be_rolled_back_and_redeploying_old_content_activates_it(owner, sara):
    original = owner.get("/decisions/sagsbehandlingsfrist").get_json()["dmn_xml"]
    changed = original.replace('<text>"8 uger"</text>', '<text>"6 uger"</text>', 1)
    assert changed != original
    assert owner.post("/decisions", json={"dmn": changed}).get_json()["version"] == 2
    assert sara.open_case()["kvalitetsstandard"]["sagsbehandlingsfrist"] == 2
    body = owner.post("/decisions", json={"dmn": original}).get_json()
    assert (body["version"], body["created"], body["active"], body["activated"]) == (1, False, True, True)
    assert sara.open_case()["kvalitetsstandard"]["sagsbehandlingsfrist"] == 1
    assert owner.post("/decisions/sagsbehandlingsfrist/versions/2/activate").status_code == 200
    assert sara.open_case()["kvalitetsstandard"]["sagsbehandlingsfrist"] == 2
    history = owner.get("/decisions/sagsbehandlingsfrist/activations").get_json()
    assert [(h["version"], h["reason"]) for h in history][-3:] == [(2, "deploy"), (1, "redeploy"), (2, "activate")]
    assert sara.post("/decisions/sagsbehandlingsfrist/versions/1/activate").status_code == 403
    assert owner.post("/decisions/sagsbehandlingsfrist/versions/7/activate").status_code == 404


def test_the_activation_record_is_append_only(services, owner):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    _version_two_names(owner)
    with pytest.raises(DBAPIError):
        with services.uow() as uow:
            uow.session.execute(text("UPDATE version_activations SET activated_by = 'mallory'"))
            uow.commit()
    with pytest.raises(DBAPIError):
        with services.uow() as uow:
            uow.session.execute(text("DELETE FROM version_activations"))
            uow.commit()


def test_every_shipped_and_test_model_still_deploys(owner):
    """The stricter reading changed nothing for the models Sagsflow ships and tests with."""
    for path in sorted(Path(TEST_PROCESSES).glob("*.bpmn")):
        response = deploy(owner, path.read_text(encoding="utf-8"), read_forms(TEST_PROCESSES / "forms"))
        assert response.status_code in (201, 409), (path.name, response.get_json())


def test_a_restart_reading_the_shipped_files_again_does_not_undo_a_process_owners_version(owner, services, sara):
    from web.startup import deploy_processes

    bpmn, forms = shipped()
    changed = bpmn.replace('name="Vurdér henvendelse"', 'name="Vurdér henvendelsen grundigt"')
    assert deploy(owner, changed, forms, key="sagsbehandling").get_json()["version"] == 2
    table = owner.get("/decisions/sagsbehandlingsfrist").get_json()["dmn_xml"]
    assert owner.post("/decisions", json={"dmn": table.replace('"8 uger"', '"7 uger"', 1)}).get_json()["version"] == 2
    deploy_processes(services, PROCESSES)  # what every start does
    assert [v["version"] for v in versions_of(owner, "sagsbehandling") if v["active"]] == [2]
    case = sara.open_case()
    assert sara.only_task(case["id"])["name"] == "Vurdér henvendelsen grundigt"
    assert case["kvalitetsstandard"]["sagsbehandlingsfrist"] == 2
