"""The composition root: every long-lived object of a process is built here, and only here.

The web app, the scheduler, every CLI command and the tests call ``bootstrap(settings)``.  Building
has no side effects: no connection is opened, no process started, no file read except the
kvalitetsstandard's settings file.
"""

from __future__ import annotations

from engine.clock import Clock, SystemClock
from engine.db import make_engine, make_session_factory
from engine.definitions import DiagramCache
from engine.instance_writes import write_instances_together
from engine.instances import WorkflowCache
from engine.runtime import Runtime
from tasks.accounts.passwords import Passwords
from tasks.handlers import message_bus
from tasks.kvalitetsstandard.settings import load_standard
from tasks.letters.pdf import LetterFonts
from tasks.operations.catalogue import OPERATIONS
from tasks.parties.cpr_register import Sf1520
from tasks.service.runtime import WorkflowRuntime
from tasks.service.services import Services
from web.config import Settings


def bootstrap(settings: Settings, *, clock: Clock | None = None, passwords: Passwords | None = None) -> Services:
    return Services(
        session_factory=write_instances_together(
            make_session_factory(make_engine(settings.database_url, settings.pool))
        ),
        workflow=WorkflowRuntime(
            runtime=Runtime(settings.engine_limits, operations=OPERATIONS),
            diagrams=DiagramCache(),
            workflows=WorkflowCache(),
        ),
        clock=clock or SystemClock(),
        standard=load_standard(settings.processes_dir),
        bus=message_bus(),
        passwords=passwords or Passwords(),
        letter_fonts=LetterFonts(settings.font_dir),
        installation_id=settings.installation_id,
        cpr_register=Sf1520(settings.cpr) if settings.cpr is not None else None,
    )
