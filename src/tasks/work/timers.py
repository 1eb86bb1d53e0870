"""The timer sweep: fire every instance whose next timer is due, one transaction per instance.

Each instance row carries ``next_timer_at`` (indexed).  The sweep selects due rows and fires
each under a row lock; on PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets several scheduler processes
sweep side by side without firing anything twice.  The due time is re-read under the lock, so a
timer that another process (or a task completion) already handled is skipped.  A crash before
commit changes nothing: the row is still due and the next sweep fires it.

The same locks let one sweep fire a batch from several threads (``workers``): on PostgreSQL a
command spends much of its time waiting for the server (round trips, the commit's WAL flush), and
another thread runs the engine meanwhile.  On SQLite writers queue on the database lock: one worker.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from sqlalchemy import bindparam, select

from engine.models import ProcessInstance
from engine.runtime import ProcessError
from tasks.cases.model import Case
from tasks.service.services import Services
from tasks.service.uow import UnitOfWork
from tasks.work.projection import apply_step

log = logging.getLogger(__name__)

# Every timer runs it (built once: building and cache-keying a statement costs about as much as running it).
# The instance under its lock and, in the same read, the case it runs (None for an instance without one):
# read before firing, so no flush of the new state comes in between.
_LOCKED_WITH_CASE = (
    select(ProcessInstance, Case)
    .outerjoin(Case, Case.instance_id == ProcessInstance.id)
    .where(ProcessInstance.id == bindparam("instance_id"))
    .with_for_update(skip_locked=True, of=ProcessInstance)
)


@dataclass(frozen=True)
class SweepResult:
    fired: int
    failed: int


def sweep_timers(services: Services, now: datetime, batch: int = 200, workers: int = 1) -> SweepResult:
    """Fire everything due at ``now``; returns how many instances fired (and failed)."""
    fired = failed = 0
    skipped: set[int] = set()
    with ThreadPoolExecutor(max_workers=workers) if workers > 1 else nullcontext() as pool:
        while True:
            due = _due_instance_ids(services.uow(), now, batch, skipped)
            if not due:
                return SweepResult(fired, failed)
            fire = partial(_fire_one, services, now)
            for instance_id, outcome in zip(due, pool.map(fire, due) if pool else map(fire, due), strict=True):
                if outcome is True:
                    fired += 1
                    continue
                skipped.add(instance_id)
                if isinstance(outcome, ProcessError):
                    failed += 1
                    log.error("Timer på instans %s fejlede: %s", instance_id, outcome)


def _fire_one(services: Services, now: datetime, instance_id: int) -> bool | ProcessError:
    try:
        return fire_instance(services.uow(), instance_id, now)
    except ProcessError as exc:
        return exc


def fire_instance(uow: UnitOfWork, instance_id: int, now: datetime) -> bool:
    """Fire the due timers of one instance in one transaction; False if nothing was due (any more)."""
    with uow:
        row = uow.session.execute(_LOCKED_WITH_CASE, {"instance_id": instance_id}).first()
        instance, case = row if row is not None else (None, None)
        if instance is None or instance.next_timer_at is None or instance.next_timer_at >= now:
            return False  # SpiffWorkflow fires a timer once its moment has passed (strictly), never at it
        step = uow.instances.fire_timers(instance, now)
        if case is not None:
            apply_step(uow, case, instance, step, now)
        if instance.next_timer_at is not None and instance.next_timer_at < now and not step.fired_timers:
            # The engine did not fire what we computed as due: park it so the sweep cannot spin.
            log.warning("Instans %s: timer %s blev ikke udløst", instance.id, instance.next_timer_at)
            instance.next_timer_at = None
        uow.commit()
        return True


def _due_instance_ids(uow: UnitOfWork, now: datetime, batch: int, skipped: set[int]) -> list[int]:
    with uow:
        query = (
            select(ProcessInstance.id)
            .where(ProcessInstance.next_timer_at < now, ProcessInstance.status == "running")
            .order_by(ProcessInstance.next_timer_at)
            .limit(batch + len(skipped))
        )
        return [i for i in uow.session.scalars(query) if i not in skipped][:batch]
