"""Opfølgning: a changed cadence needs the faglig konsulent (R15); § 85 goes to the sparringsgruppe (R14)."""

from __future__ import annotations

import pytest

from tests.helpers import Api, make_user, to_opfoelgning


@pytest.fixture
def karen(services, client) -> Api:
    make_user(services, "karen", "faglig_konsulent", team=None)
    return Api.login(client, "karen")


def held(day: str, *, continues: bool = True, **extra) -> dict:
    return {"opfoelgning_dato": day, "vurdering": "Støtten virker", "ydelse_fortsaetter": continues, **extra}


def _journal(api: Api, case_id: int) -> list[str]:
    return [e["message"] for e in api.get(f"/cases/{case_id}/journal").get_json()]


def test_an_approved_cadence_change_sets_the_next_opfoelgning(sara, karen):
    case = sara.open_case(title="Bostøtte", ydelse="SEL § 85")
    first = to_opfoelgning(sara, case["id"])
    assert first["due_at"].startswith("2027-04-04")  # bevilling 4 January + 3 måneder
    proposal = held("2027-04-01", ny_kadence="4 måneder", kadence_begrundelse="Stabil; behøver sjældnere opfølgning")
    sara.complete(first["id"], proposal)
    approval = karen.get("/tasks?role=faglig_konsulent").get_json()
    assert [t["name"] for t in approval] == ["Godkend ændret opfølgningskadence"]
    assert sara.get(f"/cases/{case['id']}").get_json()["tasks"][0]["role"] == "faglig_konsulent"  # waits for it
    karen.complete(approval[0]["id"], {"kadence_godkendt": True})
    assert sara.only_task(case["id"])["due_at"].startswith("2027-08-01")  # + 4 måneder, not 6
    assert "Godkend ændret opfølgningskadence: godkendt" in _journal(sara, case["id"])


def test_a_rejected_cadence_change_needs_a_reason_and_keeps_the_cadence(sara, karen):
    case = sara.open_case(title="Bostøtte", ydelse="SEL § 85")
    first = to_opfoelgning(sara, case["id"])
    sara.complete(first["id"], held("2027-04-01", ny_kadence="12 måneder", kadence_begrundelse="Ønske fra borgeren"))
    approval = karen.get("/tasks?role=faglig_konsulent").get_json()[0]
    refused = karen.complete(approval["id"], {"kadence_godkendt": False}, expect=422)
    assert refused["errors"] == {"kadence_kommentar": ["Feltet skal udfyldes"]}
    karen.complete(approval["id"], {"kadence_godkendt": False, "kadence_kommentar": "Borgeren er i udvikling"})
    assert sara.only_task(case["id"])["due_at"].startswith("2027-10-01")  # the 6 måneder of the standard
    assert "Godkend ændret opfølgningskadence: afvist – Borgeren er i udvikling" in _journal(sara, case["id"])


def test_a_proposed_cadence_must_be_a_period_with_a_reason(sara):
    case = sara.open_case(title="Bostøtte", ydelse="SEL § 85")
    first = to_opfoelgning(sara, case["id"])
    bad = sara.complete(first["id"], held("2027-04-01", ny_kadence="snart", kadence_begrundelse="x"), expect=422)
    assert "ny_kadence" in bad["errors"]
    missing = sara.complete(first["id"], held("2027-04-01", ny_kadence="4 måneder"), expect=422)
    assert missing["errors"] == {"kadence_begrundelse": ["Feltet skal udfyldes"]}
    assert sara.only_task(case["id"])["id"] == first["id"]


def test_a_85_case_in_the_same_stoetteomfang_goes_to_the_sparringsgruppe_after_12_months_then_every_6(sara):
    case = sara.open_case(title="Bostøtte", ydelse="SEL § 85")
    task = to_opfoelgning(sara, case["id"])
    seen = []
    for day in ("2027-04-04", "2027-10-04", "2028-01-04", "2028-07-04"):
        assert task["name"] == "Opfølgning" and task["due_at"].startswith(day), (day, task)
        sara.complete(task["id"], held(day))
        task = sara.only_task(case["id"])
        if task["name"] == "Forelæg sagen for sparringsgruppen":
            seen.append((day, task["due_at"][:10]))
            sara.complete(task["id"], {"sparring_dato": day, "konklusion": "Fortsæt; overvej mindre omfang"})
            task = sara.only_task(case["id"])
    # 12 months after the bevilling of 4 January 2027, then 6 months later; each due within 2 weeks
    assert seen == [("2028-01-04", "2028-01-18"), ("2028-07-04", "2028-07-18")]


def test_a_changed_stoetteomfang_restarts_the_12_months_and_other_ydelser_have_no_sparring(sara):
    case = sara.open_case(title="Bostøtte", ydelse="SEL § 85")
    task = to_opfoelgning(sara, case["id"])
    sara.complete(task["id"], held("2027-04-04", stoetteomfang_aendret=True))  # sparring now from 2028-04-04
    task = sara.only_task(case["id"])
    assert task["due_at"].startswith("2027-10-04")
    sara.complete(task["id"], held("2027-10-04"))
    assert sara.only_task(case["id"])["due_at"].startswith("2028-04-04")

    other = sara.open_case(title="Kontaktperson", ydelse="SEL § 107")
    task = to_opfoelgning(sara, other["id"], ydelse="SEL § 107")
    for _ in range(3):
        sara.complete(task["id"], held(task["due_at"][:10]))
        task = sara.only_task(other["id"])
        assert task["name"] == "Opfølgning"
