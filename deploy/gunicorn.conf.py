"""gunicorn settings for Sagsflow in production (see the README's production guide).

Several workers, each with a few threads; request lines are logged by Sagsflow itself (JSON, with
the request id), so gunicorn's access log is off.  With PROMETHEUS_MULTIPROC_DIR set, the metrics
of all workers are added up, and a dead worker's files are marked so its gauges do not linger.
"""

import os
import shutil

bind = os.environ.get("SAGSFLOW_BIND", "0.0.0.0:8000")
# One worker per core this process may run on (its CPU affinity, which a container's cpuset narrows).
# Measured on 2 cores, PostgreSQL, 16 clients: 2 workers did 84 completions/s with 54 % of commands
# finding their workflow cached; 4 workers did 66/s with 29 % (bench/bench.py, README "Benchmark").
workers = int(os.environ.get("SAGSFLOW_WEB_WORKERS") or len(os.sched_getaffinity(0)))
worker_class = "gthread"
threads = int(os.environ.get("SAGSFLOW_WEB_THREADS", "4"))
timeout = 60
graceful_timeout = 30
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("SAGSFLOW_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
