"""Settings from environment variables (SAGSFLOW_*): read once, typed, passed down as values.

Every setting the service reads is a field here; nothing below this module reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from engine.limits import EngineLimits
from tasks.letters.pdf import DEFAULT_FONT_DIR
from tasks.mail.smtp import SmtpSettings

DEFAULT_DB = Path.cwd() / "sagsflow.db"
_TRUE = ("1", "true", "yes", "ja")


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DB}"
    processes_dir: Path = Path("processes")
    secret_key: str = "dev-only-change-me"
    base_url: str = "http://127.0.0.1:5000"
    base_url_given: bool = False
    max_body_bytes: int = 2_500_000
    deploy_on_start: bool = True
    scheduler_seconds: int = 30
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    engine_limits: EngineLimits = field(default_factory=EngineLimits)
    font_dir: Path = DEFAULT_FONT_DIR  # DejaVuSans.ttf and DejaVuSans-Bold.ttf for letters

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            database_url=env.get("SAGSFLOW_DATABASE_URL", cls.database_url),
            processes_dir=Path(env.get("SAGSFLOW_PROCESSES_DIR", str(_default_processes_dir()))),
            secret_key=env.get("SAGSFLOW_SECRET_KEY", cls.secret_key),
            base_url=env.get("SAGSFLOW_BASE_URL", cls.base_url),
            base_url_given="SAGSFLOW_BASE_URL" in env,
            deploy_on_start=env.get("SAGSFLOW_DEPLOY_ON_START", "1").lower() not in ("0", "false", "no", "nej"),
            scheduler_seconds=int(env.get("SAGSFLOW_SCHEDULER_SECONDS", str(cls.scheduler_seconds))),
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
