"""The server-rendered pages through Flask's test client: login, CSRF, inbox, task form, case, roles."""

from __future__ import annotations

import pytest

from tests.helpers import (
    Api,
    afgoerelse,
    bevilling,
    dispatch,
    henvendelse,
    make_team,
    make_user,
    partshoering,
    udredning,
)
from tests.ui.pages import Browser, text


@pytest.fixture
def people(services):
    make_user(services, "sara", "sagsbehandler")
    make_user(services, "nord2", "sagsbehandler")
    make_user(services, "syd", "sagsbehandler", team="Team Syd")
    make_user(services, "karen", "faglig_konsulent", team=None)
    make_user(services, "lars", "leder", team=None)
    make_user(services, "pia", "procesejer", team=None)


@pytest.fixture
def case(client, people):
    api = Api.login(client, "sara")
    return api.open_case(title="Ansøgning om bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger"})


def test_pages_need_login_and_login_needs_the_right_password(client, people):
    assert client.get("/indbakke").status_code == 302
    assert client.get("/indbakke").headers["Location"].startswith("/log-ind")
    browser = Browser(client)
    wrong = browser.post("/log-ind", {"username": "sara", "password": "forkert"})
    assert wrong.status_code == 401
    assert "Forkert brugernavn eller adgangskode" in text(wrong)
    Browser.login(client, "sara")
    assert client.get("/indbakke").status_code == 200


def test_a_post_without_csrf_token_is_refused_and_changes_nothing(client, case):
    Browser.login(client, "sara")
    task_id = case["tasks"][0]["id"]
    response = client.post(f"/opgaver/{task_id}/tag", data={})
    assert response.status_code == 400
    assert "CSRF" in text(response)
    assert Api.login(client, "sara").get(f"/tasks/{task_id}").get_json()["status"] == "open"


def test_login_redirect_stays_on_this_site(client, people):
    browser = Browser(client)
    response = browser.client.post(
        "/log-ind?next=//evil.example/x",
        data={"csrf_token": browser.csrf(), "username": "sara", "password": "korrekt-hest-1"},
    )
    assert response.headers["Location"] == "/"


def test_session_ends_after_30_idle_minutes(client, people, clock):
    Browser.login(client, "sara")
    clock.advance(minutes=29)
    assert client.get("/indbakke").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/indbakke")
    assert response.status_code == 302
    assert "ikke har været aktiv" in text(client.get("/log-ind"))


def test_logout_revokes_the_session(client, people):
    browser = Browser.login(client, "sara")
    cookie = client.get_cookie("sagsflow_session").value
    browser.post("/log-ud", from_page="/indbakke")
    client.set_cookie("sagsflow_session", cookie)  # replaying the old cookie does not log back in
    assert client.get("/indbakke").status_code == 302


def test_inbox_lists_the_task_with_its_frist_rule_and_views_filter(client, case):
    browser = Browser.login(client, "sara")
    page = text(browser.get("/indbakke"))
    assert "Vurdér henvendelse" in page and case["reference"] in page
    assert "Ingen opgaver" in text(browser.get("/indbakke?vis=mine"))
    task_id = case["tasks"][0]["id"]
    browser.post(f"/opgaver/{task_id}/tag", from_page="/indbakke")
    assert "Vurdér henvendelse" in text(browser.get("/indbakke?vis=mine"))
    assert "Ingen opgaver" in text(browser.get("/indbakke?vis=ledige"))
    partial = browser.get("/indbakke?vis=mine", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<table" in partial and "<html" not in partial


def test_another_teams_case_and_task_are_not_found(client, case):
    browser = Browser.login(client, "syd")
    assert browser.get(f"/sager/{case['id']}").status_code == 404
    assert browser.get(f"/opgaver/{case['tasks'][0]['id']}").status_code == 404
    assert case["reference"] not in text(browser.get("/indbakke"))


def test_form_errors_name_the_field_and_keep_the_values(client, case):
    api = Api.login(client, "sara")
    api.complete(case["tasks"][0]["id"], henvendelse())
    task = api.only_task(case["id"])
    browser = Browser.login(client, "sara")
    browser.post(f"/opgaver/{task['id']}/tag", from_page="/indbakke")
    response = browser.post(
        f"/opgaver/{task['id']}/udfoer",
        {
            "version": str(api.get(f"/cases/{case['id']}").get_json()["version"]),
            "livsomraader.kommunikation.niveau": "C",
            "maal": "Handle selv ind",
        },
        from_page="/indbakke",
    )
    assert response.status_code == 422
    page = text(response)
    assert "Faglig vurdering: Feltet skal udfyldes" in page
    assert "Livsområder › Mobilitet › Niveau: Feltet skal udfyldes" in page
    assert 'value="Handle selv ind"' in response.get_data(as_text=True) or "Handle selv ind" in page
    assert api.only_task(case["id"])["id"] == task["id"]  # nothing moved


def test_completing_a_task_leads_to_the_next_one(client, case):
    api = Api.login(client, "sara")
    api.complete(case["tasks"][0]["id"], henvendelse())
    api.complete(api.only_task(case["id"])["id"], udredning())
    task = api.only_task(case["id"])
    browser = Browser.login(client, "sara")
    browser.post(f"/opgaver/{task['id']}/tag", from_page="/indbakke")
    data = {
        **partshoering(),
        "partshoering_svarfrist_dage": "14",
        "version": str(api.get(f"/cases/{case['id']}").get_json()["version"]),
    }
    response = browser.post(f"/opgaver/{task['id']}/udfoer", data, from_page="/indbakke")
    assert response.status_code == 302
    next_task = api.only_task(case["id"])
    assert response.headers["Location"] == f"/opgaver/{next_task['id']}"
    assert "Registrér partshøringssvar" in text(browser.get(response.headers["Location"]))


def test_a_stale_form_is_refused(client, case):
    browser = Browser.login(client, "sara")
    task_id = case["tasks"][0]["id"]
    browser.post(f"/opgaver/{task_id}/tag", from_page="/indbakke")
    data = {"kilde": "borger", "samtykke": "true", "tolk": "false", "bisidder": "false", "version": "0"}
    response = browser.post(f"/opgaver/{task_id}/udfoer", data, from_page="/indbakke", follow_redirects=True)
    assert "forældet version" in text(response)
    assert Api.login(client, "sara").get(f"/tasks/{task_id}").get_json()["status"] == "claimed"


def test_case_page_shows_timeline_frister_and_is_access_logged(client, case):
    browser = Browser.login(client, "sara")
    page = text(browser.get(f"/sager/{case['id']}"))
    assert "Henvendelse registreret" in page
    assert "Retssikkerhedsloven § 3, stk. 2" in page
    assert "Vurdér henvendelse" in page
    make_user(client.application.extensions["sagsflow"], "admin1", "administrator", team=None)
    log = Api.login(client, "admin1").get(f"/access-log?case_id={case['id']}").get_json()
    assert any(e["purpose"] == "ui:sag" and e["username"] == "sara" for e in log)


def test_approval_queue_shows_what_to_approve_and_records_a_rejection_reason(client, case):
    api = Api.login(client, "sara")
    api.complete(case["tasks"][0]["id"], henvendelse())
    api.complete(api.only_task(case["id"])["id"], udredning())
    api.complete(api.only_task(case["id"])["id"], partshoering())
    svar = api.only_task(case["id"])
    api.complete(svar["id"], {"svar_modtaget": "2026-11-30", "borgerens_bemaerkninger": "OK"})
    api.complete(api.only_task(case["id"])["id"], afgoerelse(afvigelse=True))
    konsulent = Browser.login(client, "karen")
    queue = text(konsulent.get("/godkendelser"))
    assert "Godkend afvigelse" in queue and case["reference"] in queue
    approval = Api.login(client, "karen").get("/tasks?role=faglig_konsulent").get_json()[0]
    page = text(konsulent.get(f"/opgaver/{approval['id']}"))
    assert "Pakke over standarden pga. særlige behov" in page
    konsulent.post(f"/opgaver/{approval['id']}/tag", from_page="/godkendelser")
    missing_reason = konsulent.post(
        f"/opgaver/{approval['id']}/udfoer", {"godkendt": "false"}, from_page="/godkendelser"
    )
    assert missing_reason.status_code == 422
    assert "Kommentar: Feltet skal udfyldes" in text(missing_reason)
    done = konsulent.post(
        f"/opgaver/{approval['id']}/udfoer",
        {"godkendt": "false", "kommentar": "Ikke tilstrækkeligt belyst"},
        from_page="/godkendelser",
    )
    assert done.status_code == 302
    journal = api.get(f"/cases/{case['id']}/journal").get_json()
    assert "Godkend afvigelse: afvist – Ikke tilstrækkeligt belyst" in [e["message"] for e in journal]
    assert api.only_task(case["id"])["name"] == "Træf afgørelse"


def test_pages_are_for_their_roles(client, people):
    sara = Browser.login(client, "sara")
    assert sara.get("/overblik").status_code == 403
    assert sara.get("/processer").status_code == 403
    assert sara.get("/godkendelser").status_code == 403
    assert sara.get("/rapporter/sagsbehandlingstider.csv").status_code == 403


def test_modeler_deploys_and_refuses_a_broken_diagram_naming_the_element(client, people, settings):
    pia = Browser.login(client, "pia")
    assert "Sagsbehandling" in text(pia.get("/processer"))
    assert "data-deploy-url" in pia.get("/processer/sagsbehandling/modeler").get_data(as_text=True)
    bpmn = (settings.processes_dir / "sagsbehandling.bpmn").read_text(encoding="utf-8")
    token = pia.csrf("/processer")
    broken = bpmn.replace('name="Faglig konsulent"', 'name="Kaffeholdet"')
    response = client.post("/processer/sagsbehandling/udrul", json={"bpmn": broken}, headers={"X-CSRFToken": token})
    assert response.status_code == 422
    problems = response.get_json()["problems"]
    assert any({"element_id": "godkend_afvigelse"}.items() <= p.items() for p in problems)
    renamed = bpmn.replace('name="Udredning (VUM 2.0)"', 'name="Udredning efter VUM"')
    response = client.post("/processer/sagsbehandling/udrul", json={"bpmn": renamed}, headers={"X-CSRFToken": token})
    assert response.status_code == 201 and response.get_json()["version"] == 2
    no_csrf = client.post("/processer/sagsbehandling/udrul", json={"bpmn": renamed})
    assert no_csrf.status_code == 400


def test_sagsbehandler_registers_a_henvendelse_from_the_browser(client, people):
    sara = Browser.login(client, "sara")
    bad = sara.post(
        "/sager/ny", {"ydelse": "SEL § 85", "received_on": "2026-11-20", "cpr": "12-34"}, from_page="/sager/ny"
    )
    assert bad.status_code == 422
    page = text(bad)
    assert "Emne: Feltet skal udfyldes" in page
    assert "CPR-nummer: DDMMÅÅ-XXXX" in page
    assert Api.login(client, "sara").get("/tasks").get_json() == []  # nothing was created
    good = sara.post(
        "/sager/ny",
        {"title": "Ansøgning om bostøtte", "ydelse": "SEL § 85", "received_on": "2026-11-20", "cpr": "010203-1234"},
        from_page="/sager/ny",
    )
    assert good.status_code == 302
    case = text(sara.get(good.headers["Location"]))
    assert "Ansøgning om bostøtte" in case and "010203-1234" in case
    assert "15. jan. 2027" in case  # 8 uger from Friday 20 November, not from today


def test_krisecenter_registers_an_anonymous_stay_and_sees_a_late_orientering(client, services):
    make_user(services, "kc", "krisecenter", team=None)
    make_team(services, "Team Nord")
    kc = Browser.login(client, "kc")
    response = kc.post(
        "/ophold/nyt",
        {"process": "krisecenter", "stay_started_on": "2026-11-17", "received_on": "2026-11-23", "team": "Team Nord"},
        from_page="/ophold/nyt",
    )
    assert response.status_code == 302
    page = text(kc.get(response.headers["Location"]))
    assert "Anonym" in page
    assert "For sent" in page  # 3 hverdage after Tuesday 17 November ended on Friday 20 November
    assert kc.get("/sager/ny").status_code == 403


def test_case_page_lists_the_afgoerelse_letter_and_serves_its_pdf(client, case, services):
    api = Api.login(client, "sara")
    api.complete(case["tasks"][0]["id"], henvendelse())
    api.complete(api.only_task(case["id"])["id"], udredning())
    api.complete(api.only_task(case["id"])["id"], partshoering())
    api.complete(api.only_task(case["id"])["id"], {"svar_modtaget": "2026-11-30"})
    api.complete(api.only_task(case["id"])["id"], afgoerelse())
    api.complete(api.only_task(case["id"])["id"], bevilling())  # the afgørelsesbrev states what was granted
    dispatch(services)
    browser = Browser.login(client, "sara")
    page = text(browser.get(f"/sager/{case['id']}"))
    assert "Afgørelse om SEL § 85 (PDF)" in page and "klagefristen udløber 21. dec. 2026" in page
    assert (
        "Trin 3: gennemsnitligt 2,8 timers støtte om ugen" in page
        and "Center for Social Rehabilitering" in page
        and "Aktiv" in page
    )  # the bevilling
    assert "Ansøgning (SEL § 85)" in page and "Partshøring gennemført" in page  # the afgørelse
    letter_id = next(x["id"] for x in api.get(f"/cases/{case['id']}/letters").get_json() if x["kind"] == "afgoerelse")
    pdf = browser.get(f"/sager/{case['id']}/breve/{letter_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert Browser.login(client, "syd").get(f"/sager/{case['id']}/breve/{letter_id}.pdf").status_code == 404


def test_the_case_page_shows_the_sagsansvarlig_and_a_leder_gives_the_case_to_a_colleague(client, case):
    sara_page = text(Browser.login(client, "sara").get(f"/sager/{case['id']}"))
    assert "Sagsansvarlig" in sara_page and "sara" in sara_page
    lars = Browser.login(client, "lars")
    moved = lars.post(f"/sager/{case['id']}/sagsansvarlig", {"username": "nord2"}, from_page=f"/sager/{case['id']}")
    assert moved.status_code == 302
    page = text(lars.get(f"/sager/{case['id']}"))
    assert "nord2 er nu sagsansvarlig" in page and "Sagsansvarlig er nu nord2 (før: sara)" in page
    mine = text(Browser.login(client, "nord2").get("/indbakke?vis=mine-sager"))
    assert case["reference"] in mine


def test_the_overview_lists_cases_no_one_is_responsible_for(client, services, people):
    make_user(services, "kc", "krisecenter", team=None)
    stay = Api.login(client, "kc").post(
        "/cases", json={"process": "krisecenter", "team": "Team Nord", "stay_started_on": "2026-11-20"}
    )
    page = text(Browser.login(client, "lars").get("/overblik"))
    assert "Ufordelte sager" in page and stay.get_json()["reference"] in page


def test_a_change_is_proposed_heard_and_decided_from_the_browser_forms(client, case, services):
    api = Api.login(client, "sara")
    for data in (
        henvendelse(),
        udredning(),
        partshoering(),
        {"svar_modtaget": "2026-11-30"},
        afgoerelse(),
        bevilling(),
    ):
        api.complete(api.only_task(case["id"])["id"], data)
    opf = api.only_task(case["id"])
    browser = Browser.login(client, "sara")
    page = text(browser.get(f"/opgaver/{opf['id']}"))
    assert "Foreslå ændring af bevillingen" in page
    api.complete(opf["id"], {"opfoelgning_dato": "2027-04-01", "ydelse_fortsaetter": False})
    hoering = api.only_task(case["id"])
    page = text(browser.get(f"/opgaver/{hoering['id']}"))
    assert "Partshøring om ændring eller ophør" in page and "§ 19, stk. 2, nr. 1" in page
    browser.post(f"/opgaver/{hoering['id']}/tag", {}, from_page=f"/opgaver/{hoering['id']}")
    refused = browser.post(
        f"/opgaver/{hoering['id']}/udfoer", {"partshoering_undtagelse": "nr1"}, from_page=f"/opgaver/{hoering['id']}"
    )
    assert refused.status_code == 422 and "Begrundelse for at undlade partshøring" in text(refused)
    api.complete(hoering["id"], {"partshoering_undtagelse": "nr1", "undtagelse_begrundelse": "Borgerens eget ønske"})
    decide = api.only_task(case["id"])
    page = text(browser.get(f"/opgaver/{decide['id']}"))
    assert "Begrundelse: de faktiske forhold" in page and "Sidste dag med ydelsen" in page
