"""The scheduler process: timer sweep, escalation scan, letter dispatch, outbox sender and the monthly statistics,
each an idempotent job.

Every job is a few lines calling one service; all of them are safe to run in several processes
at once (row locks with SKIP LOCKED on PostgreSQL, unique outbox keys) and after any crash.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from engine.clock import SystemClock
from tasks.frister.escalation import scan_deadlines, send_digests
from tasks.letters.digital_post import DigitalPost
from tasks.letters.dispatch import Transport, dispatch_letters
from tasks.mail.outbox import Mailer, send_pending
from tasks.mail.smtp import SmtpMailer
from tasks.ops.heartbeat import record_heartbeat
from tasks.reports.statistics import produce_due
from tasks.service.services import Services
from tasks.work.timers import sweep_timers
from web.config import Settings

log = logging.getLogger(__name__)


@dataclass
class Jobs:
    services: Services
    mailer: Mailer
    base_url: str
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    transport: Transport | None = None  # Digital Post; None: RecordOnly (no endpoint configured)
    timer_workers: int = 1  # threads firing due timers side by side (PostgreSQL; see tasks.work.timers)

    def sweep(self) -> None:
        """Fire due timers, then write this process's heartbeat (what /readyz looks at)."""
        result = sweep_timers(self.services, self.services.clock.now(), workers=self.timer_workers)
        if result.fired or result.failed:
            log.info("Timere: %s udløst, %s fejlede", result.fired, result.failed)
        record_heartbeat(self.services.uow(), self.worker, self.services.clock.now())

    def escalate(self) -> None:
        now = self.services.clock.now()
        result = scan_deadlines(self.services.uow(), now, self.base_url)
        digests = send_digests(self.services.uow(), now, self.base_url)
        if result.mails or digests:
            log.info(
                "Frister: %s varslet, %s eskaleret, %s mails, %s oversigter",
                result.warned,
                result.escalated,
                result.mails,
                digests,
            )

    def dispatch_letters(self) -> None:
        result = dispatch_letters(self.services, self.services.clock.now(), self.transport)
        if result.sent or result.failed:
            log.info("Breve: %s afsendt, %s fejlede", result.sent, result.failed)

    def send_mail(self) -> None:
        result = send_pending(self.services, self.mailer, self.services.clock.now())
        if result.sent or result.failed:
            log.info("Mails: %s sendt, %s fejlede", result.sent, result.failed)

    def statistics(self) -> None:
        """Last month's statistics file, once (every scheduler asks; the first one makes it)."""
        if month := produce_due(self.services.uow(), self.services.clock.now()):
            log.info("Statistik for %s er dannet", month)

    def run_once(self) -> None:
        self.sweep()
        self.escalate()
        self.dispatch_letters()
        self.send_mail()
        self.statistics()


def make_jobs(services: Services, settings: Settings) -> Jobs:
    transport = DigitalPost(settings.digital_post) if settings.digital_post is not None else None
    if transport is None:
        log.warning("Digital Post er ikke sat op (SAGSFLOW_DIGITAL_POST_URL): breve registreres kun som sendt")
    return Jobs(
        services,
        SmtpMailer(settings.smtp),
        settings.base_url,
        transport=transport,
        timer_workers=settings.timer_workers,
    )


def schedule(
    scheduler: BackgroundScheduler | BlockingScheduler,
    jobs: Jobs,
    every_seconds: int = 30,
    first_run: datetime | None = None,
) -> None:
    """Add the jobs; each runs first at ``first_run`` (None: one interval from now) and then every interval."""
    options: dict[str, Any] = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
    if first_run is not None:
        options["next_run_time"] = first_run
    scheduler.add_job(jobs.sweep, "interval", seconds=every_seconds, id="timer_sweep", **options)
    scheduler.add_job(jobs.escalate, "interval", seconds=every_seconds * 4, id="escalation_scan", **options)
    scheduler.add_job(jobs.dispatch_letters, "interval", seconds=every_seconds, id="letter_dispatch", **options)
    scheduler.add_job(jobs.send_mail, "interval", seconds=every_seconds, id="outbox_sender", **options)
    scheduler.add_job(jobs.statistics, "interval", seconds=every_seconds * 120, id="monthly_statistics", **options)


def run_blocking(jobs: Jobs, every_seconds: int = 30) -> None:
    scheduler = BlockingScheduler(timezone="UTC")
    schedule(scheduler, jobs, every_seconds, first_run=SystemClock().now())  # APScheduler runs on the wall clock
    jobs.run_once()
    scheduler.start()


def start_background(jobs: Jobs, every_seconds: int = 30) -> BackgroundScheduler:
    """The scheduler inside the web process (``sagsflow demo``).  Every job runs once right away, in the
    scheduler's thread: the first sweep writes the heartbeat, so /readyz answers 200 as soon as the service
    is up rather than one interval later; the web server starts meanwhile."""
    scheduler = BackgroundScheduler(timezone="UTC")
    schedule(scheduler, jobs, every_seconds, first_run=SystemClock().now())  # APScheduler runs on the wall clock
    scheduler.start()
    return scheduler
