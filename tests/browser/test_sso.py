"""Single sign-on end to end: Chromium logs in through a real OpenID provider and lands in the inbox.

The provider is panva's OpenID-certified oidc-provider (npm), started on 127.0.0.1 by the test
(tests/oidc/provider.mjs); Sagsflow runs its real code flow against it: discovery, PKCE, state,
nonce, the code exchange with the client secret, the ID token's signature against the provider's
keys.  The browser may reach 127.0.0.1 only (the provider's page imports a web font).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from tasks.accounts.model import User
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, ROLE_MAP, OpenIdProvider, skip_or_fail_without_provider
from web.app import create_app
from web.config import OidcSettings

pytestmark = pytest.mark.slow


@pytest.fixture
def live_server(settings, services) -> Iterator[str]:
    """The app with single sign-on set up against a provider that knows the app's callback address."""
    skip_or_fail_without_provider()
    holder = {}
    server = make_server("127.0.0.1", 0, lambda environ, respond: holder["app"](environ, respond), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    provider = OpenIdProvider(redirect_uri=f"{base}/log-ind/sso/callback").start()
    oidc = OidcSettings(
        issuer=provider.issuer,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        name="Testkommunens login",
        scopes="openid profile email groups",
        role_map={k: tuple(v) for k, v in ROLE_MAP.items()},
    )
    holder["app"] = create_app(dataclasses.replace(settings, oidc=oidc), services)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join()
    provider.stop()


def loopback_only(route) -> None:
    if urlparse(route.request.url).hostname == "127.0.0.1":
        route.continue_()
    else:
        route.abort()


def log_in_at_provider(page, login: str) -> None:
    page.route("**/*", loopback_only)
    page.goto("/log-ind")
    page.get_by_role("link", name="Log ind med Testkommunens login").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("hvad-som-helst")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page


def test_a_caseworker_logs_in_through_the_identity_provider_and_lands_in_the_inbox(page, services):
    log_in_at_provider(page, "anna")
    page.wait_for_url("**/indbakke")
    assert "anna.andersen (Sagsbehandler, Team Nord)" in page.locator(".who").inner_text()
    with services.uow() as uow:
        anna = uow.session.scalar(select(User).where(User.username == "anna.andersen"))
        assert anna.role_names == {"sagsbehandler"} and anna.team == "Team Nord" and anna.email == "anna@kommune.test"
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/log-ind")
    page.goto("/indbakke")
    assert "/log-ind" in page.url  # logout ended the local session


def test_a_faglig_konsulent_gets_the_role_of_their_group(page):
    log_in_at_provider(page, "kim")
    page.wait_for_url("**/godkendelser")
    assert "kim.k (Faglig konsulent)" in page.locator(".who").inner_text()


def test_someone_whose_groups_map_to_no_role_is_refused_in_danish(page, services):
    log_in_at_provider(page, "udenrolle")
    assert "ingen rolle i Sagsflow" in page.locator("#login-fejl").inner_text()
    assert "/log-ind/sso/callback" in page.url
    with services.uow() as uow:
        assert uow.session.scalar(select(User).where(User.username == "uden")) is None


def test_the_redirect_carries_pkce_state_and_nonce(page, live_server):
    page.route("**/*", loopback_only)
    response = page.request.get(f"{live_server}/log-ind/sso", max_redirects=0)
    assert response.status == 302
    query = parse_qs(urlparse(response.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0] and query["client_id"] == [CLIENT_ID]
    assert query["response_type"] == ["code"]
