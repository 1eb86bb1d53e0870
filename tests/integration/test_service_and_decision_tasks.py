"""Service tasks call Sagsflow's named operations (a letter, a bestilling); business rule tasks ask the
kvalitetsstandard's decision tables (the version in force).  Unknown operations and tables are refused
at deploy, naming the element — never a 500 when a case starts."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from engine.diagrams import parse_diagram
from engine.runtime import ProcessError, Runtime
from tasks.definitions.deployment import read_forms
from tasks.operations.catalogue import OPERATIONS
from tests.conftest import TEST_PROCESSES
from tests.helpers import Api, make_user

OWNERS = TEST_PROCESSES / "owners"
FORMS = read_forms(OWNERS / "forms")


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    return Api.login(client, "pia")


def model(name: str) -> str:
    return (OWNERS / name).read_text(encoding="utf-8")


def deploy(api: Api, bpmn: str, **extra):
    return api.post("/process-definitions", json={"bpmn": bpmn, "forms": FORMS, **extra})


def journal(api: Api, case_id: int) -> list[str]:
    return [e["message"] for e in api.get(f"/cases/{case_id}/journal").get_json()]


def test_service_tasks_write_a_letter_and_create_a_bestilling(owner, sara):
    assert deploy(owner, model("service.bpmn")).status_code == 201
    case = sara.open_case(process="hjaelpemiddel_bestilling", title="Rollator")
    sara.complete(sara.only_task(case["id"])["id"], {"note": "Du får en rollator."})
    task = sara.only_task(case["id"])
    assert task["name"] == "Følg op på bestillingen"

    letters = sara.get(f"/cases/{case['id']}/letters").get_json()
    assert [(letter["kind"], letter["title"]) for letter in letters] == [("brev", "Orientering om din sag")]
    pdf = sara.get(f"/cases/{case['id']}/letters/{letters[0]['id']}/pdf").get_data()
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Kommunen har truffet afgørelse. Du får en rollator." in words.replace("\n", " ")

    entries = journal(sara, case["id"])
    assert "Brevet 'Orientering om din sag' er skrevet (servicetask brev)" in entries
    assert "Bestilling oprettet: Rollator hos Hjælpemiddelcentralen" in entries
    (ordered,) = sara.get(f"/cases/{case['id']}/bestillinger").get_json()  # a real bestilling row
    assert (ordered["ydelse"], ordered["leverandoer"], ordered["leverandoer_id"]) == (
        "Rollator",
        "Hjælpemiddelcentralen",
        "",
    )


def test_the_operations_result_lands_under_its_result_variable(owner, sara, services):
    deploy(owner, model("service.bpmn"))
    case = sara.open_case(process="hjaelpemiddel_bestilling")
    sara.complete(sara.only_task(case["id"])["id"], {"note": "OK"})
    with services.uow() as uow:
        data = uow.instances.data(uow.instances.get(uow.cases.get(case["id"]).instance_id))
    assert data["bestilling"] == {
        "oprettet": True,
        "ydelse": "Rollator",
        "leverandoer": "Hjælpemiddelcentralen",
        "beskrivelse": "",
    }
    assert data["brev"]["skrevet"] is True


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda x: x.replace('id="opret_bestilling"', 'id="send_sms"'),
            "Sagsflow har ingen operation, der hedder 'send_sms'",
        ),
        (
            lambda x: x.replace(
                '<spiffworkflow:parameter id="leverandoer" value="&quot;Hjælpemiddelcentralen&quot;" />', ""
            ),
            "mangler parameteren 'leverandoer'",
        ),
        (lambda x: x.replace('id="leverandoer"', 'id="leverandør"'), "har ingen parameter 'leverandør'"),
        (
            lambda x: x.replace('value="&quot;Rollator&quot;"', "value=\"'Rollator'\""),
            "dobbelte anførselstegn",
        ),
        (lambda x: x.replace('resultVariable="bestilling"', 'resultVariable="ydelse"'), "'ydelse', som er procesdata"),
    ],
    ids=["unknown-operation", "missing-parameter", "unknown-parameter", "python-string", "system-result-variable"],
)
def test_a_service_task_that_cannot_be_called_is_refused_at_deploy_naming_it(owner, change, words):
    response = deploy(owner, change(model("service.bpmn")))
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()["errors"]["diagram"][0]
    assert problem["element_id"] == "bestil" and problem["element_name"] == "Bestil hjælpemidlet"
    assert words in problem["message"]


def test_the_refusal_lists_the_operations_sagsflow_has(owner):
    response = deploy(owner, model("service.bpmn").replace('id="opret_bestilling"', 'id="send_sms"'))
    message = response.get_json()["errors"]["diagram"][0]["message"]
    assert (
        "skriv_brev(titel, tekst)" in message
        and "opret_bestilling(ydelse, leverandoer, beskrivelse (valgfri), formaal (valgfri), maal (valgfri))" in message
    )


def test_an_operation_the_registry_lost_stops_the_command_with_a_danish_error_not_a_500():
    diagram = parse_diagram(model("service.bpmn"))
    runtime = Runtime()  # no operations registered (an old version after an operation was retired)
    workflow, step = runtime.start(diagram, {}, datetime(2026, 11, 23, 9, tzinfo=UTC))
    with pytest.raises(ProcessError) as failed:
        runtime.complete(
            workflow, diagram, step.ready[0].spiff_id, {"note": "x"}, datetime(2026, 11, 23, 9, tzinfo=UTC)
        )
    assert failed.value.element_id == "brev"
    assert "Sagsflow har ingen operation, der hedder 'skriv_brev'" in failed.value.message


def test_operations_are_checked_at_deploy_even_for_a_runtime_without_them():
    with pytest.raises(Exception) as refused:
        parse_diagram(model("service.bpmn").replace('id="skriv_brev"', 'id="skriv"'), operations=OPERATIONS)
    assert "Sagsflow har ingen operation, der hedder 'skriv'" in str(refused.value)


def test_a_business_rule_task_asks_the_table_in_force_and_the_journal_names_its_version(owner, sara):
    assert deploy(owner, model("beslutning.bpmn")).status_code == 201
    first = sara.open_case(process="frist_fra_tabel", ydelse="SEL § 85")
    task = sara.only_task(first["id"])
    assert task["due_at"].startswith("2027-01-18")  # 8 uger from 23 November 2026, end of day
    assert "Beslutningstabellen 'sagsbehandlingsfrist' (version 1) gav frist = \"8 uger\"" in journal(sara, first["id"])

    xml = owner.get("/decisions/sagsbehandlingsfrist").get_json()["dmn_xml"]
    changed = xml.replace(
        '<outputEntry id="r5_frist"><text>"8 uger"</text>', '<outputEntry id="r5_frist"><text>"6 uger"</text>'
    )
    assert owner.post("/decisions", json={"dmn": changed}).get_json()["version"] == 2
    second = sara.open_case(process="frist_fra_tabel", ydelse="SEL § 85")
    assert sara.only_task(second["id"])["due_at"].startswith("2027-01-04")
    assert "Beslutningstabellen 'sagsbehandlingsfrist' (version 2) gav frist = \"6 uger\"" in journal(
        sara, second["id"]
    )
    assert sara.only_task(first["id"])["due_at"].startswith("2027-01-18")  # the first case keeps its frist

    assert owner.post("/decisions/sagsbehandlingsfrist/versions/1/activate").status_code == 200
    third = sara.open_case(process="frist_fra_tabel", ydelse="SEL § 85")
    assert sara.only_task(third["id"])["due_at"].startswith("2027-01-18")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda x: x.replace(">sagsbehandlingsfrist<", ">ventetid<"),
            "spørger beslutningstabellen 'ventetid', som ikke er udrullet",
        ),
        (
            lambda x: x.replace(
                "<bpmn:extensionElements><spiffworkflow:calledDecisionId>sagsbehandlingsfrist</spiffworkflow:calledDecisionId>"
                "</bpmn:extensionElements>",
                "",
            ),
            "siger ikke, hvilken beslutningstabel",
        ),
        (
            lambda x: x.replace("add_period(received_on, frist)", "add_period(received_on, fristen)"),
            "Ukendt navn 'fristen'",
        ),
    ],
    ids=["unknown-table", "no-table", "unknown-output"],
)
def test_a_business_rule_task_that_cannot_ask_its_table_is_refused_at_deploy(owner, change, words):
    response = deploy(owner, change(model("beslutning.bpmn")))
    assert response.status_code == 422, response.get_json()
    text = " | ".join(p["message"] for p in response.get_json()["errors"]["diagram"])
    assert words in text
    assert (
        "Udrullede tabeller: kompetence, opfoelgningskadence, sagsbehandlingsfrist, serviceniveau_forslag" in text
        or "Ukendt navn" in words
    )
