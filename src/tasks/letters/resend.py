"""Letters that did not leave: send a failed one again, and the leder's list of letters that need a person.

A letter whose dispatch failed (refused by the channel, or still failing after the last retry) can be
sent again by a sagsbehandler or a leder who may see the case: it goes back in the queue with its
date, PDF and message id (a receiver that did get it answers 409, so the citizen never gets it twice)
and its retries start over.  The resend is journalled on the case.  Only a failed letter can be sent
again (409 with a Danish reason otherwise); a held letter (adressebeskyttelse) is delivered by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from tasks.access.log import log_read
from tasks.access.policy import case_visibility, visible_case
from tasks.cases.model import Case
from tasks.letters.model import STATE_DA, Letter, LetterState
from tasks.letters.reading import LetterView
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, NotFound
from tasks.service.uow import UnitOfWork

RESEND_ROLES = frozenset({"sagsbehandler", "leder"})
PROBLEM_ROLES = frozenset({"leder"})
PROBLEM_STATES = (LetterState.FEJLET, LetterState.TILBAGEHOLDT)


def resend_letter(uow: UnitOfWork, actor: Actor, case_id: int, letter_id: int, now: datetime) -> LetterView:
    """Put a failed letter back in the dispatch queue; journalled."""
    with uow:
        case = visible_case(uow, actor, case_id)
        if not actor.roles & RESEND_ROLES:
            raise Forbidden("Kun sagsbehandlere og ledere kan sende et brev igen")
        letter = uow.letters.of_case(case.id, letter_id, for_update=True)
        if letter is None:
            raise NotFound("Brevet findes ikke")
        _ensure_failed(letter)
        reason = letter.last_error or "ukendt fejl"
        letter.send_again()
        uow.journal.record(
            case,
            actor=actor.username,
            action="letter_resent",
            at=now,
            message=f"Brev sendes igen: {letter.title} (afsendelsen var fejlet: {reason})",
            details={"letter_id": letter.id},
        )
        view = LetterView.of(letter)
        uow.commit()
    return view


def _ensure_failed(letter: Letter) -> None:
    if letter.state == LetterState.TILBAGEHOLDT:
        raise Conflict(
            "Brevet er tilbageholdt, fordi borgeren har navne- og adressebeskyttelse: det sendes manuelt, "
            "ikke igen fra Sagsflow"
        )
    if letter.state != LetterState.FEJLET:
        raise Conflict(
            f"Kun et brev, hvis afsendelse er fejlet, kan sendes igen. Brevets status er: {STATE_DA[letter.state]}"
        )


@dataclass(frozen=True)
class LetterProblem:
    case_id: int
    reference: str
    team: str | None
    letter_id: int
    title: str
    state: str
    state_da: str
    reason: str | None
    attempts: int
    letter_date: date | None


def letter_problems(uow: UnitOfWork, actor: Actor, purpose: str = "api:brevproblemer") -> list[LetterProblem]:
    """Failed and held letters on the cases the leder may see, by team; every case listed is access-logged."""
    if not actor.roles & PROBLEM_ROLES:
        raise Forbidden("Kun ledere kan se brevproblemer")
    with uow:
        query = (
            select(Letter, Case)
            .join(Case, Case.id == Letter.case_id)
            .where(Letter.state.in_(PROBLEM_STATES), case_visibility(actor))
            .order_by(Case.team, Letter.created_at, Letter.id)
        )
        rows = list(uow.session.execute(query).tuples())
        now = uow.clock.now()
        for case in {case.id: case for _, case in rows}.values():
            log_read(uow.session, actor, case, purpose, now)
        problems = [
            LetterProblem(
                case.id,
                case.reference,
                case.team,
                letter.id,
                letter.title,
                letter.state.value,
                STATE_DA[letter.state],
                letter.last_error,
                letter.attempts,
                letter.letter_date,
            )
            for letter, case in rows
        ]
        uow.commit()
    return problems
