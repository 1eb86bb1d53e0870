"""The kvalitetsstandard's DMN tables: a change reaches new cases only; bad tables deploy nothing."""

from __future__ import annotations

import pytest

from tests.helpers import Api, make_user, to_opfoelgning


@pytest.fixture
def owner(services, client) -> Api:
    make_user(services, "pia", "procesejer", team=None)
    return Api.login(client, "pia")


def _table(owner: Api, key: str) -> str:
    response = owner.get(f"/decisions/{key}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["dmn_xml"]


VERSIONS_1 = {"serviceniveau_forslag": 1, "kompetence": 1, "ydelser": 1, "leverandoerer": 1}


def _r1(case: dict) -> str:
    return next(d["due"] for d in case["deadlines"] if d["rule_id"] == "R1")


def test_a_changed_table_alters_frist_and_cadence_for_new_cases_only(owner, sara):
    running = sara.open_case(title="Før ændringen", ydelse="SEL § 85")
    assert running["kvalitetsstandard"] == {**VERSIONS_1, "sagsbehandlingsfrist": 1, "opfoelgningskadence": 1}

    frister = _table(owner, "sagsbehandlingsfrist").replace(
        '"SEL § 85"</text></inputEntry>\n        <outputEntry id="r5_frist"><text>"8 uger"',
        '"SEL § 85"</text></inputEntry>\n        <outputEntry id="r5_frist"><text>"6 uger"',
    )
    assert '"6 uger"' in frister
    kadence = _table(owner, "opfoelgningskadence").replace(
        '<outputEntry id="r5_foerste"><text>"3 måneder"', '<outputEntry id="r5_foerste"><text>"2 måneder"'
    )
    for xml in (frister, kadence):
        response = owner.post("/decisions", json={"dmn": xml})
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["version"] == 2
    assert owner.post("/decisions", json={"dmn": kadence}).get_json()["created"] is False  # unchanged = same

    new = sara.open_case(title="Efter ændringen", ydelse="SEL § 85")
    assert new["kvalitetsstandard"] == {**VERSIONS_1, "sagsbehandlingsfrist": 2, "opfoelgningskadence": 2}
    assert _r1(new).startswith("2027-01-04")  # 6 uger from Monday 23 November
    assert _r1(sara.get(f"/cases/{running['id']}").get_json()).startswith("2027-01-18")  # still 8 uger

    old_followup = to_opfoelgning(sara, running["id"])
    new_followup = to_opfoelgning(sara, new["id"])
    assert old_followup["due_at"].startswith("2027-04-04")  # bevilling starts 4 January + 3 måneder
    assert new_followup["due_at"].startswith("2027-03-04")  # + 2 måneder under version 2


BAD_TABLES = [
    ("<dmn:definitions", None, "Ikke gyldig XML"),
    ('id="opfoelgningskadence"', "kaffeordning", "Ukendt tabel"),
    ('<text>"12 uger"</text></outputEntry>', "regel_1", "afvises"),
    ('<text>"24 måneder"</text>', "regel_16", "'foerste'"),
    ('<inputEntry id="r5_ydelse"><text>"SEL § 85"</text>', "opfoelgningskadence", "'SEL § 85'"),
]


@pytest.mark.parametrize(("needle", "element", "words"), BAD_TABLES)
def test_a_bad_table_is_refused_naming_the_element_and_nothing_is_deployed(owner, needle, element, words):
    xml = _table(owner, "opfoelgningskadence")
    broken = {
        "<dmn:definitions": "<dmn:definitions",
        'id="opfoelgningskadence"': xml.replace('id="opfoelgningskadence"', 'id="kaffeordning"'),
        '<text>"12 uger"</text></outputEntry>': xml.replace(
            '<text>"12 uger"</text></outputEntry>', "<text>__import__('os').system('id')</text></outputEntry>", 1
        ),
        '<text>"24 måneder"</text>': xml.replace('<text>"24 måneder"</text>', '<text>"9 æbler"</text>', 1),
        '<inputEntry id="r5_ydelse"><text>"SEL § 85"</text>': xml.replace(
            '<inputEntry id="r5_ydelse"><text>"SEL § 85"</text>', '<inputEntry id="r5_ydelse"><text>"SEL § 999"</text>'
        ),
    }[needle]
    assert broken != xml
    before = owner.get("/decisions").get_json()
    response = owner.post("/decisions", json={"dmn": broken})
    assert response.status_code == 422, response.get_json()
    problem = response.get_json()["errors"]["diagram"][0]
    assert words in problem["message"]
    if element:
        assert problem["element_id"] == element
    assert owner.get("/decisions").get_json() == before


def test_only_process_owners_change_the_standard(sara, owner):
    xml = _table(owner, "opfoelgningskadence")
    assert sara.post("/decisions", json={"dmn": xml}).status_code == 403
    assert sara.get("/decisions/opfoelgningskadence").status_code == 403
