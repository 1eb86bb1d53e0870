"""Settings from environment variables (SAGSFLOW_*): read once, typed, passed down as values.

Every setting the service reads is a field here; nothing below this module reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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
    max_upload_bytes: int = 10 * 1024 * 1024
    pdf_font_dir: Path = Path("/usr/share/fonts/truetype/dejavu")
    smtp: SmtpSettings = field(default_factory=SmtpSettings)

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
            max_upload_bytes=int(float(env.get("SAGSFLOW_MAX_UPLOAD_MB", "10")) * 1024 * 1024),
            pdf_font_dir=Path(env.get("SAGSFLOW_PDF_FONT_DIR", str(cls.pdf_font_dir))),
            smtp=SmtpSettings(
                host=env.get("SAGSFLOW_SMTP_HOST", SmtpSettings.host),
                port=int(env.get("SAGSFLOW_SMTP_PORT", str(SmtpSettings.port))),
                username=env.get("SAGSFLOW_SMTP_USER") or None,
                password=env.get("SAGSFLOW_SMTP_PASSWORD") or None,
                starttls=env.get("SAGSFLOW_SMTP_STARTTLS", "0").lower() in _TRUE,
                ssl=env.get("SAGSFLOW_SMTP_SSL", "0").lower() in _TRUE,
                sender=env.get("SAGSFLOW_MAIL_FROM", SmtpSettings.sender),
            ),
        )


def _default_processes_dir() -> Path:
    """processes/ of the checkout (editable install) or of the current directory."""
    here = Path(__file__).resolve().parents[2] / "processes"
    return here if here.is_dir() else Path.cwd() / "processes"
