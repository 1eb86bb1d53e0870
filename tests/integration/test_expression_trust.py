"""Diagrams and tables are data: escapes are refused at deploy, runaway work is stopped, the service goes on.

Written as the attacks a procesejer account could make through the API (issues 10 and 11): each
must be answered with a 422 naming the element, change nothing, write no file on the host, and
leave the service answering normally.
"""

from __future__ import annotations

import json
import time

import pytest

from engine.limits import EngineLimits
from tasks.definitions.deployment import read_forms
from tests.conftest import PROCESSES, TEST_PROCESSES
from tests.helpers import Api, make_user
from web.config import Settings

LIMITS = EngineLimits(max_steps=500, max_state_bytes=200_000)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, processes_dir=PROCESSES, secret_key="test", engine_limits=LIMITS)


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    return Api.login(client, "pia")


@pytest.fixture
def sara(services, client) -> Api:
    make_user(services, "sara", "sagsbehandler")
    return Api.login(client, "sara")


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "pwned"
    yield path
    assert not path.exists(), "a deployed expression wrote a file on the host"


def shipped() -> tuple[str, dict]:
    bpmn = (PROCESSES / "sagsbehandling.bpmn").read_text(encoding="utf-8")
    forms = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in (PROCESSES / "forms").glob("*.json")}
    return bpmn, forms


def escapes(marker) -> list[str]:
    return [
        f"__import__('os').system('touch {marker}')",
        f"(x for x in [1]).gi_frame.f_back.f_globals['os'].system('touch {marker}')",
        '"{0.__class__.__mro__}".format(udfald)',
        "''.__class__.__base__.__subclasses__()",
        f"[c for c in [1] if (o := __import__('os')).system('touch {marker}')]",
        f"f\"{{open('{marker}', 'w')}}\"",
        "getattr(udfald, '__class__')",
        "__import__('pickle').loads(b'')",
    ]


PLACES = [
    ('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">udfald = "afslag"', "flow_afslag"),
    (
        "deadline(start: partshoering_sendt, days: partshoering_svarfrist_dage, roll_forward: true)</bpmn:timeDate>",
        "partshoering_svarfrist",
    ),
    ('ny_kadence = ""</bpmn:script>', "planlaeg_naeste"),
]


def _inject(bpmn: str, needle: str, payload: str) -> str:
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if needle.startswith("<bpmn:conditionExpression"):
        return bpmn.replace(needle, needle.split(">")[0] + ">" + escaped)
    if needle.endswith("</bpmn:script>"):
        return bpmn.replace(needle, f'ny_kadence = ""\nbilag = {escaped}</bpmn:script>')
    return bpmn.replace(needle, f"{escaped}</bpmn:timeDate>")


@pytest.mark.parametrize(("needle", "element"), PLACES, ids=["condition", "timer", "script"])
def test_known_escapes_in_a_diagram_are_refused_at_deploy_naming_the_element(owner, marker, needle, element):
    bpmn, forms = shipped()
    for payload in escapes(marker):
        changed = _inject(bpmn, needle, payload)
        assert changed != bpmn
        response = owner.post("/process-definitions", json={"bpmn": changed, "forms": forms})
        assert response.status_code == 422, (payload, response.get_json())
        assert element in [p["element_id"] for p in response.get_json()["errors"]["diagram"]], payload
    versions = owner.get("/process-definitions").get_json()
    assert [v["version"] for v in versions if v["key"] == "sagsbehandling"] == [1]


def test_known_escapes_in_a_decision_table_are_refused_naming_the_rule(owner, marker):
    xml = owner.get("/decisions/sagsbehandlingsfrist").get_json()["dmn_xml"]
    before = owner.get("/decisions").get_json()
    for payload in escapes(marker):
        escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for old in ('<text>"SEL § 82 a"</text>', '<text>"8 uger"</text>', "<text>ydelse</text>"):
            response = owner.post("/decisions", json={"dmn": xml.replace(old, f"<text>{escaped}</text>", 1)})
            assert response.status_code == 422, (payload, old, response.get_json())
            assert response.get_json()["errors"]["diagram"][0]["element_id"] in ("regel_1", "input_ydelse")
    assert owner.get("/decisions").get_json() == before


def test_a_self_calling_call_activity_and_a_zero_cycle_are_refused_at_deploy(owner):
    bpmn, forms = shipped()
    self_call = bpmn.replace(
        '<bpmn:userTask id="bevilling" name="Opret bevilling">',
        '<bpmn:callActivity id="igen_og_igen" name="Igen" calledElement="sagsbehandling" />'
        '<bpmn:userTask id="bevilling" name="Opret bevilling">',
    )
    response = owner.post("/process-definitions", json={"bpmn": self_call, "forms": forms})
    assert response.status_code == 422
    assert "igen_og_igen" in [p["element_id"] for p in response.get_json()["errors"]["diagram"]]
    cycle = bpmn.replace(
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">sagsbehandlingsfrist_varsel</bpmn:timeDate>',
        '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">"R/PT0S"</bpmn:timeCycle>',
    )
    response = owner.post("/process-definitions", json={"bpmn": cycle, "forms": forms})
    assert response.status_code == 422
    problem = response.get_json()["errors"]["diagram"][0]
    assert problem["element_id"] == "sagsbehandlingsfrist_varsel" and "mindst 1 time" in problem["message"]


def _busy_loop(owner: Api) -> None:
    """loop.bpmn with its gateway sending the count back to the script instead of to the user task."""
    loop = (TEST_PROCESSES / "loop.bpmn").read_text(encoding="utf-8")
    busy = loop.replace(
        '<bpmn:sequenceFlow id="f5" sourceRef="igen" targetRef="merge">',
        '<bpmn:sequenceFlow id="f5" sourceRef="igen" targetRef="taeller">',
    )
    busy = busy.replace(
        "<bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>",
        "<bpmn:incoming>f3</bpmn:incoming><bpmn:incoming>f5</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>",
    )
    busy = busy.replace(
        "<bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f5</bpmn:incoming>", "<bpmn:incoming>f1</bpmn:incoming>"
    )
    forms = read_forms(TEST_PROCESSES / "forms")
    response = owner.post("/process-definitions", json={"bpmn": busy, "forms": forms})
    assert response.status_code == 201, response.get_json()


def test_a_loop_that_never_waits_is_stopped_with_422_rolled_back_and_the_service_goes_on(owner, sara):
    _busy_loop(owner)
    case = sara.open_case(process="loop", details={"runder": 0})
    task = sara.only_task(case["id"])
    started = time.monotonic()
    refused = sara.post(f"/tasks/{task['id']}/complete", json={"fortsaet": True})
    assert time.monotonic() - started < 3
    assert refused.status_code == 422
    message = refused.get_json()["message"]
    assert "Processen stoppede ikke" in message and ("taeller" in message or "igen" in message)
    assert sara.only_task(case["id"])["id"] == task["id"]  # rolled back: the task is still open
    assert sara.get(f"/cases/{case['id']}").get_json()["version"] == case["version"]
    done = sara.complete(task["id"], {"fortsaet": False})
    assert done["case_status"] == "closed"
    assert sara.open_case(title="Næste borger")["tasks"][0]["name"] == "Vurdér henvendelse"


def test_process_data_over_the_state_cap_is_refused_naming_its_size_and_no_case_is_made(owner, sara):
    _busy_loop(owner)
    before = sara.get("/tasks").get_json()
    response = sara.post(
        "/cases", json={"process": "loop", "title": "Stor", "details": {"runder": 0, "bilag": "x" * 300_000}}
    )
    assert response.status_code == 422
    assert "procesdata ville fylde 0,3 MB (højst 0,2 MB" in response.get_json()["message"]
    assert sara.get("/tasks").get_json() == before
