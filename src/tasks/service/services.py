"""What every use case needs, built once by the composition root (``web.bootstrap``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.orm import sessionmaker

from engine.clock import Clock
from tasks.accounts.passwords import Passwords
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.letters.pdf import LetterFonts
from tasks.parties.cpr_register import CprRegister
from tasks.service.messagebus import MessageBus
from tasks.service.runtime import WorkflowRuntime
from tasks.service.uow import UnitOfWork

DEFAULT_INSTALLATION = uuid.UUID("6d1c3f0e-5a2b-5f4e-9c61-7a2f0b9e4d10")


@dataclass
class Services:
    """Not frozen: a test may swap the clock's or the kvalitetsstandard's value for one scenario."""

    session_factory: sessionmaker
    workflow: WorkflowRuntime
    clock: Clock
    standard: Kvalitetsstandard
    bus: MessageBus
    passwords: Passwords
    letter_fonts: LetterFonts = field(default_factory=LetterFonts)
    # The namespace of this installation's MeMo message ids (``letters.dispatch.message_uuid``).
    installation_id: uuid.UUID = field(default_factory=lambda: DEFAULT_INSTALLATION)
    cpr_register: CprRegister | None = None  # the SF1520 person lookup; None: addresses are entered by hand

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self)
