"""Deliver a named message to a case: "svar modtaget", "Ankestyrelsens afgørelse modtaget".

A case waits for a message at a message catch event, a receive task, a branch of an event-based
gateway or a boundary event.  Delivering it is one command in one transaction, access-checked like
every case command (the case must be visible; the actor must work on cases), journalled, and the
engine moves on exactly as after a completed task.  Correlation is by case: the message goes to the
case named in the request.  Nothing waiting for it answers 409 and changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.events import MessageCaught
from engine.runtime import NotWaiting, ProcessError
from tasks.access.policy import visible_case
from tasks.events import MessageReceived
from tasks.service.actors import Actor
from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.service.uow import UnitOfWork
from tasks.work.projection import apply_step
from tasks.work.views import TaskView, task_view

CASE_WORKERS = frozenset({"sagsbehandler", "faglig_konsulent", "leder", "krisecenter"})
MAX_MESSAGE_BYTES = 100_000


@dataclass(frozen=True)
class Delivered:
    case_id: int
    name: str
    caught_by: list[str]
    case_status: str
    next_tasks: list[TaskView]


@dataclass(frozen=True)
class Awaited:
    name: str
    element_id: str
    element_name: str | None


def deliver_message(
    uow: UnitOfWork, actor: Actor, case_id: int, name: str, data: dict[str, Any], now: datetime
) -> Delivered:
    """Deliver message ``name`` with ``data`` to the case; the case moves on as its diagram says."""
    name = name.strip()
    _check(name, data)
    with uow:
        case = visible_case(uow, actor, case_id)
        if not actor.roles & CASE_WORKERS:
            raise Forbidden("Kun de, der arbejder med sager, kan registrere beskeder til en sag")
        if not case.is_open:
            raise Conflict(f"Sagen er afsluttet og venter ikke på beskeden '{name}'")
        instance = uow.instances.get(case.instance_id, for_update=True)
        try:
            step = uow.instances.deliver_message(instance, name, data, now)
        except NotWaiting as exc:
            awaited = ", ".join(f"'{n}'" for n in exc.awaited)
            raise Conflict(
                f"Sagen venter ikke på beskeden '{name}'" + (f"; den venter på {awaited}" if awaited else ""),
                {"name": [f"Sagen venter ikke på '{name}'"]},
            ) from None
        except ProcessError as exc:
            raise Invalid(f"Processen kunne ikke fortsætte: {exc}", {"_process": [str(exc)]}) from exc
        caught = [e.bpmn_id for e in step.events if isinstance(e, MessageCaught)]
        uow.publish(MessageReceived(case, now, actor.username, name, caught[0] if caught else None))
        opened = apply_step(uow, case, instance, step, now, actor=actor)
        uow.dispatch()
        uow.session.flush()
        result = Delivered(
            case.id, name, caught, str(case.status), [task_view(uow, t, instance.lock_version) for t in opened]
        )
        uow.commit()
    return result


def _check(name: str, data: dict[str, Any]) -> None:
    if not name:
        raise Invalid("Beskeden mangler et navn", {"name": ["Feltet skal udfyldes"]})
    if not isinstance(data, dict):
        raise Invalid("Beskedens data skal være et JSON-objekt", {"data": ["Skal være et objekt"]})
    if len(json.dumps(data, ensure_ascii=False).encode("utf-8")) > MAX_MESSAGE_BYTES:
        raise Invalid(
            f"Beskedens data fylder over {MAX_MESSAGE_BYTES // 1000} kB",
            {"data": [f"Højst {MAX_MESSAGE_BYTES // 1000} kB; vedlæg store data som dokumenter"]},
        )


def awaited_messages(uow: UnitOfWork, case_id: int, instance_id: int) -> list[Awaited]:
    """Within an open unit of work: the messages the case's process waits for now."""
    instance = uow.instances.get(instance_id)
    return [Awaited(m.name, m.bpmn_id, m.element_name) for m in uow.instances.awaited_messages(instance)]
