"""§ 109 krisecenter and § 110 forsorgshjem: the orientering frist and the stay's own tasks."""

from __future__ import annotations

import pytest

from tests.helpers import Api, make_user


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler", team="Team Nord")
    make_user(services, "krise", "krisecenter", team=None)


@pytest.fixture
def krise(people, client) -> Api:
    return Api.login(client, "krise")


@pytest.fixture
def sara(people, client) -> Api:
    return Api.login(client, "sara")


def orientering(case: dict) -> list[dict]:
    return [d for d in case["deadlines"] if d["rule_id"] in ("R8", "R12")]


def register(api: Api, process: str, started: str, received: str, **extra):
    return api.post(
        "/cases",
        json={"process": process, "team": "Team Nord", "stay_started_on": started, "received_at": received, **extra},
    )


def test_an_orientering_within_three_hverdage_across_easter_is_met(krise):
    body = register(krise, "krisecenter", "2026-04-01", "2026-04-09T14:00:00+02:00").get_json()
    (frist,) = orientering(body)
    assert frist["rule"] == "Serviceloven § 109, stk. 5: orientering inden 3 hverdage efter optagelsen"
    assert frist["due"] == "2026-04-09T21:59:59+00:00"
    assert frist["state"] == "met"


def test_an_orientering_after_a_weekend_and_kristi_himmelfart_is_late(krise):
    # Friday 8 May 2026 + 3 hverdage = Wednesday 13 May; Thursday 14 May is Kristi himmelfartsdag.
    body = register(krise, "krisecenter", "2026-05-08", "2026-05-15T09:00:00+02:00").get_json()
    assert [(d["due"], d["state"]) for d in orientering(body)] == [("2026-05-13T21:59:59+00:00", "late")]


def test_a_stay_from_before_july_2024_cites_the_old_stk_number(krise):
    body = register(krise, "krisecenter", "2024-03-04", "2024-03-05T09:00:00+01:00").get_json()
    assert orientering(body)[0]["rule"].startswith("Serviceloven § 109, stk. 4:")


def test_an_anonymous_stay_needs_no_cpr_and_gives_the_sagsbehandler_raadgivning_at_once(krise, sara):
    case = register(krise, "krisecenter", "2026-11-20", "2026-11-23T08:00:00+01:00").get_json()
    task = sara.only_task(case["id"])
    assert (task["name"], task["role"]) == ("Tilbyd koordinerende rådgivning", "sagsbehandler")
    assert task["due_at"] == "2026-11-30T22:59:59+00:00"  # the municipality's target: 7 days
    sara.complete(task["id"], {"tilbudt_dato": "2026-11-24", "tilbud_modtaget": True})
    sara.complete(sara.only_task(case["id"])["id"], {"opholdsplan_dato": "2026-11-26"})
    departure = krise.only_task(case["id"])
    assert (departure["name"], departure["role"]) == ("Registrér fraflytning", "krisecenter")
    krise.complete(departure["id"], {"fraflyttet_dato": "2027-01-15", "egen_bolig": True})
    assert sara.only_task(case["id"])["due_at"].startswith("2027-07-15")  # rådgivning up to ½ year after


def test_a_stay_without_its_start_date_or_starting_after_the_orientering_is_refused(krise):
    missing = krise.post("/cases", json={"process": "krisecenter", "team": "Team Nord"})
    assert missing.status_code == 422 and "stay_started_on" in missing.get_json()["errors"]
    later = register(krise, "krisecenter", "2026-11-24", "2026-11-23T08:00:00+01:00")
    assert later.status_code == 422 and "stay_started_on" in later.get_json()["errors"]


def test_the_krisecenter_role_registers_stays_only(krise):
    assert krise.post("/cases", json={"title": "Ansøgning"}).status_code == 403


def test_the_krisecenter_role_cannot_register_a_forsorgshjem_stay(krise):
    refused = register(krise, "forsorgshjem", "2026-11-19", "2026-11-23T08:00:00+01:00")
    assert refused.status_code == 403 and "krisecenterophold" in refused.get_json()["message"]


def test_a_stay_for_a_team_that_does_not_exist_is_refused_naming_the_team(krise):
    refused = krise.post(
        "/cases", json={"process": "krisecenter", "team": "Team Nrod", "stay_started_on": "2026-11-20"}
    )
    assert refused.status_code == 422 and "Team Nrod" in refused.get_json()["errors"]["team"][0]


def test_forsorgshjem_opholdsplan_within_14_days_then_opfoelgning_every_14_days(sara):
    case = register(sara, "forsorgshjem", "2026-11-19", "2026-11-23T08:00:00+01:00").get_json()
    assert [(d["rule_id"], d["state"]) for d in orientering(case)] == [("R12", "met")]
    plan = sara.only_task(case["id"])
    assert (plan["name"], plan["due_at"]) == ("Udarbejd opholdsplan", "2026-12-07T22:59:59+00:00")
    sara.complete(plan["id"], {"opholdsplan_dato": "2026-12-01"})
    first = sara.only_task(case["id"])
    assert (first["name"], first["due_at"]) == ("Opfølgning på opholdet", "2026-12-15T22:59:59+00:00")
    sara.complete(first["id"], {"opfoelgning_dato": "2026-12-14", "ophold_fortsaetter": True})
    assert sara.only_task(case["id"])["due_at"] == "2026-12-28T22:59:59+00:00"
    result = sara.complete(
        sara.only_task(case["id"])["id"], {"opfoelgning_dato": "2026-12-28", "ophold_fortsaetter": False}
    )
    assert result["case_status"] == "closed"


def _to_departure(krise: Api, sara: Api, case_id: int) -> dict:
    sara.complete(sara.only_task(case_id)["id"], {"tilbudt_dato": "2026-11-24", "tilbud_modtaget": True})
    sara.complete(sara.only_task(case_id)["id"], {"opholdsplan_dato": "2026-11-26"})
    return krise.only_task(case_id)


@pytest.mark.parametrize(
    ("registered", "state"), [("2026-12-30T15:00:00+00:00", "met"), ("2026-12-31T09:00:00+00:00", "late")]
)
def test_the_departure_orientering_r9_across_christmas(krise, sara, clock, client, registered, state):
    from datetime import datetime

    case = register(krise, "krisecenter", "2026-11-20", "2026-11-23T08:00:00+01:00").get_json()
    departure = _to_departure(krise, sara, case["id"])
    clock.set(datetime.fromisoformat(registered))
    krise = Api.login(client, "krise")
    krise.complete(departure["id"], {"fraflyttet_dato": "2026-12-23", "egen_bolig": True})
    body = krise.get(f"/cases/{case['id']}").get_json()
    r9 = [d for d in body["deadlines"] if d["rule_id"] == "R9"]
    # Wednesday 23 Dec + 3 hverdage: 24 Dec closed, 25-26 helligdage, 27 Sunday -> Wednesday 30 December
    assert [(d["due"], d["state"]) for d in r9] == [("2026-12-30T22:59:59+00:00", state)]
    assert r9[0]["rule"] == "Serviceloven § 109, stk. 6: orientering om fraflytningen inden 3 hverdage"
