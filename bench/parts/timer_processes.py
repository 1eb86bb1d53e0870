"""Due timers fired by several scheduler processes at once, as production runs them (two schedulers, each
`sagsflow scheduler`): rows are taken with ``FOR UPDATE SKIP LOCKED``, so the processes share the work and
nothing fires twice.  Threads of one process share one interpreter lock; processes use every core.

Each child imports and connects first and then waits for "go" on its stdin, so the figure is the sweep's
time, not the interpreters' start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime

from bench.parts.common import ROOT

CHILD = """
import json, sys
from datetime import datetime
from engine.clock import FrozenClock
from engine.collector import tune_collector
from tasks.accounts.passwords import Passwords
from tasks.work.timers import sweep_timers
from web.bootstrap import bootstrap
from web.config import Settings

tune_collector()
url, at, threads = sys.argv[1], datetime.fromisoformat(sys.argv[2]), int(sys.argv[3])
services = bootstrap(Settings(database_url=url), clock=FrozenClock(at), passwords=Passwords.fast_for_tests())
print("ready", flush=True)
sys.stdin.readline()
result = sweep_timers(services, at, workers=threads)
print(json.dumps({"fired": result.fired, "failed": result.failed}), flush=True)
"""


def fire_in_processes(url: str, at: datetime, processes: int, threads: int) -> tuple[float, int]:
    """Seconds until ``processes`` sweeps (``threads`` each) fired everything due at ``at``; how many fired."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, url, at.isoformat(), str(threads)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(processes)
    ]
    try:
        for child in children:
            assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        fired = 0
        for child in children:
            assert child.stdout is not None
            fired += json.loads(child.stdout.readline())["fired"]
        return time.perf_counter() - started, fired
    finally:
        for child in children:
            child.kill()
            child.wait()
