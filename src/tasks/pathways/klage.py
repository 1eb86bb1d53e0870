"""The klage pathway: genvurdering by the municipality, then Ankestyrelsen.

A klage case is opened only by registering a klage on a case with an afgørelse
(``tasks.klager.registration``), never with POST /cases.  Its klagefrist (R4) is judged at once.
"""

from __future__ import annotations

from tasks.events import CaseOpened
from tasks.frister import rules
from tasks.frister.model import Deadline
from tasks.klager.model import Klage
from tasks.pathways.declaration import Pathway
from tasks.service.uow import UnitOfWork

GENVURDERING = "genvurdering"
SEND_ANKESTYRELSEN = "send_ankestyrelsen"
ANKESTYRELSEN_RESULTAT = "ankestyrelsen_resultat"

KLAGE = Pathway(
    process_key="klage",
    label="Klage",
    elements={
        GENVURDERING: "genvurderingen skriver brevet til borgeren, og medhold genoptager hovedsagen",
        SEND_ANKESTYRELSEN: "oversendelsen skriver klagen og sagens akter til Ankestyrelsen",
        ANKESTYRELSEN_RESULTAT: "Ankestyrelsens ændring eller hjemvisning genoptager hovedsagen",
    },
    data_fields={
        "udfald": "genvurderingens udfald står i brevet og afgør, om hovedsagen genoptages",
        "resultat": "Ankestyrelsens resultat afgør, om hovedsagen genoptages",
    },
    letters={GENVURDERING: "genvurdering", SEND_ANKESTYRELSEN: "ankestyrelsen_bundle"},
    opened_by=frozenset(),
    decision_tasks=frozenset({GENVURDERING, ANKESTYRELSEN_RESULTAT}),
)

START_DATA_NAMES = frozenset({"klage_received_on", "decision_received_on", "klagefrist", "klage_rettidig"})


def judge_klagefrist(event: CaseOpened, uow: UnitOfWork) -> None:
    """R4: judged when the klage is registered; a late klage is flagged (and assessed), not refused."""
    case = event.case
    if case.process_key != KLAGE.process_key:
        return
    klage = uow.session.get(Klage, case.id)
    if klage is None:
        return
    deadline = uow.deadlines.add(
        Deadline(case=case, rule_id=rules.R4.rule_id, rule=rules.R4.shown(), due_at=klage.klagefrist)
    )
    deadline.close(case.received_at, in_time=klage.in_time)
