"""The production files agree with each other, with the code and with the README."""

from __future__ import annotations

import os
import re
import runpy
import shlex
from pathlib import Path

import yaml

from web.cli import main

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_compose_runs_postgres_gunicorn_and_two_schedulers_after_one_prepare():
    services = COMPOSE["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["init"]["command"] == ["sagsflow", "prepare"] and "prepare" in main.commands
    schedulers = [name for name, s in services.items() if s.get("command") == ["sagsflow", "scheduler"]]
    assert len(schedulers) == 2
    web = services["web"]["command"]
    assert web[0] == "gunicorn" and (ROOT / web[web.index("--config") + 1]).is_file() and web[-1] == "web.wsgi:app"
    for name in ["web", *schedulers]:
        assert services[name]["depends_on"]["init"]["condition"] == "service_completed_successfully"


def test_the_dockerfile_starts_what_compose_starts():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1)
    assert yaml.safe_load(cmd) == COMPOSE["services"]["web"]["command"]
    for copied in re.findall(r"^COPY (?!--from)(.+) \S+$", dockerfile, re.M):
        for path in shlex.split(copied):
            assert (ROOT / path).exists(), path


def test_every_setting_is_in_the_readme():
    config = (ROOT / "src" / "web" / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r"SAGSFLOW_[A-Z_]+", config)) | set(re.findall(r"SAGSFLOW_[A-Z_]+", str(COMPOSE)))
    missing = sorted(n for n in names if f"`{n}" not in README)
    assert missing == []


def test_gunicorn_runs_one_worker_per_usable_core_unless_told(monkeypatch):
    config = str(ROOT / "deploy" / "gunicorn.conf.py")
    monkeypatch.delenv("SAGSFLOW_WEB_WORKERS", raising=False)
    assert runpy.run_path(config)["workers"] == len(os.sched_getaffinity(0))
    monkeypatch.setenv("SAGSFLOW_WEB_WORKERS", "")  # set but empty, as compose passes an unset variable
    assert runpy.run_path(config)["workers"] == len(os.sched_getaffinity(0))
    monkeypatch.setenv("SAGSFLOW_WEB_WORKERS", "3")
    assert runpy.run_path(config)["workers"] == 3
