"""Start and stop the real OpenID provider of tests/oidc/provider.mjs (panva's oidc-provider, on node)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "sagsflow-test"
CLIENT_SECRET = "test-client-secret-0123456789"

# Who can log in at the provider: the login name picks the account, its claims are what the provider asserts.
ACCOUNTS = {
    "anna": {
        "name": "Anna Andersen",
        "preferred_username": "anna.andersen",
        "email": "anna@kommune.test",
        "groups": ["SF-Sagsbehandlere", "Alle-ansatte"],
        "team": "Team Nord",
    },
    "kim": {
        "name": "Kim Konsulent",
        "preferred_username": "kim.k",
        "email": "kim@kommune.test",
        "groups": ["SF-Faglig-konsulent"],
    },
    "udenrolle": {"name": "Ude N. Rolle", "preferred_username": "uden", "groups": ["Alle-ansatte"]},
}
ROLE_MAP = {"SF-Sagsbehandlere": ["sagsbehandler"], "SF-Faglig-konsulent": ["faglig_konsulent"]}


def provider_missing() -> str | None:
    if shutil.which("node") is None:
        return "node findes ikke (OpenID-udbyderen til testene kører på node)"
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        return "npm-pakken oidc-provider mangler (bash scripts/assets.sh)"
    return None


def skip_or_fail_without_provider() -> None:
    if reason := provider_missing():
        if os.environ.get("SAGSFLOW_BROWSER_TESTS") == "required":
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass
class OpenIdProvider:
    redirect_uri: str
    issuer: str = ""
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> OpenIdProvider:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "OP_CLIENT_ID": CLIENT_ID,
            "OP_CLIENT_SECRET": CLIENT_SECRET,
            "OP_REDIRECT_URI": self.redirect_uri,
            "OP_ACCOUNTS": json.dumps(ACCOUNTS),
        }
        self.process = subprocess.Popen(
            ["node", str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line:
            self.stop()
            raise RuntimeError("OpenID-udbyderen startede ikke")
        self.issuer = json.loads(line)["issuer"]
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
