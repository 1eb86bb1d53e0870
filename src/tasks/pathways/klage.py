"""The klage pathway: genvurdering by the municipality, then Ankestyrelsen.

A klage case is opened only by registering a klage on a case with an afgørelse
(``tasks.klager.registration``), never with POST /cases.  Its klagefrist (R4) is judged at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tasks.afgoerelser.facts import Begrundelse, DecisionFacts, PartshoeringFacts
from tasks.afgoerelser.model import AfgoerelseKind, PartshoeringStatus, Udfald
from tasks.events import CaseOpened
from tasks.frister import rules
from tasks.frister.model import Deadline
from tasks.klager.model import Klage
from tasks.pathways.declaration import Pathway, text
from tasks.service.uow import UnitOfWork

GENVURDERING = "genvurdering"
SEND_ANKESTYRELSEN = "send_ankestyrelsen"
ANKESTYRELSEN_RESULTAT = "ankestyrelsen_resultat"

GENVURDERING_UDFALD = {"medhold", "delvis_medhold", "fastholdt"}


def decision(bpmn_id: str, data: Mapping[str, Any]) -> DecisionFacts | None:
    """The genvurdering is the municipality's new afgørelse on the klage (medhold, delvis medhold, fastholdt)."""
    if bpmn_id != GENVURDERING or text(data, "udfald") not in GENVURDERING_UDFALD:
        return None
    return DecisionFacts(
        kind=AfgoerelseKind.GENVURDERING,
        udfald=Udfald(text(data, "udfald")),
        ydelse=text(data, "ydelse") or None,
        begrundelse=Begrundelse(
            regler=text(data, "begrundelse_regler"),
            faktiske_forhold=text(data, "begrundelse_faktiske_forhold"),
            hovedhensyn=text(data, "begrundelse_hovedhensyn"),
        ),
        partshoering=PartshoeringFacts(PartshoeringStatus.IKKE_RELEVANT),
        decided_in=GENVURDERING,
    )


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
        "begrundelse_hovedhensyn": "genvurderingens begrundelse står i afgørelsen og brevet",
        "modtaget_dato": "den dag, Ankestyrelsens afgørelse blev modtaget, starter en ny sagsbehandlingsfrist ved "
        "hjemvisning",
        "resultat": "Ankestyrelsens resultat afgør, om hovedsagen genoptages",
    },
    letters={SEND_ANKESTYRELSEN: "ankestyrelsen_bundle"},
    opened_by=frozenset(),
    decision_tasks=frozenset({GENVURDERING, ANKESTYRELSEN_RESULTAT}),
    decision=decision,
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
