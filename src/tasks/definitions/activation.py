"""Choose the version of a process new cases use: a rollback to an earlier one, or forward again.

Running cases keep the version they started on; only new cases (and new runs) follow the
activation.  Every activation is recorded (who, when, why, which version before) by the engine's
append-only ``version_activations`` and published as ``VersionActivated``.
"""

from __future__ import annotations

import logging
from datetime import datetime

from engine.definitions import NotExecutable
from engine.diagrams import DiagramError
from engine.models import ActivationKind, ActivationReason
from tasks.definitions.deployment import DEPLOYERS, VersionView, check_diagram, version_view
from tasks.definitions.views import ActivationView
from tasks.events import VersionActivated
from tasks.service.actors import Actor
from tasks.service.errors import Forbidden, Invalid, NotFound
from tasks.service.uow import UnitOfWork

log = logging.getLogger(__name__)


def activate_process_version(uow: UnitOfWork, actor: Actor, key: str, number: int, now: datetime) -> VersionView:
    """Make version ``number`` of ``key`` the one new cases use; it must be able to run as today's code needs."""
    if not actor.roles & DEPLOYERS:
        raise Forbidden("Kun procesejere kan vælge, hvilken version nye sager bruger")
    with uow:
        version = uow.definitions.version(key, number)
        if version is None:
            raise NotFound(f"Processen '{key}' har ingen version {number}")
        parsed = uow.definitions.parsed(version)
        if problems := check_diagram(parsed, uow.definitions.forms(version)):
            raise DiagramError(problems)
        try:
            changed = uow.definitions.activate(version, by=actor.username, now=now)
        except NotExecutable:
            raise Invalid(
                f"Version {number} af '{key}' er en dokumentationsmodel og kan ikke bruges til sager",
                {"version": ["Vælg en eksekverbar version"]},
            ) from None
        if changed:
            reason = ActivationReason.ACTIVATE
            uow.publish(VersionActivated(ActivationKind.PROCESS, key, number, actor.username, now, reason))
        uow.dispatch()
        view = version_view(uow, version, active=True, activated=changed)
        uow.commit()
    return view


def process_activations(uow: UnitOfWork, actor: Actor, key: str) -> list[ActivationView]:
    """Which version new cases used from when, and who chose it (procesejere)."""
    if not actor.roles & DEPLOYERS:
        raise Forbidden("Kun procesejere kan se processernes historik")
    with uow:
        rows = uow.definitions.history(key)
        if not rows and uow.definitions.active_or_none(key) is None:
            raise NotFound(f"Processen '{key}' findes ikke")
        return [ActivationView.of(r) for r in rows]


def log_activation(event: VersionActivated, uow: UnitOfWork) -> None:
    """The record itself is the engine's activation row; the log line is for operators."""
    what = {ActivationKind.PROCESS: "Processen", ActivationKind.CATALOGUE: "Kataloget"}.get(event.kind, "Tabellen")
    log.info("%s %s v%s er i brug for nye sager (%s, %s)", what, event.key, event.version, event.reason, event.actor)
