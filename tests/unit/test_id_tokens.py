"""ID tokens are verified before anyone is logged in: signature, issuer, audience, expiry, nonce.

The tokens are made here with keys made here, in the exact shape a provider sends; the client under
test is Sagsflow's own (web/oidc.py), with the provider's discovery and keys served from memory.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from engine.clock import FrozenClock
from web.config import OidcSettings
from web.oidc import OidcClient, SsoError

ISSUER = "https://login.kommune.test"
CLIENT = "sagsflow"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def keys() -> tuple[RSAKey, RSAKey]:
    return RSAKey.generate_key(2048, parameters={"kid": "k1"}), RSAKey.generate_key(2048, parameters={"kid": "k1"})


@pytest.fixture
def client(keys) -> OidcClient:
    provider_key, _ = keys
    oidc = OidcClient(OidcSettings(issuer=ISSUER, client_id=CLIENT, client_secret="s"), FrozenClock(NOW))
    published = KeySet([provider_key]).as_dict(private=False)
    documents = {
        f"{ISSUER}/.well-known/openid-configuration": {
            "issuer": ISSUER,
            "jwks_uri": f"{ISSUER}/jwks",
            "authorization_endpoint": f"{ISSUER}/auth",
            "token_endpoint": f"{ISSUER}/token",
            "id_token_signing_alg_values_supported": ["RS256"],
        },
        f"{ISSUER}/jwks": published,
    }
    oidc._get_json = documents.__getitem__  # type: ignore[method-assign]  # no network in a unit test
    return oidc


def id_token(key: RSAKey, **overrides) -> str:
    issued = int(NOW.timestamp())
    claims = {"iss": ISSUER, "sub": "u-1", "aud": CLIENT, "iat": issued, "exp": issued + 600, "nonce": "n-1"}
    claims.update(overrides)
    return jwt.encode({"alg": "RS256", "kid": "k1"}, {k: v for k, v in claims.items() if v is not None}, key)


def test_a_good_token_gives_its_claims(client, keys):
    claims = client.verify_id_token(id_token(keys[0], groups=["SF-Sagsbehandlere"]), "n-1")
    assert claims["sub"] == "u-1" and claims["groups"] == ["SF-Sagsbehandlere"]


def test_a_token_signed_with_another_key_is_refused(client, keys):
    with pytest.raises(SsoError, match="afvist"):
        client.verify_id_token(id_token(keys[1]), "n-1")


def test_a_token_whose_claims_were_changed_after_signing_is_refused(client, keys):
    header, payload, signature = id_token(keys[0]).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "administrator"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(SsoError):
        client.verify_id_token(f"{header}.{forged}.{signature}", "n-1")


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-client"},
        {"aud": ["another-client", "third"]},
        {"iss": "https://evil.test"},
        {"exp": int((NOW - timedelta(minutes=5)).timestamp())},
        {"iat": int((NOW + timedelta(hours=1)).timestamp()), "exp": int((NOW + timedelta(hours=2)).timestamp())},
        {"nonce": "replayed"},
        {"nonce": None},
        {"exp": None},
    ],
    ids=[
        "wrong-audience",
        "audience-list-without-us",
        "wrong-issuer",
        "expired",
        "issued-in-future",
        "wrong-nonce",
        "no-nonce",
        "no-expiry",
    ],
)
def test_a_token_with_a_wrong_claim_is_refused(client, keys, overrides):
    with pytest.raises(SsoError):
        client.verify_id_token(id_token(keys[0], **overrides), "n-1")


def test_an_unsigned_token_is_refused(client):
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    issued = int(NOW.timestamp())
    claims = {"iss": ISSUER, "sub": "u-1", "aud": CLIENT, "iat": issued, "exp": issued + 600, "nonce": "n-1"}
    with pytest.raises(SsoError):
        client.verify_id_token(f"{part({'alg': 'none'})}.{part(claims)}.", "n-1")


def test_a_callback_with_a_state_we_did_not_send_is_refused_before_any_exchange(client):
    with pytest.raises(SsoError, match="state"):
        client.finish(
            {"state": "ours", "nonce": "n", "code_verifier": "v", "redirect_uri": "x"}, {"state": "theirs", "code": "c"}
        )
    with pytest.raises(SsoError, match="state"):
        client.finish(None, {"state": "any", "code": "c"})
