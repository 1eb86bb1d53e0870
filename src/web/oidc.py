"""The OpenID Connect client: authorization code flow with PKCE, state and nonce (Authlib).

``begin`` makes the authorization URL and the secrets the browser session must keep; ``finish``
checks the state, exchanges the code (with the PKCE verifier, client secret by HTTP Basic) and
verifies the ID token: signature against the provider's published keys, issuer, audience,
expiry and nonce.  The provider's metadata comes from discovery at the first login.

Token times are checked against ``clock``: the real one in production (the provider's tokens are
stamped with real time), a frozen one in the tests of expired tokens.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from engine.clock import Clock, SystemClock
from web.config import OidcSettings

LEEWAY_SECONDS = 60
HTTP_TIMEOUT = 10


class SsoError(Exception):
    """The login through the identity provider failed; the message is for the user (Danish)."""


@dataclass(frozen=True)
class Pending:
    """What the browser session keeps between the redirect and the callback."""

    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str

    def as_dict(self) -> dict[str, str]:
        return {
            "state": self.state,
            "nonce": self.nonce,
            "code_verifier": self.code_verifier,
            "redirect_uri": self.redirect_uri,
        }


class OidcClient:
    def __init__(self, settings: OidcSettings, clock: Clock | None = None) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self._metadata: dict[str, Any] | None = None
        self._keys: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def begin(self, redirect_uri: str) -> tuple[str, Pending]:
        pending = Pending(generate_token(32), generate_token(32), generate_token(64), redirect_uri)
        url, _state = self._session(redirect_uri).create_authorization_url(
            self.metadata()["authorization_endpoint"],
            state=pending.state,
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
        )
        return url, pending

    def finish(self, pending: Mapping[str, str] | None, params: Mapping[str, str]) -> dict[str, Any]:
        """The verified ID-token claims of the callback ``params``; raises ``SsoError`` otherwise."""
        if not pending or params.get("state") != pending.get("state"):
            raise SsoError("Login-forsøget kunne ikke genkendes (forkert eller udløbet state). Prøv igen.")
        if "error" in params:
            raise SsoError(f"Identitetsudbyderen afviste login: {params.get('error_description') or params['error']}")
        if not params.get("code"):
            raise SsoError("Identitetsudbyderen sendte ingen kode tilbage.")
        try:
            token = self._session(pending["redirect_uri"]).fetch_token(
                self.metadata()["token_endpoint"],
                code=params["code"],
                code_verifier=pending["code_verifier"],
                timeout=HTTP_TIMEOUT,
            )
        except Exception as exc:  # noqa: BLE001 — any failure of the exchange means "no login"
            raise SsoError("Koden fra identitetsudbyderen kunne ikke indløses.") from exc
        if "id_token" not in token:
            raise SsoError("Identitetsudbyderen sendte intet ID-token.")
        return self.verify_id_token(token["id_token"], pending["nonce"], token.get("access_token"))

    def verify_id_token(self, raw: str, nonce: str, access_token: str | None = None) -> dict[str, Any]:
        """Signature (the provider's keys), issuer, audience, expiry, issued-at and nonce, or ``SsoError``."""
        try:
            decoded = self._decode(raw)
            claims = CodeIDToken(
                decoded.claims,
                decoded.header,
                {
                    "iss": {"essential": True, "value": self.metadata()["issuer"]},
                    "aud": {"essential": True, "values": [self.settings.client_id]},
                },
                {"nonce": nonce, "client_id": self.settings.client_id, "access_token": access_token},
            )
            claims.validate(now=int(self.clock.now().timestamp()), leeway=LEEWAY_SECONDS)
        except (JoseError, ValueError) as exc:
            raise SsoError("ID-tokenet fra identitetsudbyderen blev afvist.") from exc
        return dict(claims)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, fetched once; its issuer must be the configured one."""
        with self._lock:
            if self._metadata is None:
                url = f"{self.settings.issuer}/.well-known/openid-configuration"
                try:
                    metadata = self._get_json(url)
                except Exception as exc:  # noqa: BLE001
                    raise SsoError("Identitetsudbyderen svarer ikke. Prøv igen om lidt.") from exc
                if metadata.get("issuer", "").rstrip("/") != self.settings.issuer:
                    raise SsoError("Identitetsudbyderens udstedernavn svarer ikke til opsætningen.")
                self._metadata = metadata
            return self._metadata

    def _decode(self, raw: str) -> Any:
        registry = JWSRegistry(algorithms=self.metadata().get("id_token_signing_alg_values_supported") or ["RS256"])
        try:
            return jwt.decode(raw, KeySet.import_key_set(self._jwks()), registry=registry)  # type: ignore[arg-type]
        except InvalidKeyIdError:  # the provider rotated its keys: fetch them again, once
            return jwt.decode(raw, KeySet.import_key_set(self._jwks(refresh=True)), registry=registry)  # type: ignore[arg-type]

    def _jwks(self, refresh: bool = False) -> dict[str, Any]:
        with self._lock:
            if self._keys is None or refresh:
                self._keys = None
                keys = self._get_json(self._metadata_unlocked()["jwks_uri"])
                self._keys = keys
            return self._keys

    def _metadata_unlocked(self) -> dict[str, Any]:
        if self._metadata is None:
            raise SsoError("Identitetsudbyderen er ikke fundet endnu.")
        return self._metadata

    def _session(self, redirect_uri: str) -> OAuth2Session:
        return OAuth2Session(
            self.settings.client_id,
            self.settings.client_secret,
            scope=self.settings.scopes,
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
            token_endpoint_auth_method="client_secret_basic",
        )

    def _get_json(self, url: str) -> dict[str, Any]:
        with OAuth2Session() as http:
            response = http.get(url, timeout=HTTP_TIMEOUT, withhold_token=True)
            response.raise_for_status()
            return response.json()
