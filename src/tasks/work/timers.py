"""The timer sweep: fire every instance whose next timer is due, a batch of instances per transaction.

Each instance row carries ``next_timer_at`` (indexed).  The sweep selects due rows, then fires them in
batches: one statement locks a batch's instances and reads their cases, and the batch commits once.  A
batch is first fired whole, its rows written in one flush (about a third less CPU per timer than a
SAVEPOINT each: a SAVEPOINT flushes).  If anything fails, that transaction is rolled back and the batch
is fired again with each instance in its own SAVEPOINT (``UnitOfWork.savepoint``): an instance that
fails — the engine refuses, a handler raises — is rolled back alone, in the database and in the unit of
work's memory; it is counted, logged and left for the next sweep, and the rest of its batch commits.  On PostgreSQL
``FOR UPDATE SKIP LOCKED`` lets several scheduler processes sweep side by side without firing anything
twice.  The due time is re-checked under the lock, so a timer that another process (or a task
completion) already handled is skipped.  A crash before commit changes nothing: the rows are still due
and the next sweep fires them.

The batch size trades round trips and commits against how long locks are held.  A batch saves, per
instance, a transaction (BEGIN, COMMIT: on PostgreSQL the commit waits for its WAL flush) and the reads
of the instance, its case, its task rows and its frister (one statement each for the whole batch), and
costs a SAVEPOINT and its RELEASE.  On SQLite (WAL, synchronous=NORMAL: a commit does not sync) the
gain is small — the engine and the ORM's flush are most of the ~5 ms an instance takes.  A batch holds
its rows locked until it commits (on PostgreSQL a command on one of its instances waits for the whole
batch, not only for that instance); on SQLite it holds the database's one write lock, so every command
that writes waits for the batch: 50 instances are a quarter of a second there, and a much larger
batch would make a user's click wait noticeably while timers fire.

The same locks let one sweep fire several batches at once from threads (``workers``), each its own
transaction: on PostgreSQL a batch spends much of its time waiting for the server, and another thread
runs the engine meanwhile.  On SQLite writers queue on the database lock: one worker.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
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

DEFAULT_BATCH = 50  # instances fired in one transaction (see the module's docstring)

# Every batch runs it (built once: building and cache-keying a statement costs about as much as running it).
# The batch's instances that are still due, under their locks, each with the case it runs (None for an
# instance without one), in one read before anything fires, so no flush of a new state comes in between.
# Locked in id order; rows another sweep holds are skipped, not waited for.
_LOCKED_DUE_WITH_CASES = (
    select(ProcessInstance, Case)
    .outerjoin(Case, Case.instance_id == ProcessInstance.id)
    .where(
        ProcessInstance.id.in_(bindparam("instance_ids", expanding=True)),
        ProcessInstance.next_timer_at < bindparam("now"),  # fires once its moment has passed (strictly)
    )
    .order_by(ProcessInstance.id)
    .with_for_update(skip_locked=True, of=ProcessInstance)
)

Outcome = bool | Exception  # True: fired; False: nothing due (any more) or locked elsewhere; else why it failed


@dataclass(frozen=True)
class SweepResult:
    fired: int
    failed: int


def sweep_timers(services: Services, now: datetime, batch: int = DEFAULT_BATCH, workers: int = 1) -> SweepResult:
    """Fire everything due at ``now``, ``batch`` instances per transaction; returns how many fired (and failed).

    An instance that fails or that another sweep holds is not tried again in this sweep."""
    fired = failed = 0
    skipped: set[int] = set()
    with ThreadPoolExecutor(max_workers=workers) if workers > 1 else nullcontext() as pool:
        while True:
            due = _due_instance_ids(services.uow(), now, batch * workers, skipped)
            if not due:
                return SweepResult(fired, failed)
            batches = [due[i : i + batch] for i in range(0, len(due), batch)]
            fire = partial(_fire_batch_in_new_uow, services, now)
            for outcomes in pool.map(fire, batches) if pool else map(fire, batches):
                for instance_id, outcome in outcomes.items():
                    if outcome is True:
                        fired += 1
                        continue
                    skipped.add(instance_id)
                    if isinstance(outcome, Exception):
                        failed += 1
                        log.error("Timer på instans %s fejlede: %s", instance_id, _describe(outcome))


def _fire_batch_in_new_uow(services: Services, now: datetime, instance_ids: Sequence[int]) -> dict[int, Outcome]:
    """Optimistically first: the whole batch without savepoints, its rows written in one flush.  If anything
    fails, that transaction is rolled back whole and the batch is fired again, each instance in its own
    SAVEPOINT, so only the failing one is left out."""
    try:
        return fire_batch(services.uow(), instance_ids, now, isolated=False)
    except Exception:
        return fire_batch(services.uow(), instance_ids, now)


def fire_batch(
    uow: UnitOfWork, instance_ids: Sequence[int], now: datetime, *, isolated: bool = True
) -> dict[int, Outcome]:
    """Fire the due timers of ``instance_ids`` in one transaction, each instance in its own SAVEPOINT.

    Returns each id's outcome: True (fired), False (nothing due any more, or another sweep holds it), or
    the exception that rolled that instance back (the others commit).  Not ``isolated``: no SAVEPOINTs —
    a SAVEPOINT flushes, so each instance's rows are written on their own — and the first failure rolls
    the whole batch back and is raised."""
    outcomes: dict[int, Outcome] = dict.fromkeys(instance_ids, False)
    with uow:
        found = uow.session.execute(_LOCKED_DUE_WITH_CASES, {"instance_ids": list(instance_ids), "now": now})
        rows = found.tuples().all()
        # What the projection and the frister read per instance, read for the whole batch in one statement each.
        uow.tasks.read_active([instance.id for instance, _ in rows])
        uow.deadlines.read_open([case.id for _, case in rows if case is not None])
        for instance, case in rows:
            instance_id = instance.id  # read before a rollback expires the object
            if not isolated:
                _fire(uow, instance, case, now)
                outcomes[instance_id] = True
                continue
            try:
                with uow.savepoint():
                    _fire(uow, instance, case, now)
            except Exception as exc:  # this instance is rolled back alone; the batch goes on
                outcomes[instance_id] = exc
            else:
                outcomes[instance_id] = True
        uow.commit()
    return outcomes


def fire_instance(uow: UnitOfWork, instance_id: int, now: datetime) -> bool:
    """Fire the due timers of one instance in one transaction; False if nothing was due (any more).

    Raises what made it fail (nothing is committed then)."""
    outcome = fire_batch(uow, [instance_id], now)[instance_id]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _fire(uow: UnitOfWork, instance: ProcessInstance, case: Case | None, now: datetime) -> None:
    step = uow.instances.fire_timers(instance, now)
    if case is not None:
        apply_step(uow, case, instance, step, now)
    if instance.next_timer_at is not None and instance.next_timer_at < now and not step.fired_timers:
        # The engine did not fire what we computed as due: park it so the sweep cannot spin.
        log.warning("Instans %s: timer %s blev ikke udløst", instance.id, instance.next_timer_at)
        instance.next_timer_at = None


def _describe(exc: Exception) -> str:
    """What failed, for the log, without the exception's text unless it is the engine's own message about
    the diagram (other texts may carry data: a SQL error lists its parameters, a CPR number or a name)."""
    if isinstance(exc, ProcessError):
        return f"{exc.element_id or 'processen'}: {exc.message}"
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}{where}"


def _due_instance_ids(uow: UnitOfWork, now: datetime, limit: int, skipped: set[int]) -> list[int]:
    """Candidates only (each is re-checked under its lock), so the idle sweep every 30 s takes no write lock."""
    with uow.read_only():
        query = (
            select(ProcessInstance.id)
            .where(ProcessInstance.next_timer_at < now, ProcessInstance.status == "running")
            .order_by(ProcessInstance.next_timer_at, ProcessInstance.id)
            .limit(limit + len(skipped))
        )
        return [i for i in uow.session.scalars(query) if i not in skipped][:limit]
