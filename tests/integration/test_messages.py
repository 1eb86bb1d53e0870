"""Messages to a case: a catch event, a receive task and an event-based gateway (message or timer),
delivered through the API and from the task page; one command, journalled, access-checked."""

from __future__ import annotations

import pytest

from tasks.definitions.deployment import read_forms
from tasks.work.timers import sweep_timers
from tests.conftest import TEST_PROCESSES
from tests.helpers import Api, make_team, make_user
from tests.ui.pages import Browser, text

OWNERS = TEST_PROCESSES / "owners"


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    api = Api.login(client, "pia")
    forms = read_forms(OWNERS / "forms")
    for name in ("besked.bpmn", "besked_gateway.bpmn", "besked_rand.bpmn"):
        bpmn = (OWNERS / name).read_text(encoding="utf-8")
        assert api.post("/process-definitions", json={"bpmn": bpmn, "forms": forms}).status_code == 201
    return api


def send(api: Api, case_id: int, name: str, data: dict | None = None, expect: int = 200) -> dict:
    response = api.post(f"/cases/{case_id}/messages", json={"name": name, "data": data or {}})
    assert response.status_code == expect, response.get_json()
    return response.get_json()


def journal(api: Api, case_id: int) -> list[dict]:
    return api.get(f"/cases/{case_id}/journal").get_json()


def test_a_message_catch_event_and_a_receive_task_take_their_messages_with_data(owner, sara):
    case = sara.open_case(process="besked")
    sara.complete(sara.only_task(case["id"])["id"], {"note": "Sendt"})
    assert sara.get(f"/cases/{case['id']}").get_json()["tasks"] == []

    refused = send(sara, case["id"], "Ankestyrelsens afgørelse modtaget", expect=409)
    assert (
        refused["message"]
        == "Sagen venter ikke på beskeden 'Ankestyrelsens afgørelse modtaget'; den venter på 'svar modtaget'"
    )

    body = send(sara, case["id"], "svar modtaget", {"tekst": "Jeg er enig", "modtaget": "2026-11-30"})
    assert body["caught_by"] == ["svar"]
    assert [t["name"] for t in body["next_tasks"]] == ["Vurdér svaret"]
    task = sara.get(f"/tasks/{body['next_tasks'][0]['id']}").get_json()
    assert task["bpmn_id"] == "vurder"
    send(sara, case["id"], "svar modtaget", expect=409)  # it came once; nothing waits for it now

    sara.complete(task["id"], {"note": "Svaret er vurderet"})
    body = send(sara, case["id"], "Ankestyrelsens afgørelse modtaget")
    assert body["caught_by"] == ["anke"] and body["case_status"] == "closed"
    entries = [e["message"] for e in journal(sara, case["id"])]
    assert "Beskeden 'svar modtaget' er modtaget" in entries
    assert "Beskeden 'Ankestyrelsens afgørelse modtaget' er modtaget" in entries
    assert entries[-1] == "Sagen er afsluttet"


def test_the_messages_data_lands_under_its_message_variable(owner, sara, services):
    case = sara.open_case(process="besked")
    sara.complete(sara.only_task(case["id"])["id"], {})
    send(sara, case["id"], "svar modtaget", {"tekst": "Jeg er enig"})
    with services.uow() as uow:
        instance = uow.instances.get(uow.cases.get(case["id"]).instance_id)
        assert uow.instances.data(instance)["svar"] == {"tekst": "Jeg er enig"}


def test_an_event_based_gateway_takes_the_message_when_it_comes_first(owner, sara, services, clock, client):
    case = sara.open_case(process="svar_eller_rykker")
    sara.complete(sara.only_task(case["id"])["id"], {})
    clock.advance(days=3)
    sara = Api.login(client, "sara")  # a new working day, a new login
    body = send(sara, case["id"], "svar modtaget", {"tekst": "Her er mit svar"})
    assert [t["name"] for t in body["next_tasks"]] == ["Behandl svaret"]
    clock.advance(days=20)
    assert sweep_timers(services, clock.now()).fired == 0  # the timer branch went with the gateway


def test_an_event_based_gateway_takes_the_timer_when_no_message_comes(owner, sara, services, clock, client):
    case = sara.open_case(process="svar_eller_rykker")
    sara.complete(sara.only_task(case["id"])["id"], {})
    clock.advance(days=13)
    assert sweep_timers(services, clock.now()).fired == 0
    clock.advance(days=1, minutes=1)
    assert sweep_timers(services, clock.now()).fired == 1
    sara = Api.login(client, "sara")
    assert sara.only_task(case["id"])["name"] == "Ryk borgeren"
    late = send(sara, case["id"], "svar modtaget", expect=409)
    assert "venter ikke på beskeden 'svar modtaget'" in late["message"]
    assert any(e["action"] == "timer_fired" for e in journal(sara, case["id"]))


def test_a_message_is_access_checked_like_every_case_command(owner, services, client, sara):
    case = sara.open_case(process="besked")
    sara.complete(sara.only_task(case["id"])["id"], {})
    make_team(services, "Team Syd")
    make_user(services, "sofie", "sagsbehandler", team="Team Syd")
    other_team = Api.login(client, "sofie")
    assert send(other_team, case["id"], "svar modtaget", expect=404)["message"] == "Sagen findes ikke"
    assert send(owner, case["id"], "svar modtaget", expect=404)["message"] == "Sagen findes ikke"
    make_user(services, "lars", "leder", team=None)
    send(Api.login(client, "lars"), case["id"], "svar modtaget")
    assert send(sara, 999_999, "svar modtaget", expect=404)["message"] == "Sagen findes ikke"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": {}}, "name"),
        ({"name": "", "data": {}}, "name"),
        ({"name": "svar modtaget", "data": ["ikke", "et", "objekt"]}, "data"),
        ({"name": "svar modtaget", "data": {"tekst": "x" * 120_000}}, "data"),
        ({"name": "svar modtaget", "data": {}, "ekstra": 1}, "ekstra"),
    ],
    ids=["no-name", "empty-name", "data-not-object", "data-too-big", "unknown-field"],
)
def test_a_bad_message_is_a_danish_4xx_naming_the_field_and_changes_nothing(owner, sara, body, field):
    case = sara.open_case(process="besked")
    sara.complete(sara.only_task(case["id"])["id"], {})
    response = sara.post(f"/cases/{case['id']}/messages", json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"] or field in str(response.get_json()["errors"])
    send(sara, case["id"], "svar modtaget")  # still waiting: the bad request changed nothing


def test_a_diagram_whose_message_has_no_name_or_lands_on_system_data_is_refused(owner):
    bpmn = (OWNERS / "besked.bpmn").read_text(encoding="utf-8").replace("besked", "besked_2")
    nameless = bpmn.replace('<bpmn:message id="msg_svar" name="svar modtaget" />', '<bpmn:message id="msg_svar" />')
    response = owner.post("/process-definitions", json={"bpmn": nameless, "forms": read_forms(OWNERS / "forms")})
    assert response.status_code == 422
    problem = response.get_json()["errors"]["diagram"][0]
    assert problem["element_id"] == "svar" and "besked uden navn" in problem["message"]
    system = bpmn.replace("<spiffworkflow:messageVariable>svar<", "<spiffworkflow:messageVariable>ydelse<")
    response = owner.post("/process-definitions", json={"bpmn": system, "forms": read_forms(OWNERS / "forms")})
    assert response.status_code == 422
    assert "'ydelse' er procesdata, som Sagsflow sætter" in response.get_json()["errors"]["diagram"][0]["message"]


def test_the_task_page_offers_the_awaited_message_and_delivers_it(owner, sara, client):
    case = sara.open_case(process="afvent_svar")
    waiting = sara.only_task(case["id"])
    sara.post(f"/tasks/{waiting['id']}/claim")
    browser = Browser.login(client, "sara")
    page = text(browser.get(f"/opgaver/{waiting['id']}"))
    assert "Sagen venter på en besked" in page and "Registrér: «svar modtaget» er modtaget" in page
    response = browser.post(
        f"/sager/{case['id']}/beskeder",
        {"name": "svar modtaget", "note": "Borgeren ringede", "tilbage": str(waiting["id"])},
        from_page=f"/opgaver/{waiting['id']}",
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/opgaver/{waiting['id']}"
    after = text(browser.get(f"/opgaver/{waiting['id']}"))
    assert "er registreret som modtaget" in after and "Opgaven er annulleret" in after
    assert sara.only_task(case["id"])["name"] == "Behandl svaret"
    entries = [e["message"] for e in journal(sara, case["id"])]
    assert "Beskeden 'svar modtaget' er modtaget" in entries
    assert "Opgaven 'Afvent svar (ryk ved behov)' blev annulleret" in entries
    again = browser.post(f"/sager/{case['id']}/beskeder", {"name": "svar modtaget"}, from_page="/indbakke")
    assert "venter ikke på beskeden" in text(browser.get(again.headers["Location"]))
