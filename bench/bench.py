"""Sagsflow benchmark: `make bench` (or `python bench/bench.py [--database-url postgresql+psycopg://...]`).

Prints, on the shipped sagsbehandling.bpmn, and as its last line one JSON object with the figures:
  1. instances/s through the whole pathway by raw SpiffWorkflow in memory (same diagram, same FEEL
     evaluator, no database) — ``raw_per_s``;
  2. the same through Sagsflow's runtime in memory, and the FEEL evaluator's cost per call;
  3. the same through the service layer on a SQLite file, every command its own transaction —
     ``persisted_per_s`` and ``persisted_ratio`` (of raw);
  4. the state size after 1 and 1 000 opfølgning rounds;
  5. the inbox query's median and p95 with ``--open-tasks`` open tasks (1 000 000) — ``inbox_p95_ms``;
  6. firing ``--timers`` due timers (10 000), and one sweep over the instances not due — ``timers_10k_s``
     (on PostgreSQL also from ``--timer-processes`` scheduler processes at once — ``timers_10k_s_pg_processes``);
  7. with ``--database-url`` (a PostgreSQL server): 3, 5 and 6 again on PostgreSQL (``_pg`` keys), and
     16 HTTP clients against gunicorn — ``http_complete_p95_ms_pg``, cases/s and completions/s; then the same
     behind real nginx with deploy/nginx-sticky.conf (``_pg_sticky``), when nginx is installed.  Each client
     signs in and runs one warm-up case before the timing starts (a fresh worker parses the diagrams and
     compiles its statements on its first commands), then ``--http-cases`` cases (16).
Large tables are seeded with bulk statements (bench/parts/seeding.py); no figure is asserted anywhere.
1, 2 and 3 run in ``--rounds`` rounds (3) of ``--instances`` ÷ rounds instances each: on a shared VM one run
of the same code moves 10–25 %, so each figure is its rounds' median, and its ``_spread`` key gives the lowest
and the highest round.
Each timed phase starts after a full garbage collection (``settle``): the timer phase leaves some 300 000
objects behind, and collecting them inside the inbox's 300 timed calls doubled its median in one run.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[0] = str(ROOT)  # the checkout, not bench/: 'bench' is the package here, not this file

from bench.parts import pathway  # noqa: E402
from bench.parts.common import START, fresh_database, median, new_services, p95, spread  # noqa: E402
from bench.parts.seeding import seed_due_timers, seed_open_tasks  # noqa: E402
from bench.parts.timer_processes import fire_in_processes  # noqa: E402
from engine.collector import tune_collector  # noqa: E402
from engine.instances import WorkflowCache  # noqa: E402
from tasks.work.inbox import InboxFilter, list_tasks  # noqa: E402
from tasks.work.timers import sweep_timers  # noqa: E402


def settle() -> None:
    """Collect what the previous phase left, outside the next phase's timing."""
    gc.collect()


def inbox_latency(services: Any, actor: Any, runs: int = 300) -> tuple[float, float]:
    settle()
    timings = []
    for i in range(runs):
        wanted = InboxFilter() if i % 2 == 0 else InboxFilter(due_before=START + timedelta(days=30))
        started = time.perf_counter()
        tasks = list_tasks(services.uow(), actor, wanted)
        timings.append((time.perf_counter() - started) * 1000)
        assert tasks
    return median(timings), p95(timings)


def fire_timers(services: Any, actor: Any, due: int, workers: int = 1) -> tuple[float, int, float]:
    """Seconds to fire ``due`` timers from a cold cache, how many fired, and one idle sweep's ms after.

    ``workers``: threads of the one sweep (tasks.work.timers; 1 on SQLite, where writers queue)."""
    seed_due_timers(services, actor, due)
    services = dataclasses.replace(services, workflow=dataclasses.replace(services.workflow, workflows=WorkflowCache()))
    later = services.clock.now() + timedelta(days=60)
    settle()
    started = time.perf_counter()
    result = sweep_timers(services, later, workers=workers)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    sweep_timers(services, later)
    return seconds, result.fired, (time.perf_counter() - started) * 1000


def persisted_rounds(services: Any, actor: Any, args: argparse.Namespace) -> list[float]:
    """The persisted pathway in ``args.rounds`` rounds (one warm-up instance first: deploy and caches)."""
    pathway.persisted(services, actor, 1)
    rounds = []
    for _ in range(args.rounds):
        settle()
        rounds.append(pathway.persisted(services, actor, max(args.instances // args.rounds, 1)))
    return rounds


def database_figures(url: str, args: argparse.Namespace, suffix: str, figures: dict[str, Any], label: str) -> Any:
    services, actor = new_services(url)
    rounds = persisted_rounds(services, actor, args)
    persisted = median(rounds)
    figures[f"persisted_per_s{suffix}"] = round(persisted, 1)
    figures[f"persisted_per_s{suffix}_spread"] = spread(rounds)
    figures[f"persisted_ratio{suffix}"] = round(persisted / figures["raw_per_s"], 3)
    print(
        f"[{label}] pathway, service layer + database : {persisted:8.1f} instances/s "
        f"(ratio {persisted / figures['raw_per_s']:.0%}; rounds {_listed(rounds)})"
    )
    workers = args.timer_workers if suffix == "_pg" else 1
    seconds, fired, idle_ms = fire_timers(services, actor, args.timers, workers)
    figures[f"timers_10k_s{suffix}"] = round(seconds * 10_000 / max(fired, 1), 2)
    print(f"[{label}] fire {fired} due timers ({workers} thr.) : {seconds:.2f} s ({fired / seconds:.0f}/s)")
    print(f"[{label}] one idle sweep afterwards          : {idle_ms:.2f} ms")
    if suffix == "_pg" and args.timer_processes > 1:
        seed_due_timers(services, actor, args.timers)
        later = services.clock.now() + timedelta(days=60)
        settle()
        seconds, fired = fire_in_processes(services_url(services), later, args.timer_processes, workers)
        figures["timers_10k_s_pg_processes"] = round(seconds * 10_000 / max(fired, 1), 2)
        print(
            f"[{label}] fire {fired} due timers ({args.timer_processes} processes x {workers} thr.): "
            f"{seconds:.2f} s ({fired / seconds:.0f}/s)"
        )
    seed_open_tasks(services, args.open_tasks)
    inbox_median, inbox_p95 = inbox_latency(services, actor)
    figures[f"inbox_p95_ms{suffix}"] = round(inbox_p95, 2)
    figures[f"inbox_open_tasks{suffix}"] = args.open_tasks
    print(f"[{label}] inbox, {args.open_tasks} open tasks     : median {inbox_median:.2f} ms, p95 {inbox_p95:.2f} ms")
    return services


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", help="a PostgreSQL server (postgresql+psycopg://...) for the _pg figures")
    parser.add_argument("--instances", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the pathway phases; the median is reported")
    parser.add_argument("--open-tasks", type=int, default=1_000_000)
    parser.add_argument("--timers", type=int, default=10_000)
    parser.add_argument("--http-clients", type=int, default=16)
    parser.add_argument(
        "--http-workers", type=int, help="gunicorn worker processes, --http-threads each (default: one per core)"
    )
    parser.add_argument(
        "--http-threads", type=int, default=4, help="threads per gunicorn worker (SAGSFLOW_WEB_THREADS)"
    )
    parser.add_argument("--http-cases", type=int, default=16, help="cases per HTTP client, after one warm-up case")
    parser.add_argument("--timer-workers", type=int, default=4, help="threads of the timer sweep on PostgreSQL")
    parser.add_argument("--timer-processes", type=int, default=2, help="scheduler processes sweeping side by side (PG)")
    parser.add_argument("--quick", action="store_true", help="small numbers, for a smoke run")
    args = parser.parse_args()
    tune_collector()  # as every Sagsflow process runs (engine/collector.py)
    if args.quick:
        args.instances, args.open_tasks, args.timers, args.http_clients, args.http_cases = 21, 2_000, 50, 4, 2

    figures: dict[str, Any] = {}
    per_round = max(args.instances // args.rounds, 1)
    raw_rounds, runtime_rounds = [], []
    for _ in range(args.rounds):
        settle()
        raw_rounds.append(pathway.raw_in_memory(per_round))
        settle()
        runtime_rounds.append(pathway.runtime_in_memory(per_round))
    raw, runtime = median(raw_rounds), median(runtime_rounds)
    figures["raw_per_s"], figures["raw_per_s_spread"] = round(raw, 1), spread(raw_rounds)
    figures["runtime_per_s"], figures["runtime_per_s_spread"] = round(runtime, 1), spread(runtime_rounds)
    costs = pathway.feel_call_microseconds(20_000 if not args.quick else 500)
    figures.update({f"feel_{name}_us": round(cost, 2) for name, cost in costs.items()})
    print(f"pathway, raw SpiffWorkflow in memory : {raw:8.1f} instances/s (rounds {_listed(raw_rounds)})")
    print(f"pathway, Sagsflow runtime in memory  : {runtime:8.1f} instances/s (rounds {_listed(runtime_rounds)})")
    print(f'FEEL condition udfald = "afslag"    : {costs["condition"]:8.2f} µs per call')
    print(f"FEEL deadline(start: .., weeks: 4)   : {costs['deadline']:8.2f} µs per call")
    print(f"FEEL DMN table, uncached             : {costs['dmn']:8.2f} µs per call")
    with tempfile.TemporaryDirectory() as tmp:
        services = database_figures(fresh_database(None, Path(tmp), "bench"), args, "", figures, "SQLite")
        del services
        services, actor = new_services(fresh_database(None, Path(tmp), "sizes"))
        sizes = pathway.state_sizes(services, actor)
        figures["state_bytes_1"], figures["state_bytes_1000"] = sizes[1][0], sizes[1000][0]
        print(
            f"state after 1 round / 1000 rounds    : {sizes[1][0]} B, {sizes[1][1]} tasks / "
            f"{sizes[1000][0]} B, {sizes[1000][1]} tasks"
        )
    if args.database_url:
        from bench.parts.http_load import http_load
        from tests.nginx import nginx_binary

        url = fresh_database(args.database_url, Path("."), "sagsflow_bench")
        database_figures(url, args, "_pg", figures, "PostgreSQL")
        services, _ = new_services(fresh_database(args.database_url, Path("."), "sagsflow_bench_http"))
        for sticky, suffix in ((False, ""), (True, "_sticky")):
            if sticky and nginx_binary() is None:
                print("[PostgreSQL] HTTP behind sticky nginx: skipped, nginx is not installed (scripts/nginx.sh)")
                continue
            settle()
            http = http_load(
                services,
                services_url(services),
                clients=args.http_clients,
                workers=args.http_workers,
                threads=args.http_threads,
                cases_per_client=args.http_cases,
                sticky=sticky,
                prefix=f"http{suffix}",
            )
            figures[f"http_complete_p95_ms_pg{suffix}"] = round(http.complete_p95_ms, 1)
            figures[f"http_complete_median_ms_pg{suffix}"] = round(http.complete_median_ms, 1)
            figures[f"http_cases_per_s_pg{suffix}"] = round(http.cases_per_s, 2)
            figures[f"http_completions_per_s_pg{suffix}"] = round(http.completions_per_s, 2)
            figures[f"http_workflow_cache_hit_ratio_pg{suffix}"] = round(http.cache_hit_ratio, 3)
            shape = (
                f"{http.workers} gunicorns of 1 worker behind nginx hashing on the caller"
                if sticky
                else f"gunicorn {http.workers} workers"
            )
            print(
                f"[PostgreSQL] HTTP, {http.clients} clients, {shape}: "
                f"{http.cases_per_s:.1f} cases/s, {http.completions_per_s:.1f} completions/s, "
                f"complete median {http.complete_median_ms:.1f} ms, p95 {http.complete_p95_ms:.1f} ms, "
                f"workflow cache hits {http.cache_hit_ratio:.0%}"
            )
    print(json.dumps(figures, sort_keys=True))


def _listed(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


def services_url(services: Any) -> str:
    return services.session_factory.kw["bind"].url.render_as_string(hide_password=False)


if __name__ == "__main__":
    main()
