"""The main pathway: henvendelse → udredning → partshøring → afgørelse → bevilling → opfølgning.

Its sagsbehandlingsfrist (R1) opens with the case and is met when the Behandling subprocess ends;
that is also when the afgørelsesbrev is written.  The diagram reads the R1 due time, the R2 warning
time and the kvalitetsstandard's opfølgningskadence from the process data set here at the start.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tasks.events import CaseOpened
from tasks.frister import rules
from tasks.frister.model import Deadline
from tasks.kvalitetsstandard.settings import Kvalitetsstandard
from tasks.kvalitetsstandard.tables import standard_in_force
from tasks.pathways.declaration import Pathway
from tasks.service.uow import UnitOfWork

BEHANDLING = "behandling"  # the subprocess whose end is the afgørelse

SAGSBEHANDLING = Pathway(
    process_key="sagsbehandling",
    label="Sagsbehandling",
    elements={
        BEHANDLING: "når Behandling slutter, er afgørelsen truffet: sagsbehandlingsfristen (R1) lukkes, "
        "og afgørelsesbrevet skrives",
    },
    data_fields={
        "udfald": "afgørelsens udfald står i brevet og er sagens resultat",
        "begrundelse": "begrundelsen står i afgørelsesbrevet",
    },
    letters={BEHANDLING: "afgoerelse"},
    decision_tasks=frozenset({"afgoerelse", "bevilling"}),
)

# Set by Sagsflow at the start of every run; a procesejer's diagram reads them, a client never sets them.
START_DATA_NAMES = frozenset(
    {
        "sagsbehandlingsfrist",
        "sagsbehandlingsfrist_varsel",
        "opfoelgning_foerste",
        "opfoelgning_interval",
        "genoptagelse",
        "klagesag",
    }
)


def start_data(ydelse: str | None, received_at: datetime, standard: Kvalitetsstandard) -> dict[str, Any]:
    """Process data the diagram's timers and opfølgning read: R1 due, R2 warning, the cadence."""
    due = rules.sagsbehandlingsfrist(received_at, standard.sagsbehandlingsfrist(ydelse))
    cadence = standard.cadence(ydelse)
    return {
        "sagsbehandlingsfrist": due.isoformat(),
        "sagsbehandlingsfrist_varsel": rules.underretning_varsel(
            due, standard.extension_warning_working_days
        ).isoformat(),
        "opfoelgning_foerste": cadence.first.label_da(),
        "opfoelgning_interval": cadence.then.label_da(),
        "genoptagelse": "",  # "hjemvisning" or "ny_bevilling" when a klage re-opens the case
    }


def sagsbehandlingsfrist_deadline(
    case_id: int, ydelse: str | None, received_at: datetime, standard: Kvalitetsstandard, *, hjemvist: bool = False
) -> Deadline:
    """The R1 row; met when Behandling ends."""
    period = standard.sagsbehandlingsfrist(ydelse)
    rule = rules.R1_HJEMVIST if hjemvist else rules.R1
    return Deadline(
        case_id=case_id,
        rule_id=rule.rule_id,
        rule=rule.shown(period=period.label_da(), ydelse=ydelse or "ydelsen"),
        due_at=rules.sagsbehandlingsfrist(received_at, period),
        closes_on=BEHANDLING,
    )


def open_sagsbehandlingsfrist(event: CaseOpened, uow: UnitOfWork) -> None:
    case = event.case
    if case.process_key == SAGSBEHANDLING.process_key:
        standard = standard_in_force(uow)
        uow.deadlines.add(sagsbehandlingsfrist_deadline(case.id, case.ydelse, case.received_at, standard))
