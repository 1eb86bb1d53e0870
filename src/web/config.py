"""Settings from environment variables (SAGSFLOW_*).  Read once, passed down as values."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from engine.limits import EngineLimits

DEFAULT_DB = Path.cwd() / "sagsflow.db"


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DB}"
    processes_dir: Path = Path("processes")
    secret_key: str = "dev-only-change-me"
    base_url: str = "http://127.0.0.1:5000"
    max_body_bytes: int = 2_500_000
    deploy_on_start: bool = True
    engine_limits: EngineLimits = field(default_factory=EngineLimits)
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            database_url=env.get("SAGSFLOW_DATABASE_URL", cls.database_url),
            processes_dir=Path(env.get("SAGSFLOW_PROCESSES_DIR", str(_default_processes_dir()))),
            secret_key=env.get("SAGSFLOW_SECRET_KEY", cls.secret_key),
            base_url=env.get("SAGSFLOW_BASE_URL", cls.base_url),
            deploy_on_start=env.get("SAGSFLOW_DEPLOY_ON_START", "1") not in ("0", "false", "no"),
            engine_limits=_engine_limits(env),
            extra={k: v for k, v in env.items() if k.startswith("SAGSFLOW_")},
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
