"""Klage: the klagefrist judged at registration, genvurdering within 4 weeks, then Ankestyrelsen."""

from __future__ import annotations

from tests.helpers import Api, decided_case, genvurdering, make_user


def klage(sara: Api, received_at: str, decision_received_on: str) -> dict:
    case = decided_case(sara, received_at="2026-01-05T09:00:00+01:00")
    response = sara.post(
        f"/cases/{case['id']}/klager", json={"received_at": received_at, "decision_received_on": decision_received_on}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_klage_on_the_rolled_klagefrist_is_in_time_and_goes_to_genvurdering(sara):
    # Received 5 March 2026 + 4 weeks = Skærtorsdag 2 April -> rolls to Tuesday 7 April.
    body = klage(sara, "2026-04-07T15:00:00+02:00", "2026-03-05")
    assert body["in_time"] is True and body["klagefrist"] == "2026-04-07T21:59:59+00:00"
    assert [(d["rule_id"], d["state"]) for d in body["deadlines"] if d["rule_id"] == "R4"] == [("R4", "met")]
    task = sara.only_task(body["id"])
    assert task["name"] == "Genvurdér afgørelsen"
    assert task["due_at"] == "2026-05-05T21:59:59+00:00"  # 4 weeks after the klage came in
    result = sara.complete(task["id"], genvurdering("medhold", "Nye oplysninger"))
    assert result["case_status"] == "closed"


def test_a_late_klage_is_registered_flagged_and_needs_a_decision_whether_to_treat_it(sara):
    body = klage(sara, "2026-04-08T09:00:00+02:00", "2026-03-05")
    assert body["in_time"] is False
    assert [d["state"] for d in body["deadlines"] if d["rule_id"] == "R4"] == ["late"]
    decide = sara.only_task(body["id"])
    assert decide["name"] == "Vurdér fristoverskridelse"
    sara.complete(decide["id"], {"behandles": True, "bemaerkning": "Indlagt i perioden"})
    assert sara.only_task(body["id"])["name"] == "Genvurdér afgørelsen"


def test_a_fastholdt_afgoerelse_goes_to_ankestyrelsen_and_its_result_is_registered(sara):
    body = klage(sara, "2026-03-20T09:00:00+01:00", "2026-03-05")
    sara.complete(sara.only_task(body["id"])["id"], genvurdering("fastholdt", "Ingen nye oplysninger"))
    send = sara.only_task(body["id"])
    assert send["name"] == "Send klagen til Ankestyrelsen" and send["due_at"] == "2026-04-17T21:59:59+00:00"
    sara.complete(send["id"], {"sendt_dato": "2026-04-10", "akter": "Klagen, afgørelsen, journalen"})
    result = sara.only_task(body["id"])
    assert result["name"] == "Registrér Ankestyrelsens afgørelse"
    done = sara.complete(result["id"], {"resultat": "stadfaestet", "modtaget_dato": "2026-08-01"})
    assert done["case_status"] == "closed"


def test_a_klage_needs_a_visible_case_and_a_decision_date_before_the_klage(sara, services, client):
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    case = sara.open_case()
    other = Api.login(client, "syd")
    refused = other.post(
        f"/cases/{case['id']}/klager",
        json={"received_at": "2026-11-20T09:00:00+01:00", "decision_received_on": "2026-11-02"},
    )
    assert refused.status_code == 404
    backwards = sara.post(
        f"/cases/{case['id']}/klager",
        json={"received_at": "2026-11-20T09:00:00+01:00", "decision_received_on": "2026-11-21"},
    )
    assert backwards.status_code == 422 and "decision_received_on" in backwards.get_json()["errors"]
