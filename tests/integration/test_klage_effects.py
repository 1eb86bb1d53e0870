"""A klage's effect on the main case: medhold and ændret give a new bevilling, hjemvisning re-opens."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from tasks.ops.invariants import check_all
from tests.helpers import Api, afgoerelse, genvurdering, henvendelse, partshoering, to_opfoelgning, udredning


def _afslag(api: Api) -> dict:
    case = api.open_case(title="Bostøtte", ydelse="SEL § 85")
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}, afgoerelse("afslag")):
        api.complete(api.only_task(case["id"])["id"], data)
    assert api.get(f"/cases/{case['id']}").get_json()["status"] == "closed"
    return case


def _klage(api: Api, case_id: int) -> dict:
    body = {"received_at": "2026-11-23T08:00:00+01:00", "decision_received_on": "2026-11-20"}
    response = api.post(f"/cases/{case_id}/klager", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _to_ankestyrelsen(api: Api, klage: dict) -> None:
    api.complete(api.only_task(klage["id"])["id"], genvurdering("fastholdt", "Ingen nye oplysninger"))
    api.complete(api.only_task(klage["id"])["id"], {"sendt_dato": "2026-12-01", "akter": "Hele sagen"})


def _journal(api: Api, case_id: int) -> list[str]:
    return [e["message"] for e in api.get(f"/cases/{case_id}/journal").get_json()]


def test_genvurdering_medhold_turns_an_afslag_into_a_new_bevilling_on_the_main_case(sara, services):
    case = _afslag(sara)
    klage = _klage(sara, case["id"])
    sara.complete(sara.only_task(klage["id"])["id"], genvurdering("medhold", "Nye oplysninger"))
    main = sara.get(f"/cases/{case['id']}").get_json()
    assert main["status"] == "open" and main["reference"] == case["reference"]
    assert [t["name"] for t in main["tasks"]] == ["Opret bevilling"]
    assert f"Sagen er genoptaget: ny bevilling efter klagen (klagesag {klage['reference']})" in _journal(
        sara, case["id"]
    )
    assert check_all(services.uow(), services.clock.now()) == []


def test_ankestyrelsen_aendret_gives_a_new_bevilling_and_the_bundle_holds_the_whole_case(sara):
    case = _afslag(sara)
    klage = _klage(sara, case["id"])
    _to_ankestyrelsen(sara, klage)
    bundle = next(
        x for x in sara.get(f"/cases/{klage['id']}/letters").get_json() if x["kind"] == "ankestyrelsen_bundle"
    )
    pdf = sara.get(f"/cases/{klage['id']}/letters/{bundle['id']}/pdf").data
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert f"Klage til Ankestyrelsen - sag {case['reference']}" in text
    assert "Rettidig: ja" in text
    assert "Kommunen fastholder afgørelsen" in text and "Ingen nye oplysninger" in text
    assert "Afslag (SEL § 85)" in text and "Borgeren opfylder betingelserne" in text
    assert "Opgaven 'Træf afgørelse' er udført" in text  # the main case's journal
    assert "Afgørelse om SEL § 85" in text  # its documents
    sara.complete(sara.only_task(klage["id"])["id"], {"resultat": "aendret", "modtaget_dato": "2027-03-01"})
    assert [t["name"] for t in sara.get(f"/cases/{case['id']}").get_json()["tasks"]] == ["Opret bevilling"]


def test_hjemvisning_reopens_the_behandling_and_ends_the_old_run(sara, services, clock, client):
    case = sara.open_case(title="Bostøtte", ydelse="SEL § 85")
    to_opfoelgning(sara, case["id"])  # a bevilling with its opfølgning running
    klage = _klage(sara, case["id"])
    _to_ankestyrelsen(sara, klage)
    clock.set(datetime(2027, 3, 3, 10, 0, tzinfo=UTC))  # registered Wednesday 3 March 2027
    sara = Api.login(client, "sara")
    sara.complete(sara.only_task(klage["id"])["id"], {"resultat": "ophaevet_hjemvist", "modtaget_dato": "2027-03-01"})
    main = sara.get(f"/cases/{case['id']}").get_json()
    assert [t["name"] for t in main["tasks"]] == ["Udredning (VUM 2.0)"]  # straight back to the udredning
    r1 = [d for d in main["deadlines"] if d["rule_id"] == "R1" and d["state"] == "open"]
    # 8 weeks from Monday 1 March 2027, the day Ankestyrelsen's decision was received (not from 3 March)
    assert len(r1) == 1 and "efter hjemvisning" in r1[0]["rule"] and r1[0]["due"].startswith("2027-04-26")
    journal = _journal(sara, case["id"])
    assert "Opgaven 'Opfølgning' blev annulleret: sagen genoptages (hjemvist af Ankestyrelsen)" in journal
    assert check_all(services.uow(), services.clock.now()) == []


@pytest.mark.parametrize("resultat", ["stadfaestet", "afvist"])
def test_a_stadfaestet_or_afvist_klage_changes_nothing_on_the_main_case(sara, resultat):
    case = _afslag(sara)
    before = sara.get(f"/cases/{case['id']}").get_json()
    klage = _klage(sara, case["id"])
    _to_ankestyrelsen(sara, klage)
    sara.complete(sara.only_task(klage["id"])["id"], {"resultat": resultat, "modtaget_dato": "2027-03-01"})
    after = sara.get(f"/cases/{case['id']}").get_json()
    assert (after["status"], after["tasks"], after["version"]) == (before["status"], before["tasks"], before["version"])


def test_a_hjemvisning_received_in_the_future_is_refused_naming_the_field(sara):
    case = sara.open_case(title="Bostøtte", ydelse="SEL § 85")
    to_opfoelgning(sara, case["id"])
    klage = _klage(sara, case["id"])
    _to_ankestyrelsen(sara, klage)
    task = sara.only_task(klage["id"])
    refused = sara.post(
        f"/tasks/{task['id']}/complete", json={"resultat": "ophaevet_hjemvist", "modtaget_dato": "2027-03-01"}
    )
    assert refused.status_code == 422 and "modtaget_dato" in refused.get_json()["errors"]
    assert sara.only_task(klage["id"])["id"] == task["id"]  # nothing changed
