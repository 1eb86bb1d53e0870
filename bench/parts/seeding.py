"""Bulk seeding for the large measurements: open tasks for the inbox, and cases waiting on a due timer.

Rows go in with multi-row INSERTs in chunks, so a million open tasks take seconds, not the hours a
million commands would.  Due timers are made by driving ONE real case to the partshøring svarfrist and
copying its engine state (with fresh task ids) into as many instances as wanted: every copy is a real
workflow waiting on a real timer, with its task row and frist, exactly as the command would have left it.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select, text

from bench.parts.common import PATHWAY
from engine.models import ProcessInstance
from tasks.accounts.model import User
from tasks.cases.model import Case
from tasks.cases.opening import NewCase, open_case
from tasks.frister.model import Deadline
from tasks.work.completion import complete_task
from tasks.work.model import NO_DUE, HumanTask

CHUNK = 5_000
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _next_id(uow: Any, model: Any) -> int:
    return (uow.session.scalar(select(model.id).order_by(model.id.desc()).limit(1)) or 0) + 1


def seed_open_tasks(services: Any, count: int, teams: int = 10) -> None:
    """``count`` open tasks over ``teams`` teams (a fifth for the faglig konsulent), varied frister."""
    now = services.clock.now()
    with services.uow() as uow:
        version_id = uow.definitions.active("sagsbehandling").id
        user_id = uow.session.scalar(select(User.id))
        first = max(_next_id(uow, ProcessInstance), _next_id(uow, Case))
        for offset in range(0, count, CHUNK):
            ids = range(first + offset, first + min(offset + CHUNK, count))
            uow.session.execute(insert(ProcessInstance), [_instance(i, version_id, "{}", None, now) for i in ids])
            uow.session.execute(insert(Case), [_case(i, i, f"Team {i % teams}", user_id, now) for i in ids])
            uow.session.execute(
                insert(HumanTask),
                [
                    {
                        "case_id": i,
                        "instance_id": i,
                        "spiff_task_id": f"bench-{i}",
                        "bpmn_id": "udredning",
                        "name": "Udredning (VUM 2.0)",
                        "role": "sagsbehandler" if i % 5 else "faglig_konsulent",
                        "team": f"Team {i % teams}",
                        "form": None,
                        "status": "open",
                        "active": True,
                        "due_at": None if i % 7 == 0 else now + timedelta(hours=i % 2000),
                        "sort_due": NO_DUE if i % 7 == 0 else now + timedelta(hours=i % 2000),
                        "created_at": now,
                    }
                    for i in ids
                ],
            )
        _resync_sequences(uow)
        uow.commit()


def seed_due_timers(services: Any, actor: Any, count: int) -> None:
    """``count`` cases waiting at *Registrér partshøringssvar* on its svarfrist timer."""
    now = services.clock.now()
    case = open_case(services.uow(), actor, NewCase(title="Skabelon", ydelse="SEL § 85"), now)
    task_id = case.tasks[0].id
    for data in PATHWAY[:3]:
        task_id = complete_task(services.uow(), actor, task_id, data, now).next_tasks[0].id
    with services.uow() as uow:
        template_case = uow.session.get_one(Case, case.id)
        instance = uow.session.get_one(ProcessInstance, template_case.instance_id)
        task = uow.session.get_one(HumanTask, task_id)
        frist = uow.session.scalars(select(Deadline).where(Deadline.task_id == task.id)).one()
        state, timer_at, version_id = instance.state, instance.next_timer_at, instance.version_id
        task_row = {c: getattr(task, c) for c in ("bpmn_id", "name", "role", "team", "form", "due_at", "frist_rule")}
        frist_row = {c: getattr(frist, c) for c in ("rule_id", "rule", "due_at")}
        first_instance, first_case = _next_id(uow, ProcessInstance), _next_id(uow, Case)
        first_task = _next_id(uow, HumanTask)
        for offset in range(0, count, CHUNK):
            n = min(CHUNK, count - offset)
            states = [_fresh_ids(state) for _ in range(n)]
            instances, cases, tasks, frister = [], [], [], []
            for k, (copy, mapping) in enumerate(states):
                i, c, t = first_instance + offset + k, first_case + offset + k, first_task + offset + k
                instances.append(_instance(i, version_id, copy, timer_at, now))
                cases.append(_case(c, i, template_case.team, actor.id, now))
                tasks.append(
                    {
                        **task_row,
                        "id": t,
                        "case_id": c,
                        "instance_id": i,
                        "spiff_task_id": mapping[task.spiff_task_id],
                        "status": "open",
                        "active": True,
                        "sort_due": task_row["due_at"] or NO_DUE,
                        "created_at": now,
                    }
                )
                frister.append({**frist_row, "case_id": c, "task_id": t, "state": "open"})
            uow.session.execute(insert(ProcessInstance), instances)
            uow.session.execute(insert(Case), cases)
            uow.session.execute(insert(HumanTask), tasks)
            uow.session.execute(insert(Deadline), frister)
        _resync_sequences(uow)
        uow.commit()


def _resync_sequences(uow: Any) -> None:
    """PostgreSQL: explicit ids do not move a SERIAL's sequence; move it past them.  The bulk-loaded tables
    are analysed too, as autovacuum would do soon after: otherwise autoanalyze may run in the middle of a
    measurement (it did, at one million rows) and the first plans are made without statistics."""
    if uow.session.get_bind().dialect.name != "postgresql":
        return
    for table in ("process_instances", "cases", "human_tasks"):
        uow.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        )
    for table in ("process_instances", "cases", "human_tasks", "deadlines"):
        uow.session.execute(text(f"ANALYZE {table}"))


def _fresh_ids(state: str) -> tuple[str, dict[str, str]]:
    mapping: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        return mapping.setdefault(match.group(0), str(uuid.uuid4()))

    return _UUID.sub(swap, state), mapping


def _instance(i: int, version_id: int, state: str, timer_at: Any, now: Any) -> dict[str, Any]:
    return {
        "id": i,
        "version_id": version_id,
        "status": "running",
        "state": state,
        "lock_version": 1,
        "next_timer_at": timer_at,
        "task_count": 1,
        "started_at": now,
        "updated_at": now,
    }


def _case(i: int, instance_id: int, team: str | None, user_id: int, now: Any) -> dict[str, Any]:
    return {
        "id": i,
        "reference": f"BENCH-{i}",
        "process_key": "sagsbehandling",
        "instance_id": instance_id,
        "team": team,
        "status": "open",
        "title": "",
        "received_at": now,
        "opened_at": now,
        "opened_by_id": user_id,
        "sagsansvarlig_id": user_id,
        "standard_versions": {},
        "details": {},
    }
