"""The kvalitetsstandard's catalogue through the API: an unknown ydelse is refused, never defaulted; every
ydelse's R1 frist on a case; the catalogue files are versioned, validated in Danish and agree with the tables."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers import Api, make_user
from tests.unit.test_catalogue_dates import EXPECTED


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    return Api.login(client, "pia")


def test_an_unknown_ydelse_is_refused_naming_the_field_and_nothing_is_opened(sara):
    before = sara.post("/cases/search", json={}).get_json()
    for ydelse, words in (("SEL § 999", "Ukendt ydelse 'SEL § 999'"), (None, "Vælg ydelsen")):
        response = sara.post("/cases", json={"title": "Ukendt", "ydelse": ydelse})
        assert response.status_code == 422, response.get_json()
        assert words in response.get_json()["errors"]["ydelse"][0]
    assert sara.post("/cases/search", json={}).get_json() == before


def test_every_ydelse_opens_a_case_with_its_own_frist(services, client, clock):
    """Received Wednesday 23 December 2026: the R1 frist per ydelse, never the 8-week default."""
    clock.set(datetime(2026, 12, 28, 9, 0, tzinfo=UTC))
    make_user(services, "sofie", "sagsbehandler")
    sara = Api.login(client, "sofie")
    for ydelse, frist, _ in EXPECTED:
        case = sara.open_case(title=ydelse, ydelse=ydelse, received_at="2026-12-23T10:00:00+01:00")
        r1 = next(d for d in case["deadlines"] if d["rule_id"] == "R1")
        assert r1["due"].startswith(frist), (ydelse, r1)


def test_the_catalogue_lists_every_ydelse_with_its_standard(sara):
    catalogue = sara.get("/catalogue").get_json()
    assert catalogue["kommune"] == "Vejle Kommune"
    by_key = {y["ydelse"]: y for y in catalogue["ydelser"]}
    assert sorted(by_key) == sorted(y for y, _, _ in EXPECTED)
    bpa = by_key["SEL § 96"]
    assert bpa["sagsbehandlingsfrist"] == "16 uger" and bpa["kompetence"] == "visitationsudvalg"
    assert bpa["opfoelgning"][0]["foerste_tidligst"] == "3 måneder" and "Egedal" in bpa["kilde"]
    support = by_key["SEL § 85"]
    assert [s["noegle"] for s in support["serviceniveauer"]] == ["Trin 1", "Trin 2", "Trin 3", "Trin 4", "Trin 5"]
    assert support["forslag"]["C"] == "Trin 3" and not support["frit_valg"]
    assert {m["maalgruppe"] for m in by_key["SEL § 108"]["opfoelgning"]} >= {None, "udviklingshaemmede_vejle"}
    assert by_key["SEL § 102"]["opfoelgning"][0]["sessioner"] == 6
    assert by_key["SEL § 83"]["frit_valg"] and by_key["SEL § 83"]["alder_max"] == 65


def test_a_procesejer_replaces_the_catalogue_and_can_roll_it_back(owner, sara):
    content = owner.get("/catalogue/ydelser").get_json()["content"]
    support = next(y for y in content["ydelser"] if y["ydelse"] == "SEL § 85")
    support["serviceniveauer"][2]["omfang"] = "4–6 timer om ugen"
    assert sara.post("/catalogue/ydelser", json={"content": content}).status_code == 403
    response = owner.post("/catalogue/ydelser", json={"content": content})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"] == 2
    levels = next(y for y in sara.get("/catalogue").get_json()["ydelser"] if y["ydelse"] == "SEL § 85")
    assert levels["serviceniveauer"][2]["i_ord"] == "Trin 3: 4–6 timer om ugen"

    assert owner.post("/catalogue/ydelser/versions/1/activate").status_code == 200
    assert [v["active"] for v in owner.get("/catalogue/ydelser/versions").get_json()] == [True, False]
    reasons = [a["reason"] for a in owner.get("/catalogue/ydelser/activations").get_json()]
    assert reasons == ["deploy", "deploy", "activate"]


BAD_CATALOGUES = [
    (lambda c: c["ydelser"][4].pop("navn"), "ydelser.4.navn", "Feltet skal udfyldes"),
    (lambda c: c["ydelser"][4].update(ydelse="Paragraf 85"), "ydelser.4.ydelse", "SEL § 85"),
    (
        lambda c: c["ydelser"][4]["serviceniveauer"][1].update(noegle="Trin 1"),
        "ydelser.4.serviceniveauer.1.noegle",
        "to serviceniveauer",
    ),
    (
        lambda c: c["ydelser"][4].update(sessionsinterval="hver anden uge"),
        "ydelser.4.sessionsinterval",
        "ikke en periode",
    ),
    (lambda c: c["ydelser"].append({"ydelse": "SEL § 112", "navn": "Hjælpemidler"}), "ydelser", "'SEL § 112'"),
    (lambda c: c["ydelser"].pop(4), "ydelser", "SEL § 85"),  # the register still delivers it
]


@pytest.mark.parametrize(("spoil", "field", "words"), BAD_CATALOGUES)
def test_a_bad_catalogue_is_refused_in_danish_naming_the_field_and_changes_nothing(owner, spoil, field, words):
    content = owner.get("/catalogue/ydelser").get_json()["content"]
    spoil(content)
    response = owner.post("/catalogue/ydelser", json={"content": content})
    assert response.status_code == 422, response.get_json()
    assert words in " ".join(response.get_json()["errors"][field])
    assert [v["version"] for v in owner.get("/catalogue/ydelser/versions").get_json()] == [1]


def test_a_leverandoer_of_an_unknown_ydelse_is_refused(owner):
    content = owner.get("/catalogue/leverandoerer").get_json()["content"]
    content["leverandoerer"][0]["ydelser"].append("SEL § 999")
    response = owner.post("/catalogue/leverandoerer", json={"content": content})
    assert response.status_code == 422
    assert "SEL § 999" in response.get_json()["errors"]["leverandoerer.0.ydelser"][0]


def test_a_table_that_drops_a_ydelse_of_the_catalogue_is_refused(owner):
    xml = owner.get("/decisions/sagsbehandlingsfrist").get_json()["dmn_xml"]
    broken = xml.replace('<text>"SEL § 96"</text>', '<text>"SEL § 96 stk. 3"</text>')
    response = owner.post("/decisions", json={"dmn": broken})
    assert response.status_code == 422
    assert "'SEL § 96'" in response.get_json()["errors"]["diagram"][0]["message"]
