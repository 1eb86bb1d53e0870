"""Issue 14's pages through Flask's test client: the case page's handleplan and bestillinger, the
visitationsudvalg's page, the catalogue page with upload and activation, and the catalogue's choices in forms.
Each: who may (403 and no link for the others) and bad input (a Danish error, nothing changed)."""

from __future__ import annotations

import io
import json

import pytest

from tests.helpers import (
    Api,
    decided_case,
    henvendelse,
    make_user,
    partshoering,
    to_opfoelgning,
    to_udvalg,
    udredning,
)
from tests.ui.pages import Browser, text

GOAL = "Handler selv ind to gange om ugen"
CATALOGUE = "/kvalitetsstandard/katalog"
UDVALG = "/visitationsudvalg"


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "karen", "faglig_konsulent", team=None)
    make_user(services, "lars", "leder", team=None)
    make_user(services, "pia", "procesejer", team=None)


@pytest.fixture
def api(client, people) -> Api:
    return Api.login(client, "sara")


def _plan(api: Api, case_id: int):
    return api.get(f"/cases/{case_id}/handleplan")


# --- handleplan and bestillinger on the case page ---------------------------------------------------------------


def test_a_sagsbehandler_offers_and_accepts_the_handleplan_on_the_case_page(client, api):
    case = api.open_case()
    sara = Browser.login(client, "sara")
    page = text(sara.get(f"/sager/{case['id']}"))
    assert "Handleplan" in page and "Sagen har ingen handleplan" in page
    path = f"/sager/{case['id']}/handleplan"
    offered = {"status": "tilbudt", "maal-0-indsatsformaal": "", "maal-0-maal": ""}
    done = sara.post(path, offered, from_page=f"/sager/{case['id']}")
    assert done.status_code == 302
    assert _plan(api, case["id"]).get_json()["status"] == "tilbudt"
    form = {"status": "accepteret", "maal-0-indsatsformaal": "Indkøb", "maal-0-maal": GOAL}
    assert sara.post(path, form, from_page=f"/sager/{case['id']}").status_code == 302
    shown = text(sara.get(f"/sager/{case['id']}"))
    assert "Accepteret" in shown and GOAL in shown


def test_a_bad_handleplan_is_refused_in_danish_and_nothing_is_stored(client, api):
    case = api.open_case()
    sara = Browser.login(client, "sara")
    path = f"/sager/{case['id']}/handleplan"
    refused = sara.post(path, {"status": "accepteret", "maal-0-indsatsformaal": "", "maal-0-maal": ""})
    assert refused.status_code == 422
    assert "Skriv indsatsformål og mål" in text(refused)
    half = sara.post(path, {"status": "tilbudt", "maal-0-indsatsformaal": "Indkøb", "maal-0-maal": ""})
    assert half.status_code == 422 and "Feltet skal udfyldes" in text(half)
    assert 'value="Indkøb"' in half.get_data(as_text=True)  # what was typed is kept
    gap = {"status": "tilbudt", "maal-0-indsatsformaal": "", "maal-0-maal": "", "maal-1-indsatsformaal": "Indkøb"}
    skipped = sara.post(path, {**gap, "maal-1-maal": ""})
    assert 'id="handleplan-maal-1-maal-fejl"' in skipped.get_data(as_text=True)  # the error at the row typed in
    goal = {"maal-0-indsatsformaal": "A", "maal-0-maal": "B"}
    bad_day = sara.post(path, {"status": "accepteret", "besvaret_on": "i går", **goal})
    assert bad_day.status_code == 422 and "Skriv en dato" in text(bad_day)
    assert _plan(api, case["id"]).status_code == 404  # nothing stored


def test_only_a_sagsbehandler_may_write_the_handleplan_or_order(client, api):
    case = api.open_case()
    lars = Browser.login(client, "lars")
    page = lars.get(f"/sager/{case['id']}").get_data(as_text=True)
    assert "Gem handleplan" not in page
    assert lars.post(f"/sager/{case['id']}/handleplan", {"status": "tilbudt"}).status_code == 403
    assert lars.post(f"/sager/{case['id']}/bestillinger", {"indsats": "x"}).status_code == 403
    assert _plan(api, case["id"]).status_code == 404


def test_a_bestilling_is_ordered_from_the_case_page_and_a_wrong_leverandoer_is_refused(client, api):
    case = api.open_case()
    to_opfoelgning(api, case["id"])
    sara = Browser.login(client, "sara")
    page = sara.get(f"/sager/{case['id']}").get_data(as_text=True)
    assert "Ny bestilling" in page and "Bevillingens: Center for Social Rehabilitering" in page
    path = f"/sager/{case['id']}/bestillinger"
    order = {"indsats": "Støtte til indkøb", "formaal": "Selvstændighed", "maal": "Handler selv ind"}
    wrong = sara.post(path, {**order, "leverandoer": "bo-vejle"})
    assert wrong.status_code == 422 and "Vælg en leverandør, der leverer SEL § 85" in text(wrong)
    empty = sara.post(path, {**order, "indsats": " "})
    assert empty.status_code == 422 and "Feltet skal udfyldes" in text(empty)
    assert api.get(f"/cases/{case['id']}/bestillinger").get_json() == []
    assert sara.post(path, order).status_code == 302
    shown = text(sara.get(f"/sager/{case['id']}"))
    assert "Støtte til indkøb" in shown and "Center for Social Rehabilitering" in shown and "Afventer" in shown


def test_without_an_active_bevilling_the_page_says_a_bestilling_needs_one(client, api):
    case = api.open_case()
    sara = Browser.login(client, "sara")
    assert "En bestilling kræver en aktiv bevilling" in text(sara.get(f"/sager/{case['id']}"))
    refused = sara.post(f"/sager/{case['id']}/bestillinger", {"indsats": "a", "formaal": "b", "maal": "c"})
    assert refused.status_code == 422 and "Opret bevillingen først" in text(refused)


# --- the catalogue page ----------------------------------------------------------------------------------------


def _catalogue_versions(client, key: str) -> list[dict]:
    return Api.login(client, "pia").get(f"/catalogue/{key}/versions").get_json()


def _ydelser(client) -> dict:
    return Api.login(client, "pia").get("/catalogue/ydelser").get_json()["content"]


def _upload(browser: Browser, key: str, content: bytes, filename: str = "katalog.json"):
    return browser.post(
        f"/kvalitetsstandard/katalog/{key}",
        {"fil": (io.BytesIO(content), filename)},
        from_page="/kvalitetsstandard/katalog",
        content_type="multipart/form-data",
    )


def test_the_catalogue_page_is_for_procesejere_only_and_linked_for_them_only(client, people):
    pia = Browser.login(client, "pia")
    page = pia.get("/kvalitetsstandard/katalog")
    assert page.status_code == 200
    shown = text(page)
    assert "SEL § 85" in shown and "Socialpædagogisk støtte" in shown and "Center for Social Rehabilitering" in shown
    assert "Trin 3" in shown and "Version 1" in shown
    assert 'href="/kvalitetsstandard/katalog"' in pia.get("/kvalitetsstandard").get_data(as_text=True)
    for name in ("sara", "lars", "karen"):
        other = Browser.login(client, name)
        assert other.get("/kvalitetsstandard/katalog").status_code == 403
        assert 'href="/kvalitetsstandard/katalog"' not in other.get("/sager").get_data(as_text=True)
        refused = other.post("/kvalitetsstandard/katalog/ydelser", {}, from_page="/sager")
        assert refused.status_code == 403
    logged_out = client.application.test_client()
    assert logged_out.get("/kvalitetsstandard/katalog").status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Filen er tom"),
        (b"\xff\xfe{}", "ikke UTF-8"),
        (b'{\n  "ydelser": [\n    {"ydelse": "SEL \xc2\xa7 85",}\n  ]\n}', "linje 3"),
        (b"[1, 2]", "Ydelseskataloget er ikke gyldig"),
    ],
)
def test_a_bad_catalogue_file_is_refused_in_danish_and_nothing_changes(client, people, content, expected):
    pia = Browser.login(client, "pia")
    refused = _upload(pia, "ydelser", content)
    assert refused.status_code == 422, text(refused)
    assert expected in text(refused) and "Ydelseskataloget blev ikke gemt" in text(refused)
    assert len(_catalogue_versions(client, "ydelser")) == 1


def test_a_catalogue_file_with_a_wrong_field_names_the_field_and_nothing_changes(client, people):
    pia = Browser.login(client, "pia")
    content = _ydelser(client)
    content["ydelser"][3]["serviceniveauer"] = [{"noegle": "Trin 1"}]  # omfang missing
    source = json.dumps(content, ensure_ascii=False, indent=2)
    line = source[: source.index(f'"ydelse": "{content["ydelser"][3]["ydelse"]}"')].count("\n") + 1
    refused = _upload(pia, "ydelser", source.encode())
    assert refused.status_code == 422
    where = f"ydelser.3.serviceniveauer.0.omfang ({content['ydelser'][3]['ydelse']}, linje {line})"
    assert where in text(refused) and "Feltet skal udfyldes" in text(refused)
    content = _ydelser(client)
    content["ydelser"].append({"ydelse": "SEL § 999", "navn": "Ukendt"})  # no frist in the tables
    refused = _upload(pia, "ydelser", json.dumps(content).encode())
    assert refused.status_code == 422 and "SEL § 999" in text(refused)
    register = {"leverandoerer": [{"id": "x", "navn": "X", "ydelser": ["SEL § 999"]}]}
    refused = _upload(pia, "leverandoerer", json.dumps(register).encode())
    assert refused.status_code == 422 and "findes ikke i ydelseskataloget" in text(refused)
    assert len(_catalogue_versions(client, "ydelser")) == len(_catalogue_versions(client, "leverandoerer")) == 1
    assert _upload(pia, "ydelser", b"", filename="").status_code == 422  # no file chosen


def test_a_procesejer_uploads_a_new_catalogue_and_activates_the_old_one_again(client, people):
    pia = Browser.login(client, "pia")
    content = _ydelser(client)
    content["kommune"] = "Prøve Kommune"
    done = _upload(pia, "ydelser", json.dumps(content, ensure_ascii=False).encode())
    assert done.status_code == 302
    page = text(pia.get("/kvalitetsstandard/katalog"))
    assert "version 2 er udrullet" in page and "Prøve Kommune" in page
    back = pia.post("/kvalitetsstandard/katalog/ydelser/versioner/1/aktiver", {}, from_page=CATALOGUE)
    assert back.status_code == 302
    assert [v["active"] for v in _catalogue_versions(client, "ydelser")] == [True, False]
    assert "Prøve Kommune" not in text(pia.get("/kvalitetsstandard/katalog"))
    missing = pia.post("/kvalitetsstandard/katalog/ydelser/versioner/9/aktiver", {}, from_page=CATALOGUE)
    assert missing.status_code == 302 and "ingen version 9" in text(pia.get("/kvalitetsstandard/katalog"))
    download = pia.get("/kvalitetsstandard/katalog/ydelser.json")
    assert download.status_code == 200 and json.loads(download.get_data(as_text=True))["ydelser"]


# --- the visitationsudvalg's page ------------------------------------------------------------------------------


def _agenda_item(client) -> dict:
    lars = Api.login(client, "lars")
    (meeting,) = lars.get("/visitationsudvalg/moeder").get_json()
    (item,) = lars.get(f"/visitationsudvalg/moeder/{meeting['id']}").get_json()["dagsorden"]
    return item


def test_the_udvalgs_page_lists_awaiting_cases_for_leder_and_konsulent_only(client, api):
    case_id = to_udvalg(api)
    reference = api.get(f"/cases/{case_id}").get_json()["reference"]
    for name in ("lars", "karen"):
        who = Browser.login(client, name)
        page = who.get("/visitationsudvalg")
        assert page.status_code == 200
        assert "Møde 24. nov. 2026" in text(page)
        assert reference in text(page) and "Afventer mødet" in text(page) and "600.000 kr." in text(page)
        assert 'href="/visitationsudvalg"' in page.get_data(as_text=True)
    assert "Registrér afgørelsen" in text(Browser.login(client, "lars").get("/visitationsudvalg"))
    assert "Registrér afgørelsen" not in text(Browser.login(client, "karen").get("/visitationsudvalg"))
    for name in ("sara", "pia"):
        who = Browser.login(client, name)
        assert who.get("/visitationsudvalg").status_code == 403
        assert 'href="/visitationsudvalg"' not in who.get("/notifikationer").get_data(as_text=True)
    item = _agenda_item(client)
    sara = Browser.login(client, "sara")
    assert sara.post(f"/visitationsudvalg/indstillinger/{item['id']}", {"afgoerelse": "fulgt"}).status_code == 403
    karen = Browser.login(client, "karen")
    karen.post(f"/visitationsudvalg/indstillinger/{item['id']}", {"afgoerelse": "fulgt"}, from_page=UDVALG)
    assert _agenda_item(client)["status"] == "afventer"  # a konsulent reads the agenda; the leder registers


def test_a_leder_records_the_udvalgs_decision_and_bad_input_changes_nothing(client, api):
    case_id = to_udvalg(api)
    item = _agenda_item(client)
    lars = Browser.login(client, "lars")
    path = f"/visitationsudvalg/indstillinger/{item['id']}"
    nothing = lars.post(path, {"kommentar": ""}, from_page="/visitationsudvalg")
    assert nothing.status_code == 422 and "Vælg, om indstillingen følges" in text(nothing)
    no_reason = lars.post(path, {"afgoerelse": "ikke_fulgt", "kommentar": ""}, from_page="/visitationsudvalg")
    assert no_reason.status_code == 422 and "Afgørelsen blev ikke registreret" in text(no_reason)
    assert _agenda_item(client)["status"] == "afventer"
    assert api.only_task(case_id)["name"] == "Visitationsudvalgets afgørelse"
    done = lars.post(path, {"afgoerelse": "fulgt", "kommentar": "Indstillingen følges"}, from_page="/visitationsudvalg")
    assert done.status_code == 302
    assert (_agenda_item(client)["status"], _agenda_item(client)["decided_by"]) == ("godkendt", "lars")
    assert api.only_task(case_id)["name"] == "Opret bevilling"
    page = text(lars.get("/visitationsudvalg"))
    assert "Udvalgets afgørelse er registreret" in page and "Indstillingen fulgt" in page
    again = lars.post(path, {"afgoerelse": "fulgt"}, from_page="/visitationsudvalg")
    assert again.status_code == 422 and "allerede truffet afgørelse" in text(again)


# --- the catalogue's choices in the forms ----------------------------------------------------------------------


def test_the_bevilling_form_offers_the_catalogues_serviceniveauer_leverandoerer_and_maalgrupper(client, api):
    case = decided_case(api)
    task = next(t for t in api.get(f"/cases/{case['id']}").get_json()["tasks"] if t["bpmn_id"] == "bevilling")
    html = Browser.login(client, "sara").get(f"/opgaver/{task['id']}").get_data(as_text=True)
    assert 'list="f-pakke-valg"' in html and '<datalist id="f-pakke-valg">' in html
    assert '<option value="Trin 3">Trin 3: ' in html
    assert 'list="f-leverandoer-valg"' in html
    assert '<option value="Center for Social Rehabilitering">' in html
    assert '<option value="Bo-Vejle">' not in html  # it does not deliver § 85


def test_the_afgoerelse_form_offers_the_serviceniveauer_of_the_case_ydelse(client, api):
    case = api.open_case(ydelse="SEL § 85")
    for data in (henvendelse(), udredning(), partshoering(), {"svar_modtaget": "2026-11-30"}):
        api.complete(api.only_task(case["id"])["id"], data)
    html = Browser.login(client, "sara").get(f"/opgaver/{api.only_task(case['id'])['id']}").get_data(as_text=True)
    assert '<datalist id="f-serviceniveau-valg">' in html
    assert [f'<option value="Trin {n}">' in html for n in range(1, 6)] == [True] * 5
