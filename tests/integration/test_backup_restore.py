"""Backup and restore on PostgreSQL with the README's scripts: a restored database reads back the same case.

scripts/backup.sh (pg_dump, custom format) of a database with a case in progress, scripts/restore.sh
into a fresh database, then the case, its tasks, frister and journal read through the API are the
same, the journal is still append-only, and work goes on from where it was.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.exc import DatabaseError

from engine.clock import FrozenClock
from tasks.journal.model import JournalEntry
from tests.conftest import POSTGRES_URL, PROCESSES, ROOT, START
from tests.helpers import Api, henvendelse, make_user, udredning
from web.app import create_app
from web.bootstrap import bootstrap
from web.config import Settings
from web.database import migrate
from web.startup import deploy_processes

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not POSTGRES_URL, reason="needs SAGSFLOW_TEST_POSTGRES_URL")]


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    """Two databases of their own: the original and the empty one to restore into."""
    names = [f"backup_{uuid.uuid4().hex[:10]}", f"restore_{uuid.uuid4().hex[:10]}"]
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = POSTGRES_URL.rsplit("/", 1)[0]
    yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def app_on(url: str, clock: FrozenClock, deploy: bool):
    settings = Settings(database_url=url, processes_dir=PROCESSES, secret_key="test")
    services = bootstrap(settings, clock=clock)
    if deploy:
        deploy_processes(services, PROCESSES)
    return services, create_app(settings, services)


def test_a_restored_backup_reads_back_the_same_case_and_work_goes_on(databases, tmp_path):
    original_url, restored_url = databases
    clock = FrozenClock(START)
    migrate(original_url)
    services, app = app_on(original_url, clock, deploy=True)
    make_user(services, "sara", "sagsbehandler")
    sara = Api.login(app.test_client(), "sara")
    case = sara.open_case(title="Ansøgning om bostøtte", citizen={"cpr": "010203-1234", "name": "Test Borger"})
    sara.complete(sara.only_task(case["id"])["id"], henvendelse())
    before = {path: sara.get(path).get_json() for path in (f"/cases/{case['id']}", f"/cases/{case['id']}/journal")}
    services.session_factory.kw["bind"].dispose()

    dump = tmp_path / "sagsflow.dump"
    for script, args in (("backup.sh", [original_url, str(dump)]), ("restore.sh", [str(dump), restored_url])):
        run = subprocess.run(["bash", str(ROOT / "scripts" / script), *args], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr

    services, app = app_on(restored_url, clock, deploy=False)
    sara = Api.login(app.test_client(), "sara")
    after = {path: sara.get(path).get_json() for path in before}
    assert after == before
    assert after[f"/cases/{case['id']}"]["citizen"]["cpr"] == "010203-1234"
    with services.uow() as uow, pytest.raises(DatabaseError):
        uow.session.execute(update(JournalEntry).values(actor="x"))  # still append-only
    task = sara.only_task(case["id"])
    assert task["name"] == "Udredning (VUM 2.0)"
    sara.complete(task["id"], udredning())
    services.session_factory.kw["bind"].dispose()
