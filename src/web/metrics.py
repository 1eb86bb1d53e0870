"""Prometheus metrics: requests and their latency per endpoint, login failures, and gauges read from
the database at scrape time (timers due and their lag, the outbox, the scheduler's heartbeat).

Counters live in this process.  Under gunicorn with several workers set PROMETHEUS_MULTIPROC_DIR
(README, production guide): prometheus-client then keeps them in files shared by the workers and
``exposition`` adds them up, so a scrape sees every worker, not just the one that answered.
"""

from __future__ import annotations

import os
import threading
import time

from flask import Flask, g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

from engine.instances import WorkflowCache
from tasks.ops.heartbeat import Snapshot

LOGIN_ENDPOINTS = {"auth.token": "api", "ui_auth.login": "side", "ui_auth.sso_callback": "sso"}
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """One registry per app (tests build many apps; nothing is registered at import time)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "sagsflow_requests",
            "Requests by endpoint, method and status (commands are the POSTs)",
            ["endpoint", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "sagsflow_request_duration_seconds",
            "Request latency by endpoint and method",
            ["endpoint", "method"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.login_failures = Counter(
            "sagsflow_login_failures",
            "Failed logins (wrong password, throttled, refused single sign-on)",
            ["via", "status"],
            registry=self.registry,
        )

        self.workflow_cache = Counter(
            "sagsflow_workflow_cache",
            "Commands that found their workflow in this worker's cache (hit) or loaded it from the database (miss)",
            ["result"],
            registry=self.registry,
        )
        self._cache_seen = (0, 0)
        self._cache_lock = threading.Lock()

    def observe_cache(self, cache: WorkflowCache) -> None:
        """Add what the worker's workflow cache counted since the last request (its counts are plain ints)."""
        with self._cache_lock:
            (hits, misses), (seen_hits, seen_misses) = (cache.hits, cache.misses), self._cache_seen
            self._cache_seen = (hits, misses)
        if hits > seen_hits:
            self.workflow_cache.labels("hit").inc(hits - seen_hits)
        if misses > seen_misses:
            self.workflow_cache.labels("miss").inc(misses - seen_misses)

    def install(self, app: Flask) -> None:
        @app.before_request
        def _start() -> None:
            g.metrics_started = time.perf_counter()

        @app.after_request
        def _observe(response):
            endpoint = request.endpoint or "ukendt"
            started = g.get("metrics_started")
            if started is not None:
                self.latency.labels(endpoint, request.method).observe(time.perf_counter() - started)
            self.requests.labels(endpoint, request.method, str(response.status_code)).inc()
            self.observe_cache(app.extensions["sagsflow"].workflow.workflows)
            if _is_failed_login(endpoint, response.status_code):
                self.login_failures.labels(LOGIN_ENDPOINTS[endpoint], str(response.status_code)).inc()
            return response

    def exposition(self, snapshot: Snapshot) -> bytes:
        counters = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            counters = CollectorRegistry()
            multiprocess.MultiProcessCollector(counters)
        return generate_latest(counters) + generate_latest(_gauges(snapshot))


def _is_failed_login(endpoint: str, status: int) -> bool:
    if endpoint == "ui_auth.sso_callback":
        return status == 401
    return endpoint in LOGIN_ENDPOINTS and request.method == "POST" and status in (401, 403, 429)


def _gauges(s: Snapshot) -> CollectorRegistry:
    registry = CollectorRegistry()
    values = {
        "sagsflow_timers_due": ("Instances whose next timer is due now", s.timers_due),
        "sagsflow_timer_lag_seconds": ("How long the oldest due timer has waited", s.timer_lag_seconds),
        "sagsflow_outbox_pending": ("E-mails waiting in the outbox", s.outbox_pending),
        "sagsflow_outbox_retrying": ("Pending e-mails that failed at least once", s.outbox_retrying),
        "sagsflow_outbox_failed": ("E-mails given up after the last retry", s.outbox_failed),
        "sagsflow_login_failures_recent": ("Failed logins in the last hour (all workers)", s.login_failures_recent),
        "sagsflow_letters_pending": ("Letters waiting for dispatch", s.letters_pending),
        "sagsflow_letters_retrying": ("Waiting letters whose channel failed at least once", s.letters_retrying),
        "sagsflow_letters_failed": ("Letters the channel refused for good or after the last retry", s.letters_failed),
        "sagsflow_letters_held": ("Letters held for manual handling (address protection)", s.letters_held),
        "sagsflow_letter_lag_seconds": ("How long the oldest waiting letter has waited", s.letter_lag_seconds),
    }
    if s.heartbeat_age_seconds is not None:
        values["sagsflow_scheduler_heartbeat_age_seconds"] = (
            "Seconds since a scheduler last finished a sweep",
            s.heartbeat_age_seconds,
        )
    for name, (help_text, value) in values.items():
        Gauge(name, help_text, registry=registry).set(value)
    return registry
