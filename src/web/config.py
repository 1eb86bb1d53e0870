"""Settings from environment variables (SAGSFLOW_*): read once, typed, passed down as values.

Every setting the service reads is a field here; nothing below this module reads the environment.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from engine.db import PoolSettings
from engine.limits import EngineLimits
from tasks.letters.digital_post import DigitalPostSettings
from tasks.letters.pdf import DEFAULT_FONT_DIR
from tasks.mail.smtp import SmtpSettings
from tasks.parties.cpr_register import CprSettings

DEFAULT_DB = Path.cwd() / "sagsflow.db"
DEFAULT_SECRET_KEY = "dev-only-change-me"
_TRUE = ("1", "true", "yes", "on", "ja")


class ConfigError(Exception):
    """A setting that makes the service unsafe or unusable; the message is Danish, then English."""


@dataclass(frozen=True)
class OidcSettings:
    """Single sign-on with an OpenID Connect provider (discovery from ``issuer``)."""

    issuer: str
    client_id: str
    client_secret: str
    name: str = "Kommunens login"
    scopes: str = "openid profile email"
    username_claim: str = "preferred_username"
    role_claim: str = "groups"
    # claim value -> Sagsflow roles; empty: claim values that are Sagsflow role names count as themselves
    role_map: dict[str, tuple[str, ...]] = field(default_factory=dict)
    team_claim: str = "team"

    @classmethod
    def from_env(cls, env: dict[str, str]) -> OidcSettings | None:
        issuer = env.get("SAGSFLOW_OIDC_ISSUER", "").strip()
        if not issuer:
            return None
        client_id = env.get("SAGSFLOW_OIDC_CLIENT_ID", "").strip()
        if not client_id:
            raise ConfigError(
                "SAGSFLOW_OIDC_CLIENT_ID mangler, når SAGSFLOW_OIDC_ISSUER er sat / "
                "SAGSFLOW_OIDC_CLIENT_ID is required when SAGSFLOW_OIDC_ISSUER is set"
            )
        return cls(
            issuer=issuer.rstrip("/"),
            client_id=client_id,
            client_secret=env.get("SAGSFLOW_OIDC_CLIENT_SECRET", ""),
            name=env.get("SAGSFLOW_OIDC_NAME", cls.name),
            scopes=env.get("SAGSFLOW_OIDC_SCOPES", cls.scopes),
            username_claim=env.get("SAGSFLOW_OIDC_USERNAME_CLAIM", cls.username_claim),
            role_claim=env.get("SAGSFLOW_OIDC_ROLE_CLAIM", cls.role_claim),
            role_map=parse_role_map(env.get("SAGSFLOW_OIDC_ROLE_MAP", "")),
            team_claim=env.get("SAGSFLOW_OIDC_TEAM_CLAIM", cls.team_claim),
        )


def parse_role_map(raw: str) -> dict[str, tuple[str, ...]]:
    """``{"claim value": "role"}`` or ``{"claim value": ["role", ...]}`` as JSON."""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"SAGSFLOW_OIDC_ROLE_MAP er ikke gyldig JSON / is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError("SAGSFLOW_OIDC_ROLE_MAP skal være et JSON-objekt / must be a JSON object")
    mapping: dict[str, tuple[str, ...]] = {}
    for value, roles in data.items():
        names = [roles] if isinstance(roles, str) else roles
        if not isinstance(names, list) or not all(isinstance(r, str) for r in names):
            raise ConfigError(f"SAGSFLOW_OIDC_ROLE_MAP[{value!r}] skal være en rolle eller en liste af roller")
        mapping[str(value)] = tuple(names)
    return mapping


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DB}"
    processes_dir: Path = Path("processes")
    secret_key: str = DEFAULT_SECRET_KEY
    # Only `sagsflow demo` may run with the development secret key (see ``check_secret_key``).
    allow_default_secret: bool = False
    base_url: str = "http://127.0.0.1:5000"
    base_url_given: bool = False
    max_body_bytes: int = 2_500_000
    deploy_on_start: bool = True
    secure_cookies: bool = False
    trusted_proxies: int = 0
    password_login: bool = True
    oidc: OidcSettings | None = None
    metrics_token: str | None = None
    scheduler_seconds: int = 30
    timer_workers: int = 1  # threads per timer sweep; more than 1 only pays on PostgreSQL
    max_upload_bytes: int = 10 * 1024 * 1024
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    engine_limits: EngineLimits = field(default_factory=EngineLimits)
    heartbeat_limit_seconds: int = 120
    log_format: str = "json"
    font_dir: Path = DEFAULT_FONT_DIR  # DejaVuSans.ttf and DejaVuSans-Bold.ttf for letters
    installation_id: uuid.UUID = uuid.uuid5(uuid.NAMESPACE_URL, base_url)  # MeMo message ids' namespace
    digital_post: DigitalPostSettings | None = None  # None: letters are recorded as sent (RecordOnly)
    cpr: CprSettings | None = None  # None: addresses are entered by hand
    pool: PoolSettings = field(default_factory=PoolSettings)  # PostgreSQL's connection pool per process

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        base_url = env.get("SAGSFLOW_BASE_URL", cls.base_url)
        return cls(
            database_url=env.get("SAGSFLOW_DATABASE_URL", cls.database_url),
            processes_dir=Path(env.get("SAGSFLOW_PROCESSES_DIR", str(_default_processes_dir()))),
            secret_key=env.get("SAGSFLOW_SECRET_KEY") or cls.secret_key,
            base_url=base_url,
            deploy_on_start=env.get("SAGSFLOW_DEPLOY_ON_START", "1") not in ("0", "false", "no"),
            secure_cookies=_flag(env, "SAGSFLOW_SECURE_COOKIES", base_url.startswith("https://")),
            trusted_proxies=_number(env, "SAGSFLOW_TRUSTED_PROXIES", cls.trusted_proxies),
            password_login=_flag(env, "SAGSFLOW_PASSWORD_LOGIN", True),
            oidc=OidcSettings.from_env(env),
            metrics_token=env.get("SAGSFLOW_METRICS_TOKEN") or None,
            scheduler_seconds=_number(env, "SAGSFLOW_SCHEDULER_SECONDS", cls.scheduler_seconds),
            timer_workers=max(1, _number(env, "SAGSFLOW_TIMER_WORKERS", cls.timer_workers)),
            heartbeat_limit_seconds=_number(env, "SAGSFLOW_HEARTBEAT_LIMIT_SECONDS", cls.heartbeat_limit_seconds),
            log_format=env.get("SAGSFLOW_LOG_FORMAT", cls.log_format),
            base_url_given="SAGSFLOW_BASE_URL" in env,
            max_upload_bytes=int(float(env.get("SAGSFLOW_MAX_UPLOAD_MB", "10")) * 1024 * 1024),
            smtp=SmtpSettings(
                host=env.get("SAGSFLOW_SMTP_HOST", SmtpSettings.host),
                port=int(env.get("SAGSFLOW_SMTP_PORT", str(SmtpSettings.port))),
                username=env.get("SAGSFLOW_SMTP_USER") or None,
                password=env.get("SAGSFLOW_SMTP_PASSWORD") or None,
                starttls=env.get("SAGSFLOW_SMTP_STARTTLS", "0").lower() in _TRUE,
                ssl=env.get("SAGSFLOW_SMTP_SSL", "0").lower() in _TRUE,
                sender=env.get("SAGSFLOW_MAIL_FROM", SmtpSettings.sender),
            ),
            engine_limits=_engine_limits(env),
            font_dir=Path(env.get("SAGSFLOW_FONT_DIR", str(DEFAULT_FONT_DIR))),
            installation_id=_installation_id(env, base_url),
            digital_post=_digital_post(env),
            cpr=_cpr(env),
            pool=PoolSettings(
                size=_positive(env, "SAGSFLOW_DB_POOL_SIZE", PoolSettings.size),
                max_overflow=_number_at_least(env, "SAGSFLOW_DB_MAX_OVERFLOW", PoolSettings.max_overflow, 0),
                timeout=_positive(env, "SAGSFLOW_DB_POOL_TIMEOUT", PoolSettings.timeout),
                recycle=_positive(env, "SAGSFLOW_DB_POOL_RECYCLE", PoolSettings.recycle),
            ),
        )

    def check_secret_key(self) -> None:
        """Signed session cookies are forgeable with the published development key."""
        if self.secret_key == DEFAULT_SECRET_KEY and not self.allow_default_secret:
            raise ConfigError(
                "Sagsflow starter ikke med udviklingsnøglen: sæt SAGSFLOW_SECRET_KEY til en lang tilfældig værdi "
                "(kun 'sagsflow demo' må bruge den). / Refusing to start with the development secret key: "
                "set SAGSFLOW_SECRET_KEY to a long random value (only 'sagsflow demo' may use it)."
            )


def _positive(env: dict[str, str], name: str, default: int) -> int:
    return _number_at_least(env, name, default, 1)


def _number_at_least(env: dict[str, str], name: str, default: int, least: int) -> int:
    value = _number(env, name, default)
    if value < least:
        raise ConfigError(f"{name} skal være mindst {least} / must be at least {least}: {value}")
    return value


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    return default if raw is None or raw == "" else raw.strip().lower() in _TRUE


def _number(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} skal være et heltal / must be an integer: {raw!r}") from exc


def _installation_id(env: dict[str, str], base_url: str) -> uuid.UUID:
    """SAGSFLOW_INSTALLATION_ID (a UUID); by default derived from the base URL.  Fix it before the first letter
    leaves: it is the namespace of every letter's MeMo message id."""
    raw = env.get("SAGSFLOW_INSTALLATION_ID", "").strip()
    if not raw:
        return uuid.uuid5(uuid.NAMESPACE_URL, base_url)
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ConfigError(f"SAGSFLOW_INSTALLATION_ID skal være et UUID / must be a UUID: {raw!r}") from None


_CVR = re.compile(r"\d{8}")


def _digital_post(env: dict[str, str]) -> DigitalPostSettings | None:
    """SAGSFLOW_DIGITAL_POST_URL and the sender's CVR; a client certificate, CA and token as the endpoint needs."""
    url = env.get("SAGSFLOW_DIGITAL_POST_URL", "").strip()
    if not url:
        return None
    cvr = env.get("SAGSFLOW_DIGITAL_POST_SENDER_CVR", "").strip()
    if not _CVR.fullmatch(cvr):
        raise ConfigError(
            "SAGSFLOW_DIGITAL_POST_SENDER_CVR skal være kommunens CVR-nummer (8 cifre), når SAGSFLOW_DIGITAL_POST_URL "
            "er sat / must be the municipality's CVR number (8 digits)"
        )
    ankestyrelsen = env.get("SAGSFLOW_ANKESTYRELSEN_CVR", "").strip() or None
    if ankestyrelsen is not None and not _CVR.fullmatch(ankestyrelsen):
        raise ConfigError("SAGSFLOW_ANKESTYRELSEN_CVR skal være 8 cifre / must be 8 digits")
    return DigitalPostSettings(
        url=url,
        sender_cvr=cvr,
        sender_label=env.get("SAGSFLOW_DIGITAL_POST_SENDER_NAME", "").strip() or DigitalPostSettings.sender_label,
        ankestyrelsen_cvr=ankestyrelsen,
        client_cert=env.get("SAGSFLOW_DIGITAL_POST_CERT") or None,
        client_key=env.get("SAGSFLOW_DIGITAL_POST_KEY") or None,
        ca_bundle=env.get("SAGSFLOW_DIGITAL_POST_CA") or None,
        token=env.get("SAGSFLOW_DIGITAL_POST_TOKEN") or None,
        timeout_seconds=_number(env, "SAGSFLOW_DIGITAL_POST_TIMEOUT", 30),
    )


def _cpr(env: dict[str, str]) -> CprSettings | None:
    """SAGSFLOW_CPR_URL: the SF1520 person lookup (Serviceplatformen), with certificate, CA and token as needed."""
    url = env.get("SAGSFLOW_CPR_URL", "").strip()
    if not url:
        return None
    return CprSettings(
        url=url,
        client_cert=env.get("SAGSFLOW_CPR_CERT") or None,
        client_key=env.get("SAGSFLOW_CPR_KEY") or None,
        ca_bundle=env.get("SAGSFLOW_CPR_CA") or None,
        token=env.get("SAGSFLOW_CPR_TOKEN") or None,
        timeout_seconds=_number(env, "SAGSFLOW_CPR_TIMEOUT", 10),
    )


def _engine_limits(env: dict[str, str]) -> EngineLimits:
    """SAGSFLOW_ENGINE_MAX_STEPS, _MAX_SECONDS, _MIN_CYCLE_SECONDS, _MAX_CYCLE_FIRINGS, _MAX_STATE_BYTES."""
    default = EngineLimits()
    return EngineLimits(
        max_steps=int(env.get("SAGSFLOW_ENGINE_MAX_STEPS", default.max_steps)),
        max_seconds=float(env.get("SAGSFLOW_ENGINE_MAX_SECONDS", default.max_seconds)),
        min_cycle_seconds=int(env.get("SAGSFLOW_ENGINE_MIN_CYCLE_SECONDS", default.min_cycle_seconds)),
        max_cycle_firings=int(env.get("SAGSFLOW_ENGINE_MAX_CYCLE_FIRINGS", default.max_cycle_firings)),
        max_state_bytes=int(env.get("SAGSFLOW_ENGINE_MAX_STATE_BYTES", default.max_state_bytes)),
    )


def _default_processes_dir() -> Path:
    """processes/ of the checkout (editable install) or of the current directory."""
    here = Path(__file__).resolve().parents[2] / "processes"
    return here if here.is_dir() else Path.cwd() / "processes"
