"""Letters follow decisions: when an activity a pathway names completes, its letter is written.

Written in the same transaction as the step that made the decision (the Behandling subprocess
ending, the genvurdering task completing), so a decision never exists without its letter.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tasks.cases.model import Case
from tasks.events import ActivityCompleted
from tasks.klager.model import Klage
from tasks.letters import content
from tasks.letters.model import Letter
from tasks.letters.pdf import LetterContent, render
from tasks.pathways import pathway_for
from tasks.service.uow import UnitOfWork


def write_letter(event: ActivityCompleted, uow: UnitOfWork) -> None:
    pathway = pathway_for(event.case.process_key)
    kind = pathway.letters.get(event.bpmn_id) if pathway is not None else None
    if kind is None:
        return
    case, data, now, standard = event.case, event.data, event.at, uow.standard
    if kind == "afgoerelse":
        _store(uow, case, now, *content.decision_letter(case, data, now, standard))
    elif kind == "genvurdering":
        _store(uow, case, now, *content.genvurdering_letter(case, data, now, standard))
    elif kind == "ankestyrelsen_bundle" and (sources := _bundle_sources(uow, case)) is not None:
        _store(uow, case, now, *content.ankestyrelsen_bundle(case, sources, data, now, standard))


def _bundle_sources(uow: UnitOfWork, klage_case: Case) -> content.BundleSources | None:
    klage = uow.session.get(Klage, klage_case.id)
    if klage is None:
        return None
    parent = klage.parent
    documents = uow.session.scalars(
        select(Letter).where(Letter.case_id.in_([parent.id, klage_case.id])).order_by(Letter.created_at, Letter.id)
    ).all()
    return content.BundleSources(
        klage=klage,
        parent=parent,
        parent_data=uow.instances.data(uow.instances.get(parent.instance_id)),
        journal=uow.journal.for_case(parent.id),
        documents=list(documents),
    )


def _store(uow: UnitOfWork, case: Case, now: datetime, kind: str, letter: LetterContent, frist: object) -> None:
    uow.session.add(
        Letter(
            case_id=case.id,
            kind=kind,
            title=letter.title,
            created_at=now,
            klagefrist_ends_on=frist,
            pdf=render(letter),
        )
    )
