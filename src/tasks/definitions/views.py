"""Read models of deployed definitions: plain values, safe to use after the session closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.models import ActivationReason, VersionActivation


@dataclass(frozen=True)
class ActivationView:
    version: int
    previous_version: int | None
    activated_at: datetime
    activated_by: str
    reason: str
    reason_da: str

    @classmethod
    def of(cls, row: VersionActivation) -> ActivationView:
        reason = ActivationReason(row.reason)
        return cls(row.version, row.previous_version, row.activated_at, row.activated_by, str(reason), reason.label_da)
