"""The case record: afgørelser and bevillinger in the API, ændringer as afgørelser, and the deadline defects,
each on real Danish dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks.work.timers import sweep_timers
from tests.helpers import (
    TRIN_3,
    Api,
    afgoerelse,
    bevilling,
    decided_case,
    dispatch,
    henvendelse,
    make_user,
    partshoering,
    to_opfoelgning,
    udredning,
)


@pytest.fixture
def karen(services, client) -> Api:
    make_user(services, "karen", "faglig_konsulent", team=None)
    return Api.login(client, "karen")


def _letters(api: Api, case_id: int, kind: str) -> list[dict]:
    letters = api.get(f"/cases/{case_id}/letters").get_json()
    return [x for x in letters if x["kind"] == kind and x["copy_of_id"] is None]


def test_the_case_shows_its_afgoerelser_and_bevillinger_as_the_contract_says(sara):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    to_opfoelgning(sara, case["id"])
    body = sara.get(f"/cases/{case['id']}").get_json()
    (afg,) = body["afgoerelser"]
    assert set(afg) == {
        "id",
        "kind",
        "udfald",
        "ydelse",
        "decided_at",
        "letter_id",
        "afvigelse",
        "afvigelse_grunde",
        "afvigelse_begrundelse",
    }
    assert (afg["afvigelse"], afg["afvigelse_grunde"], afg["afvigelse_begrundelse"]) == (False, None, None)
    assert set(body["bevillinger"][0]) == {
        "id",
        "ydelse",
        "serviceniveau",
        "omfang",
        "leverandoer",
        "start",
        "slut",
        "status",
    }
    (letter,) = sara.get(f"/cases/{case['id']}/letters").get_json()[-1:]
    assert {"kind", "channel", "dispatched_at"} <= set(letter)


def test_a_change_at_opfoelgning_is_heard_decided_approved_and_replaces_the_bevilling(sara, karen, services):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    first = to_opfoelgning(sara, case["id"])
    sara.complete(
        first["id"],
        {"opfoelgning_dato": "2027-04-01", "ydelse_fortsaetter": True, "aendring_foreslaaet": True},
    )
    hoering = sara.only_task(case["id"])
    assert hoering["name"] == "Partshøring om ændring eller ophør"
    missing = sara.complete(hoering["id"], {"partshoering_undtagelse": "nr1"}, expect=422)
    assert missing["errors"] == {"undtagelse_begrundelse": ["Feltet skal udfyldes"]}  # an exception needs its reason
    sara.complete(
        hoering["id"],
        {
            "partshoering_undtagelse": "ingen",
            "partshoering_sendt": "2026-11-23",
            "partshoering_svarfrist_dage": 10,
            "materiale": "Opfølgningsnotat af 23. november 2026",
        },
    )
    dispatch(services)
    (heard,) = [x for x in _letters(sara, case["id"], "partshoering") if x["letter_date"] == "2026-11-23"][-1:]
    text = sara.get(f"/cases/{case['id']}/letters/{heard['id']}/pdf").data
    assert heard["state"] == "sendt" and text.startswith(b"%PDF")
    svar = sara.only_task(case["id"])
    assert svar["due_at"] == "2026-12-03T22:59:59+00:00"  # 10 days after Monday 23 November: Thursday 3 December
    sara.complete(svar["id"], {"svar_modtaget": "2026-11-30", "borgerens_bemaerkninger": "Enig"})
    decide = sara.only_task(case["id"])
    change = {
        "aendring": "aendring",
        "ny_pakke": "Trin 2",
        "ny_leverandoer": "Center for Social Rehabilitering",
        "ny_startdato": "2027-02-01",
        "begrundelse_regler": "Serviceloven § 85",
        "begrundelse_faktiske_forhold": "Borgeren klarer flere opgaver selv",
        "begrundelse_hovedhensyn": "Et lavere trin dækker behovet",
        "afvigelse": True,
        "afvigelse_begrundelse": "Trin 2 med ekstra time de første uger",
    }
    sara.complete(decide["id"], change)
    approval = sara.only_task(case["id"])
    assert (approval["name"], approval["role"]) == ("Godkend afvigelse (ændring/ophør)", "faglig_konsulent")
    karen.complete(approval["id"], {"godkendt": True})
    body = sara.get(f"/cases/{case['id']}").get_json()
    assert [(a["kind"], a["udfald"]) for a in body["afgoerelser"]] == [
        ("ansoegning", "bevilling"),
        ("aendring", "bevilling"),
    ]
    assert [(b["omfang"], b["status"], b["start"], b["slut"]) for b in body["bevillinger"]] == [
        (TRIN_3, "erstattet", "2027-01-04", "2027-01-31"),
        (
            "Trin 2: gennemsnitligt 1,4 timers støtte om ugen (2,05 timer brutto), 2–3 indsatser",
            "aktiv",
            "2027-02-01",
            None,
        ),
    ]
    assert [t["name"] for t in body["tasks"]] == ["Opfølgning"]  # back in the opfølgning loop
    assert len(_letters(sara, case["id"], "aendring")) == 1


def test_a_klage_in_the_last_second_of_the_last_day_is_in_time(sara):
    case = decided_case(sara, "afslag", citizen={"name": "Test Borger"}, received_at="2026-01-05T09:00:00+01:00")
    # Received 5 March 2026: 4 weeks is Skærtorsdag 2 April, rolled to Tuesday 7 April, ending 23:59:59.
    late_second = {"received_at": "2026-04-07T23:59:59.900000+02:00", "decision_received_on": "2026-03-05"}
    body = sara.post(f"/cases/{case['id']}/klager", json=late_second).get_json()
    assert body["in_time"] is True
    assert [d["state"] for d in body["deadlines"] if d["rule_id"] == "R4"] == ["met"]
    next_day = {"received_at": "2026-04-08T00:00:00+02:00", "decision_received_on": "2026-03-05"}
    assert sara.post(f"/cases/{case['id']}/klager", json=next_day).get_json()["in_time"] is False


def test_the_underretning_task_waits_for_the_middle_of_a_frist_shorter_than_its_warning(sara, services, clock, client):
    # § 83: 1 week.  Monday 23 November 2026 + 1 week = Monday 30 November; the warning (5 hverdage before) would
    # be the day of intake, so the task comes halfway through the frist instead: Wednesday 25 November.
    case = sara.open_case(title="Praktisk hjælp", ydelse="SEL § 83")
    assert [t["name"] for t in sara.get(f"/cases/{case['id']}").get_json()["tasks"]] == ["Vurdér henvendelse"]
    clock.set(datetime(2026, 11, 24, 22, 59, tzinfo=UTC))  # Tuesday 23:59 in Copenhagen
    assert sweep_timers(services, clock.now()).fired == 0
    clock.set(datetime(2026, 11, 24, 23, 0, tzinfo=UTC))  # Wednesday 00:00:00 in Copenhagen: due, not passed
    assert sweep_timers(services, clock.now()).fired == 0
    clock.set(datetime(2026, 11, 24, 23, 0, 1, tzinfo=UTC))  # a second later it has passed, and it fires
    assert sweep_timers(services, clock.now()).fired == 1
    sara = Api.login(client, "sara")
    tasks = sara.get(f"/cases/{case['id']}").get_json()["tasks"]
    assert [t["name"] for t in tasks] == ["Vurdér henvendelse", "Underret borger om forventet afgørelse"]
    assert tasks[1]["due_at"] == "2026-11-30T22:59:59+00:00"


def test_the_promised_decision_date_is_a_frist_and_the_citizen_gets_a_letter(sara, services, clock, client):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})  # § 85: 8 weeks, R1 18 January
    clock.set(datetime(2027, 1, 11, 8, 0, tzinfo=UTC))  # Monday 11 January 2027: 5 hverdage before the frist
    assert sweep_timers(services, clock.now()).fired == 1
    sara = Api.login(client, "sara")
    underret = next(
        t for t in sara.get(f"/cases/{case['id']}").get_json()["tasks"] if t["bpmn_id"] == "underret_borger"
    )
    refused = sara.complete(
        underret["id"], {"underretning_sendt": "2027-01-11", "forventet_afgoerelse": "2027-01-08"}, expect=422
    )
    assert "forventet_afgoerelse" in refused["errors"]
    sara.complete(
        underret["id"],
        {"underretning_sendt": "2027-01-11", "forventet_afgoerelse": "2027-02-26", "aarsag": "Lægeerklæring"},
    )
    deadlines = sara.get(f"/cases/{case['id']}").get_json()["deadlines"]
    (r2,) = [d for d in deadlines if d["rule_id"] == "R2"]
    assert r2["due"] == "2027-02-26T22:59:59+00:00" and r2["state"] == "open"
    assert "26. februar 2027" in r2["rule"]
    dispatch(services)
    (letter,) = _letters(sara, case["id"], "underretning")
    assert letter["state"] == "sendt"
    for data in (henvendelse(), udredning(), partshoering("2027-01-11"), {"svar_modtaget": "2027-01-15"}, afgoerelse()):
        task = next(
            t for t in sara.get(f"/cases/{case['id']}").get_json()["tasks"] if t["bpmn_id"] != "underret_borger"
        )
        sara.complete(task["id"], data)
    deadlines = sara.get(f"/cases/{case['id']}").get_json()["deadlines"]
    assert [(d["rule_id"], d["state"]) for d in deadlines if d["rule_id"] in ("R1", "R2")] == [
        ("R1", "met"),
        ("R2", "met"),
    ]


def test_bad_party_data_is_refused_naming_the_field(sara):
    exempt = sara.post("/cases", json={"title": "X", "citizen": {"name": "A", "digital_post_exempt": True}})
    assert exempt.status_code == 422 and "citizen.address" in exempt.get_json()["errors"]
    address = {"street": "Vestergade 1", "postal_code": "71", "city": "Vejle"}
    bad = sara.post("/cases", json={"title": "X", "citizen": {"name": "A", "address": address}})
    assert bad.status_code == 422 and "citizen.address.postal_code" in bad.get_json()["errors"]
    rep = sara.post("/cases", json={"title": "X", "representatives": [{"name": " "}]})
    assert rep.status_code == 422 and "representatives.0.name" in rep.get_json()["errors"]


def test_a_representative_gets_a_copy_of_the_letter(sara, services):
    case = sara.open_case(
        title="Bostøtte",
        citizen={"name": "Test Borger"},
        representatives=[{"name": "Bente Bisidder", "relation": "partsrepræsentant"}],
    )
    for data in (
        henvendelse(),
        udredning(),
        partshoering(),
        {"svar_modtaget": "2026-11-30"},
        afgoerelse(),
        bevilling(),
    ):
        sara.complete(sara.only_task(case["id"])["id"], data)
    dispatch(services)
    (letter,) = _letters(sara, case["id"], "afgoerelse")
    pdf = sara.get(f"/cases/{case['id']}/letters/{letter['id']}/pdf").data
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    assert "Kopi til: Bente Bisidder (partsrepræsentant)" in text


def test_an_underretning_completed_after_the_afgoerelse_tracks_no_promised_date(sara, services, clock, client):
    case = sara.open_case(title="Bostøtte", citizen={"name": "Test Borger"})
    clock.set(datetime(2027, 1, 11, 8, 0, tzinfo=UTC))
    sweep_timers(services, clock.now())
    sara = Api.login(client, "sara")
    for data in (henvendelse(), udredning(), partshoering("2027-01-11"), {"svar_modtaget": "2027-01-12"}, afgoerelse()):
        task = next(
            t for t in sara.get(f"/cases/{case['id']}").get_json()["tasks"] if t["bpmn_id"] != "underret_borger"
        )
        sara.complete(task["id"], data)
    underret = next(
        t for t in sara.get(f"/cases/{case['id']}").get_json()["tasks"] if t["bpmn_id"] == "underret_borger"
    )
    sara.complete(underret["id"], {"underretning_sendt": "2027-01-11", "forventet_afgoerelse": "2027-02-26"})
    deadlines = sara.get(f"/cases/{case['id']}").get_json()["deadlines"]
    assert [d for d in deadlines if d["rule_id"] == "R2"] == []  # nothing left to wait for, nothing to escalate
