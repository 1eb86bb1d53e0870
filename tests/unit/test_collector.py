"""The collector thresholds every Sagsflow process runs with (``engine.collector``): workflows a process
drops are still freed, and the web workers and the ``sagsflow`` command set them."""

from __future__ import annotations

import gc
import os
import secrets
import subprocess
import sys
import weakref
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.collector import YOUNG_THRESHOLD, tune_collector
from engine.diagrams import parse_diagram
from engine.runtime import Runtime
from web.cli import main

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LOOP = (ROOT / "tests" / "processes" / "loop.bpmn").read_text(encoding="utf-8")


@pytest.fixture
def thresholds():
    """The test process's own thresholds, restored after the test."""
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_workflows_a_process_drops_are_freed_without_an_explicit_collection(thresholds):
    diagram = parse_diagram(LOOP)
    runtime = Runtime()
    workflow, _ = runtime.start(diagram, {"runder": 0}, NOW)
    state = runtime.dump(workflow)
    del workflow
    gc.collect()
    tune_collector()
    alive: weakref.WeakSet = weakref.WeakSet()
    loads = 3000
    for _ in range(loads):
        alive.add(runtime.load(diagram, state))  # a cycle: only the collector frees it
    assert len(alive) < loads / 2  # the collector ran on its own and freed most of them


def test_the_sagsflow_command_sets_the_thresholds(thresholds, database_url):
    gc.set_threshold(700, 10, 10)
    env = {"SAGSFLOW_DATABASE_URL": database_url}
    result = CliRunner().invoke(main, ["users", "add", "bo", "--password", "hemmelig1", "--role", "chef"], env=env)
    assert "Ukendt rolle: chef" in result.output
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD


def test_the_web_worker_sets_the_thresholds(tmp_path):
    env = {
        **os.environ,
        "SAGSFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'sagsflow.db'}",
        "SAGSFLOW_SECRET_KEY": secrets.token_urlsafe(32),
        "SAGSFLOW_LOG_FORMAT": "text",
        "PYTHONPATH": str(ROOT / "src"),
    }
    shown = subprocess.run(
        [sys.executable, "-c", "import gc, web.wsgi; print(gc.get_threshold()[0])"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.split()[-1] == str(YOUNG_THRESHOLD)
