"""What every process does before it serves: migrate the schema, deploy the shipped diagrams."""

from __future__ import annotations

import logging
from pathlib import Path

from tasks.catalogue.publishing import deploy_catalogue_files
from tasks.definitions.deployment import deploy_files
from tasks.kvalitetsstandard.tables import DECISIONS_DIR, deploy_decision_files
from tasks.letters.pdf import FontsMissing
from tasks.service.services import Services
from web.config import Settings
from web.database import migrate

log = logging.getLogger(__name__)


def prepare(settings: Settings, services: Services) -> None:
    try:
        services.letter_fonts.check()
    except FontsMissing as exc:  # letters wait (and are retried) until the font is there; say so at once
        log.error("%s", exc)
    migrate(settings.database_url)
    if settings.deploy_on_start:
        deploy_processes(services, settings.processes_dir)


def deploy_processes(services: Services, folder: Path) -> None:
    files = sorted(folder.glob("*.bpmn"))
    for view in deploy_files(services.uow(), files, services.clock.now()):
        state = "ny version" if view.created else "uændret"
        log.info("Proces %s v%s (%s)", view.key, view.version, state)
    for table in deploy_decision_files(services.uow(), folder / DECISIONS_DIR, services.clock.now()):
        state = "ny version" if table.created else "uændret"
        log.info("Tabel %s v%s (%s)", table.key, table.version, state)
    for data in deploy_catalogue_files(services.uow(), folder / DECISIONS_DIR, services.clock.now()):
        state = "ny version" if data.created else "uændret"
        log.info("Katalog %s v%s (%s)", data.key, data.version, state)
