"""Load, kill, restart, check: `python bench/load_kill.py --database-url postgresql+psycopg://...`

Starts gunicorn (several workers) and two `sagsflow scheduler` processes on one PostgreSQL
database and a real SMTP server (aiosmtpd) on 127.0.0.1; many client threads open cases and
complete tasks; halfway the web server and one scheduler are killed with SIGKILL and restarted.
Afterwards the schedulers drain the timers and the outbox, and tasks.invariants checks the
database.  Prints cases/s, completions/s, p95 latency and the violations found.  Bounded in
requests and time; every process it starts is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from tasks.accounts.users import add_user  # noqa: E402
from tasks.mail.model import OutboxMail  # noqa: E402
from tasks.ops.invariants import check_all  # noqa: E402
from tests.helpers import henvendelse, partshoering, udredning  # noqa: E402
from tests.smtp import SmtpServer, free_port  # noqa: E402
from web.bootstrap import bootstrap  # noqa: E402
from web.config import Settings  # noqa: E402
from web.startup import prepare  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "belastning-1"


class Client:
    def __init__(self, port: int, username: str, latencies: list[float]) -> None:
        self.port, self.username, self.latencies, self.token = port, username, latencies, ""

    def call(self, method: str, path: str, body: object = None, deadline: float = 60.0) -> tuple[int, dict]:
        """One request, retried while the server is down (connection refused/reset)."""
        give_up = time.monotonic() + deadline
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                headers = {"Content-Type": "application/json"}
                if self.token:
                    headers["Authorization"] = f"Bearer {self.token}"
                started = time.perf_counter()
                conn.request(method, f"/api/v1{path}", json.dumps(body) if body is not None else None, headers)
                response = conn.getresponse()
                payload = response.read()
                self.latencies.append((time.perf_counter() - started) * 1000)
                conn.close()
                return response.status, (json.loads(payload) if payload else {})
            except (ConnectionError, http.client.HTTPException, OSError):
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.2)

    def login(self) -> None:
        status, body = self.call("POST", "/auth/token", {"username": self.username, "password": PASSWORD})
        assert status == 200, body
        self.token = body["token"]


def run_client(client: Client, cases: int, stats: Counter) -> None:
    client.login()
    received = (datetime.now(UTC) - timedelta(weeks=9)).isoformat()
    sent = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    for _ in range(cases):
        status, case = client.call(
            "POST", "/cases", {"title": "Belastning", "ydelse": "SEL § 85", "received_at": received}
        )
        if status == 401:
            client.login()
            continue
        if status != 201:
            stats["case_errors"] += 1
            continue
        stats["cases"] += 1
        for data in (henvendelse(), udredning(), partshoering(sent=sent, days=14)):
            status, body = client.call("GET", f"/cases/{case['id']}")
            todo = [t for t in body.get("tasks", []) if t["name"] != "Underret borger om forventet afgørelse"]
            if not todo:
                break
            status, _ = client.call("POST", f"/tasks/{todo[0]['id']}/complete", data)
            stats["completions" if status == 200 else f"complete_{status}"] += 1


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def wait_until_up(port: int, limit: float = 30) -> None:
    give_up = time.monotonic() + limit
    while time.monotonic() < give_up:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=os.environ.get("SAGSFLOW_DATABASE_URL"), required=False)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--cases-per-client", type=int, default=15)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--log-dir", default="/tmp/sagsflow-load")
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("--database-url must point at PostgreSQL (scripts/pg-start.sh prints one)")

    logs = Path(args.log_dir)
    logs.mkdir(parents=True, exist_ok=True)
    smtp = SmtpServer()
    smtp.start()
    port = free_port()
    env = {
        **os.environ,
        "SAGSFLOW_DATABASE_URL": args.database_url,
        "SAGSFLOW_SMTP_HOST": "127.0.0.1",
        "SAGSFLOW_SMTP_PORT": str(smtp.port),
        "SAGSFLOW_SCHEDULER_SECONDS": "1",
        "SAGSFLOW_SECRET_KEY": os.environ.get("SAGSFLOW_SECRET_KEY") or secrets.token_hex(32),
        "PYTHONPATH": str(ROOT / "src"),
    }
    settings = Settings.from_env(env)
    services = bootstrap(settings)
    prepare(settings, services)
    now = services.clock.now()
    tag = str(int(time.time()))
    usernames = [f"load{tag}_{i}" for i in range(args.clients)]
    for username in usernames:
        add_user(
            services.uow(),
            username,
            PASSWORD,
            ["sagsbehandler"],
            now,
            team=f"Load {tag}",
            email=f"{username}@kommune.test",
        )
    add_user(services.uow(), f"leder{tag}", PASSWORD, ["leder"], now, email=f"leder{tag}@kommune.test")

    web_cmd = [str(BIN / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "web.app:create_app()"]
    scheduler_cmd = [str(BIN / "sagsflow"), "scheduler"]
    web = start(web_cmd, env, logs / "gunicorn.log")
    schedulers = [start(scheduler_cmd, env, logs / f"scheduler{i}.log") for i in range(2)]
    wait_until_up(port)

    latencies: list[float] = []
    stats: Counter = Counter()
    clients = [Client(port, u, latencies) for u in usernames]
    threads = [threading.Thread(target=run_client, args=(c, args.cases_per_client, stats)) for c in clients]
    started = time.perf_counter()
    for t in threads:
        t.start()
    while stats["cases"] < args.clients * args.cases_per_client // 2 and any(t.is_alive() for t in threads):
        time.sleep(0.1)
    kill(web)
    kill(schedulers[0])
    print(f"SIGKILL sent to gunicorn and one scheduler after {stats['cases']} cases", flush=True)
    web = start(web_cmd, env, logs / "gunicorn.log")
    schedulers[0] = start(scheduler_cmd, env, logs / "scheduler0.log")
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started

    drain_until = time.monotonic() + 120
    while time.monotonic() < drain_until:
        with services.uow() as uow:
            pending = uow.session.scalar(
                select(func.count()).select_from(OutboxMail).where(OutboxMail.status == "pending")
            )
        if pending == 0 and not check_timers_due(services):
            break
        time.sleep(1)
    for process in (web, *schedulers):
        process.send_signal(signal.SIGTERM)
    for process in (web, *schedulers):
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            kill(process)
    smtp.stop()

    violations = check_all(services.uow(), services.clock.now())
    sent_ids = Counter(message_from_bytes(m.data)["Message-ID"] for m in smtp.messages)
    duplicates = sum(n - 1 for n in sent_ids.values() if n > 1)
    if duplicates:
        violations.append(f"{duplicates} e-mails delivered more than once")
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 20 else max(latencies)
    print(f"clients {args.clients}, gunicorn workers {args.workers}, 2 schedulers, 1 SIGKILL of web + scheduler")
    print(f"cases opened      : {stats['cases']} ({stats['cases'] / elapsed:.1f}/s)")
    print(f"tasks completed   : {stats['completions']} ({stats['completions'] / elapsed:.1f}/s)")
    print(f"request latency   : median {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms")
    print(f"other outcomes    : {dict((k, v) for k, v in stats.items() if k not in ('cases', 'completions'))}")
    overdue_cases = count_overdue_cases(services)
    per_case = len(smtp.messages) / overdue_cases if overdue_cases else 0.0
    mails = len(smtp.messages)
    print(f"e-mails delivered : {mails} ({per_case:.2f} per case with a passed frist; {overdue_cases} such cases)")
    print(f"violations found  : {len(violations)}")
    for v in violations[:20]:
        print(f"  - {v}")
    return 1 if violations else 0


def count_overdue_cases(services) -> int:
    from tasks.frister.model import Deadline

    with services.uow() as uow:
        query = select(func.count(func.distinct(Deadline.case_id))).where(Deadline.escalated_at.is_not(None))
        return int(uow.session.scalar(query) or 0)


def check_timers_due(services) -> bool:
    from engine.models import ProcessInstance

    with services.uow() as uow:
        return bool(
            uow.session.scalar(
                select(func.count())
                .select_from(ProcessInstance)
                .where(ProcessInstance.status == "running", ProcessInstance.next_timer_at <= services.clock.now())
            )
        )


if __name__ == "__main__":
    raise SystemExit(main())
