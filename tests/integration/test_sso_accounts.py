"""Accounts from single sign-on: provisioned at the first login, refreshed from the claims at every login."""

from __future__ import annotations

import dataclasses
import re

import pytest
from sqlalchemy import select

from tasks.accounts.model import User
from tasks.accounts.sso import ClaimMapping, sign_in
from tasks.accounts.tokens import actor_for_token
from tasks.service.errors import Conflict, Forbidden
from tests.helpers import PASSWORD, make_user
from tests.ui.pages import text
from web.app import create_app
from web.config import ConfigError, OidcSettings, Settings

ISSUER = "https://login.kommune.test"
MAPPING = ClaimMapping(role_map={"SF-Sagsbehandlere": ("sagsbehandler",), "SF-Ledere": ("leder",)})


def claims(**extra):
    return {
        "sub": "abc-123",
        "preferred_username": "anna",
        "name": "Anna A",
        "groups": ["SF-Sagsbehandlere"],
        "team": "Team Nord",
        **extra,
    }


def test_the_first_login_provisions_the_user_with_the_roles_and_team_of_the_claims(services, clock):
    signed = sign_in(services.uow(), ISSUER, claims(), MAPPING, clock.now())
    assert signed.created and signed.roles == ["sagsbehandler"]
    actor = actor_for_token(services.uow(), signed.token, clock.now())
    assert actor.username == "anna" and actor.roles == {"sagsbehandler"} and actor.team == "Team Nord"


def test_roles_and_team_follow_the_claims_at_every_login(services, clock):
    sign_in(services.uow(), ISSUER, claims(), MAPPING, clock.now())
    moved = claims(groups=["SF-Ledere", "SF-Sagsbehandlere"], team="Team Syd", preferred_username="anna2")
    again = sign_in(services.uow(), ISSUER, moved, MAPPING, clock.now())
    assert not again.created and again.username == "anna"  # found by subject; the username stays
    actor = actor_for_token(services.uow(), again.token, clock.now())
    assert actor.roles == {"leder", "sagsbehandler"} and actor.team == "Team Syd"
    with pytest.raises(Forbidden, match="ingen rolle"):
        sign_in(services.uow(), ISSUER, claims(groups=["Alle-ansatte"]), MAPPING, clock.now())


def test_a_provider_username_cannot_take_over_a_local_account(services, clock):
    make_user(services, "anna", "administrator", team=None)
    with pytest.raises(Conflict, match="lokal bruger"):
        sign_in(services.uow(), ISSUER, claims(), MAPPING, clock.now())
    with services.uow() as uow:
        assert uow.session.scalar(select(User).where(User.username == "anna")).sso_subject is None


def test_without_a_role_map_claim_values_that_are_role_names_count(services, clock):
    signed = sign_in(services.uow(), ISSUER, claims(groups="procesejer"), ClaimMapping(), clock.now())
    assert signed.roles == ["procesejer"]


def test_password_login_can_be_turned_off(services, settings):
    make_user(services, "sara", "sagsbehandler")
    oidc = OidcSettings(issuer=ISSUER, client_id="sagsflow", client_secret="s", name="KommuneLogin")
    client = create_app(dataclasses.replace(settings, password_login=False, oidc=oidc), services).test_client()
    html = client.get("/log-ind").get_data(as_text=True)
    assert "Log ind med KommuneLogin" in html and "Adgangskode" not in html
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)
    posted = client.post("/log-ind", data={"csrf_token": csrf, "username": "sara", "password": PASSWORD})
    assert posted.status_code == 403
    api = client.post("/api/v1/auth/token", json={"username": "sara", "password": PASSWORD})
    assert api.status_code == 403 and "slået fra" in api.get_json()["message"]


def test_the_login_page_offers_single_sign_on_only_when_it_is_set_up(client):
    assert "Log ind med" not in text(client.get("/log-ind"))
    assert client.get("/log-ind/sso").status_code == 403


def test_sso_settings_come_from_the_environment():
    env = {
        "SAGSFLOW_OIDC_ISSUER": "https://login.kommune.dk/",
        "SAGSFLOW_OIDC_CLIENT_ID": "sagsflow",
        "SAGSFLOW_OIDC_CLIENT_SECRET": "hemmelig",
        "SAGSFLOW_OIDC_NAME": "Vejle Kommunes login",
        "SAGSFLOW_OIDC_ROLE_MAP": '{"SF-Ledere": "leder", "SF-Alle": ["sagsbehandler", "krisecenter"]}',
    }
    oidc = Settings.from_env(env).oidc
    assert oidc is not None and oidc.issuer == "https://login.kommune.dk" and oidc.name == "Vejle Kommunes login"
    assert oidc.role_map == {"SF-Ledere": ("leder",), "SF-Alle": ("sagsbehandler", "krisecenter")}
    assert Settings.from_env({}).oidc is None
    with pytest.raises(ConfigError, match="JSON"):
        Settings.from_env({**env, "SAGSFLOW_OIDC_ROLE_MAP": "{leder"})
    with pytest.raises(ConfigError, match="CLIENT_ID"):
        Settings.from_env({"SAGSFLOW_OIDC_ISSUER": "https://x"})


def test_an_unreachable_identity_provider_gives_a_danish_page_not_a_crash(services, settings):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    oidc = OidcSettings(issuer=f"http://127.0.0.1:{port}", client_id="sagsflow", client_secret="s")
    client = create_app(dataclasses.replace(settings, oidc=oidc), services).test_client()
    response = client.get("/log-ind/sso")
    assert response.status_code == 503 and "Identitetsudbyderen svarer ikke" in text(response)
