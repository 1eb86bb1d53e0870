"""Every table of the application layer, imported in one place (Alembic's metadata, mapper setup)."""

from __future__ import annotations

from tasks.access import model as access_model
from tasks.accounts import model as accounts_model
from tasks.afgoerelser import model as afgoerelser_model
from tasks.bestillinger import model as bestillinger_model
from tasks.bevillinger import model as bevillinger_model
from tasks.cases import model as cases_model
from tasks.catalogue import model as catalogue_model
from tasks.documents import model as documents_model
from tasks.drafts import model as drafts_model
from tasks.frister import model as frister_model
from tasks.handleplaner import model as handleplaner_model
from tasks.journal import model as journal_model
from tasks.klager import model as klager_model
from tasks.letters import model as letters_model
from tasks.mail import model as mail_model
from tasks.notes import model as notes_model
from tasks.notifications import model as notifications_model
from tasks.ops import heartbeat as heartbeat_model
from tasks.parties import model as parties_model
from tasks.stays import model as stays_model
from tasks.visitation import model as visitation_model
from tasks.work import model as work_model

MODEL_MODULES = (
    accounts_model,
    cases_model,
    work_model,
    journal_model,
    frister_model,
    klager_model,
    letters_model,
    parties_model,
    afgoerelser_model,
    bevillinger_model,
    mail_model,
    access_model,
    heartbeat_model,
    notes_model,
    documents_model,
    drafts_model,
    notifications_model,
    stays_model,
    catalogue_model,
    visitation_model,
    bestillinger_model,
    handleplaner_model,
)
