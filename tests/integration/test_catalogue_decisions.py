"""Decisions measured against the catalogue: a serviceniveau above the suggestion is an afvigelse Sagsflow
finds and sends to the faglig konsulent; the bevilling carries the catalogue's serviceniveau, extent and
leverandør, and the letter says it in words."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from tests.helpers import (
    TRIN_3,
    Api,
    afgoerelse,
    bevilling,
    dispatch,
    henvendelse,
    make_user,
    partshoering,
    to_opfoelgning,
    udredning,
)
from tests.ui.pages import Browser
from tests.ui.pages import text as page_text

TRIN_4 = "Trin 4: gennemsnitligt 4,2 timers støtte om ugen (6,20 timer brutto), 4–5 indsatser"


@pytest.fixture
def fk(services, client) -> Api:
    make_user(services, "karen", "faglig_konsulent", team=None)
    return Api.login(client, "karen")


def _to_afgoerelse(api, **fields) -> int:
    case = api.open_case(**fields)
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}):
        api.complete(api.only_task(case["id"])["id"], data)
    return case["id"]


def _journal(api, case_id: int) -> list[str]:
    return [e["message"] for e in api.get(f"/cases/{case_id}/journal").get_json()]


def test_a_serviceniveau_above_the_suggestion_is_an_afvigelse_for_the_faglig_konsulent(sara, fk, services, client):
    case_id = _to_afgoerelse(sara)  # the udredning finds funktionsniveau C: the standard suggests Trin 3
    decided = {**afgoerelse(), "serviceniveau": "Trin 4"}  # nothing ticked by the caseworker
    response = sara.post(f"/tasks/{sara.only_task(case_id)['id']}/complete", json=decided)
    assert response.status_code == 422
    assert (
        "Trin 4 ligger over kvalitetsstandardens forslag Trin 3"
        in response.get_json()["errors"]["afvigelse_begrundelse"][0]
    )

    sara.complete(sara.only_task(case_id)["id"], {**decided, "afvigelse_begrundelse": "Særlige behov om natten"})
    approval = sara.only_task(case_id)
    assert (approval["name"], approval["role"]) == ("Godkend afvigelse", "faglig_konsulent")
    assert any("Afvigelse fra kvalitetsstandarden fundet: serviceniveauet Trin 4" in m for m in _journal(sara, case_id))
    fk.complete(approval["id"], {"godkendt": True})

    grant = sara.only_task(case_id)
    wrong = sara.post(f"/tasks/{grant['id']}/complete", json=bevilling())  # Trin 3: not what was decided
    assert wrong.status_code == 422 and "Afgørelsen bevilgede Trin 4" in wrong.get_json()["errors"]["pakke"][0]
    sara.complete(grant["id"], {**bevilling(), "pakke": "Trin 4"})
    (decision,) = sara.get(f"/cases/{case_id}").get_json()["afgoerelser"]
    assert decision["afvigelse"] is True
    assert "Trin 4 ligger over kvalitetsstandardens forslag Trin 3" in decision["afvigelse_grunde"]
    assert decision["afvigelse_begrundelse"] == "Særlige behov om natten"
    page = " ".join(page_text(Browser.login(client, "sara").get(f"/sager/{case_id}")).split())
    assert "Afvigelse godkendt: serviceniveauet Trin 4" in page
    assert "Begrundelse: Særlige behov om natten" in page
    (granted,) = sara.get(f"/cases/{case_id}").get_json()["bevillinger"]
    assert (granted["serviceniveau"], granted["omfang"]) == ("Trin 4", TRIN_4)
    dispatch(services)
    (letter,) = [x for x in sara.get(f"/cases/{case_id}/letters").get_json() if x["kind"] == "afgoerelse"]
    pdf = sara.get(f"/cases/{case_id}/letters/{letter['id']}/pdf").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "§ 85 Socialpædagogisk støtte" in " ".join(text.split()) and "Trin 4: gennemsnitligt 4,2 timers" in " ".join(
        text.split()
    )


def test_the_suggested_serviceniveau_needs_no_approval(sara):
    case_id = _to_afgoerelse(sara)
    sara.complete(sara.only_task(case_id)["id"], {**afgoerelse(), "serviceniveau": "Trin 3"})
    assert sara.only_task(case_id)["name"] == "Opret bevilling"


def test_a_bevilling_above_the_suggestion_without_approval_is_refused(sara):
    case_id = _to_afgoerelse(sara)
    sara.complete(sara.only_task(case_id)["id"], afgoerelse())  # no serviceniveau in the afgørelse
    response = sara.post(f"/tasks/{sara.only_task(case_id)['id']}/complete", json={**bevilling(), "pakke": "Trin 5"})
    assert response.status_code == 422
    assert "Trin 5 ligger over forslaget Trin 3" in response.get_json()["errors"]["pakke"][0]


def test_unknown_serviceniveau_and_leverandoer_are_refused_naming_the_field(sara):
    case_id = _to_afgoerelse(sara)
    task = sara.only_task(case_id)["id"]
    response = sara.post(f"/tasks/{task}/complete", json={**afgoerelse(), "serviceniveau": "Pakke B"})
    assert response.status_code == 422 and "Trin 1, Trin 2" in response.get_json()["errors"]["serviceniveau"][0]
    sara.complete(task, afgoerelse())
    grant = sara.only_task(case_id)["id"]
    response = sara.post(f"/tasks/{grant}/complete", json={**bevilling(), "leverandoer": "Bostøtten Nord"})
    assert response.status_code == 422
    assert "Center for Social Rehabilitering" in response.get_json()["errors"]["leverandoer"][0]
    assert sara.only_task(case_id)["id"] == grant  # nothing changed


def test_an_age_outside_the_ydelses_conditions_is_an_afvigelse(sara):
    # born 1 January 1956: 70 years old; § 97 ledsageordning is granted up to 66 (folkepensionsalderen)
    case_id = _to_afgoerelse(sara, ydelse="SEL § 97", citizen={"cpr": "010156-1234", "name": "Test Borger"})
    data = {**afgoerelse(), "lovgrundlag": "SEL § 97", "afvigelse_begrundelse": "Bevilget før folkepensionsalderen"}
    sara.complete(sara.only_task(case_id)["id"], data)
    assert sara.only_task(case_id)["name"] == "Godkend afvigelse"
    assert any("borgeren er 70 år; ydelsen gives til og med 66 år" in m for m in _journal(sara, case_id))


@pytest.fixture
def leder(services, client) -> Api:
    make_user(services, "lene", "leder", team=None)
    return Api.login(client, "lene")


def test_a_decision_above_kompetence_goes_to_the_visitationsudvalgs_next_meeting(sara, leder):
    case_id = _to_afgoerelse(sara)  # Monday 23 November 2026
    decided = {**afgoerelse(), "serviceniveau": "Trin 3", "aarligt_beloeb": 600_000}
    sara.complete(sara.only_task(case_id)["id"], decided)
    task = sara.get(f"/cases/{case_id}").get_json()["tasks"][0]
    assert (task["name"], task["role"]) == ("Visitationsudvalgets afgørelse", "leder")
    assert task["due_at"] == "2026-11-26T22:59:59+00:00"  # meeting Tuesday 24 November, decision 2 hverdage after
    (meeting,) = leder.get("/visitationsudvalg/moeder").get_json()
    assert (meeting["moede_dato"], meeting["indstillinger"], meeting["afgjort"]) == ("2026-11-24", 1, 0)
    (item,) = leder.get(f"/visitationsudvalg/moeder/{meeting['id']}").get_json()["dagsorden"]
    assert (item["case_id"], item["serviceniveau"], item["aarligt_beloeb"], item["status"]) == (
        case_id,
        "Trin 3",
        600_000,
        "afventer",
    )
    assert sara.get("/visitationsudvalg/moeder").status_code == 403
    r1 = next(d for d in sara.get(f"/cases/{case_id}").get_json()["deadlines"] if d["rule_id"] == "R1")
    assert r1["state"] == "open"  # the udvalg's decision counts inside the sagsbehandlingsfrist

    leder.complete(task["id"], {"kompetence_godkendt": True, "kompetence_kommentar": "Indstillingen følges"})
    assert sara.only_task(case_id)["name"] == "Opret bevilling"
    (item,) = leder.get(f"/visitationsudvalg/moeder/{meeting['id']}").get_json()["dagsorden"]
    assert (item["status"], item["decided_by"]) == ("godkendt", "lene")
    r1 = next(d for d in sara.get(f"/cases/{case_id}").get_json()["deadlines"] if d["rule_id"] == "R1")
    assert r1["state"] == "met"


def test_a_smaller_amount_goes_to_the_faglig_konsulent_and_a_rejection_back_to_the_sagsbehandler(sara, fk):
    case_id = _to_afgoerelse(sara)
    sara.complete(sara.only_task(case_id)["id"], {**afgoerelse(), "aarligt_beloeb": 150_000})
    task = sara.only_task(case_id)
    assert (task["name"], task["role"]) == ("Godkend afgørelse (kompetence)", "faglig_konsulent")
    fk.complete(task["id"], {"kompetence_godkendt": False, "kompetence_kommentar": "Beløbet er for højt"})
    assert sara.only_task(case_id)["name"] == "Træf afgørelse"


def test_a_meeting_on_a_helligdag_moves_to_the_next_hverdag():
    from datetime import date

    from tasks.catalogue.entries import Visitationsudvalg
    from tasks.visitation.meetings import next_meeting

    mondays = Visitationsudvalg(weekday=0)
    assert next_meeting(mondays, date(2026, 4, 2)) == date(2026, 4, 7)  # 2. påskedag 6 April: Tuesday 7 April
    assert next_meeting(mondays, date(2026, 4, 13)) == date(2026, 4, 20)  # on a meeting day: the next one


def test_a_handleplan_is_offered_and_accepted_with_its_goals(sara):
    case = sara.open_case()
    bad = sara.client.put(
        f"/api/v1/cases/{case['id']}/handleplan",
        json={"status": "accepteret", "maal": [{"indsatsformaal": "Praktiske opgaver", "maal": ""}]},
        headers={"Authorization": f"Bearer {sara.token}"},
    )
    assert bad.status_code == 422 and "maal.0.maal" in bad.get_json()["errors"]
    goals = [{"indsatsformaal": "Indkøb og madlavning", "maal": "Handler selv ind to gange om ugen inden 1. juli 2027"}]
    for status in ("tilbudt", "accepteret"):
        response = sara.client.put(
            f"/api/v1/cases/{case['id']}/handleplan",
            json={"status": status, "maal": goals},
            headers={"Authorization": f"Bearer {sara.token}"},
        )
        assert response.status_code == 200, response.get_json()
    plan = sara.get(f"/cases/{case['id']}/handleplan").get_json()
    assert (plan["status_da"], plan["besvaret_on"], plan["maal"]) == ("Accepteret", "2026-11-23", goals)


def test_a_bestilling_expects_the_leverandoers_status_before_the_opfoelgning(sara, clock):
    case = sara.open_case()
    followup = to_opfoelgning(sara, case["id"])  # bevilling from Monday 4 January 2027
    assert followup["due_at"].startswith("2027-04-04")  # the first opfølgning: Sunday 4 April 2027
    order = {"indsats": "Støtte til indkøb", "formaal": "Selvstændighed i hverdagen", "maal": "Handler selv ind"}
    wrong = sara.post(f"/cases/{case['id']}/bestillinger", json={**order, "leverandoer": "Bo-Vejle"})
    assert wrong.status_code == 422 and "leverandoer" in wrong.get_json()["errors"]
    response = sara.post(f"/cases/{case['id']}/bestillinger", json=order)
    assert response.status_code == 201, response.get_json()
    made = response.get_json()
    assert (made["leverandoer"], made["omfang"], made["start"]) == (
        "Center for Social Rehabilitering",
        TRIN_3,
        "2027-01-04",
    )
    # 2 weeks before Sunday 4 April is Sunday 21 March: the status is due the hverdag before, Friday 19 March
    assert made["statusser"] == [
        {"opfoelgning_on": "2027-04-04", "due_on": "2027-03-19", "received_on": None, "tekst": None}
    ]
    frist = next(
        d for d in sara.get(f"/cases/{case['id']}").get_json()["deadlines"] if d["rule_id"] == "leverandoerstatus"
    )
    assert frist["due"].startswith("2027-03-19") and frist["state"] == "open"

    clock.set(datetime(2027, 3, 18, 9, 0, tzinfo=UTC))
    sara = Api.login(sara.client, "sara")
    recorded = sara.post(
        f"/cases/{case['id']}/bestillinger/{made['id']}/status",
        json={"received_on": "2027-03-18", "tekst": "Borgeren handler nu selv ind med støtte"},
    )
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["statusser"][0]["received_on"] == "2027-03-18"
    frist = next(
        d for d in sara.get(f"/cases/{case['id']}").get_json()["deadlines"] if d["rule_id"] == "leverandoerstatus"
    )
    assert frist["state"] == "met"
