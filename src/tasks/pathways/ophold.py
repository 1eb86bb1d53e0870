"""Stays at a krisecenter (§ 109) or a forsorgshjem (§ 110): the orientering frister R8, R9 and R12.

The registration of a stay *is* the boform's orientering to the municipality, so its frist is judged
at once: met when the municipality was told by the 3rd hverdag after the stay began, else late.  The
same for the departure from a krisecenter (R9), judged when the departure is registered.
"""

from __future__ import annotations

from datetime import date

from tasks.events import ActivityCompleted, CaseOpened
from tasks.frister import rules
from tasks.frister.model import Deadline
from tasks.pathways.declaration import Pathway
from tasks.service.uow import UnitOfWork

FRAFLYTNING = "fraflytning"

KRISECENTER = Pathway(
    process_key="krisecenter",
    label="Krisecenterophold (§ 109)",
    elements={FRAFLYTNING: "registreringen af fraflytningen er orienteringen om den (R9)"},
    data_fields={"fraflyttet_dato": "fraflytningsdagen starter fristen for orienteringen (R9)"},
    opened_by=frozenset({"krisecenter", "sagsbehandler"}),
    outcome_field=None,
    is_stay=True,
)
FORSORGSHJEM = Pathway(
    process_key="forsorgshjem",
    label="Forsorgshjemsophold (§ 110)",
    opened_by=frozenset({"sagsbehandler"}),
    outcome_field=None,
    is_stay=True,
)


def judge_stay_orientering(event: CaseOpened, uow: UnitOfWork) -> None:
    case = event.case
    if case.process_key not in (KRISECENTER.process_key, FORSORGSHJEM.process_key) or case.stay_started_on is None:
        return
    rule, due = rules.stay_orientering(case.process_key, case.stay_started_on)
    deadline = uow.deadlines.add(Deadline(case=case, rule_id=rule.rule_id, rule=rule.shown(), due_at=due))
    deadline.close(case.received_at)


def judge_departure_orientering(event: ActivityCompleted, uow: UnitOfWork) -> None:
    if event.case.process_key != KRISECENTER.process_key or event.bpmn_id != FRAFLYTNING:
        return
    departed = event.data.get("fraflyttet_dato")
    if not departed:
        return
    rule, due = rules.departure_orientering(date.fromisoformat(str(departed)))
    deadline = uow.deadlines.add(Deadline(case=event.case, rule_id=rule.rule_id, rule=rule.shown(), due_at=due))
    deadline.close(event.at)
