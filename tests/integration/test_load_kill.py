"""The load-and-kill run, short: PostgreSQL, gunicorn workers, two schedulers, SIGKILL mid-run.

The full run is `bench/load_kill.py` (figures in the README); this bounded version runs in CI
whenever the suite runs on PostgreSQL, and fails on any invariant violation.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL, ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A database of its own: the invariant check reads every table of the database it is given."""
    name = f"loadkill_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.skipif(not POSTGRES_URL, reason="needs SAGSFLOW_TEST_POSTGRES_URL")
def test_load_kill_restart_leaves_no_invariant_violated(tmp_path, fresh_database):
    clients, per_client = 4, 4
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load_kill.py"),
            "--database-url",
            fresh_database,
            "--clients",
            str(clients),
            "--cases-per-client",
            str(per_client),
            "--workers",
            "2",
            "--log-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = run.stdout + run.stderr
    assert "SIGKILL sent" in report, report
    killed_after = int(re.search(r"SIGKILL sent to gunicorn and one scheduler after (\d+) cases", report).group(1))
    opened = int(re.search(r"cases opened\s+: (\d+)", report).group(1))
    assert 0 < killed_after < opened == clients * per_client, report  # work before and after the kill
    assert "violations found  : 0" in report, report
    assert run.returncode == 0, report
