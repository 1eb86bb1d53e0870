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
COMPOSE_TEXT = (ROOT / "compose.yaml").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
README = (ROOT / "README.md").read_text(encoding="utf-8")
STICKY_CONF = (ROOT / "deploy" / "nginx-sticky.conf").read_text(encoding="utf-8")
GUNICORNS = [name for name, s in COMPOSE["services"].items() if s.get("command", [""])[0] == "gunicorn"]


def unset(value: object) -> str:
    """A compose value as compose reads it when no variable is set: ``${NAME:-default}`` is the default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))


def up_commands() -> list[list[str]]:
    """Every ``docker compose ... up`` that the README and compose.yaml's header tell a user to run."""
    text = README + "\n" + "\n".join(line for line in COMPOSE_TEXT.splitlines() if line.startswith("#"))
    found = {c.strip() for c in re.findall(r"docker compose (?:--profile \S+ )*up\b[^`\n#&]*", text)}
    return [shlex.split(c) for c in sorted(found)]


def started(command: list[str]) -> list[str]:
    """The services ``command`` starts: those without profiles or in an active one, less any ``--scale S=0``."""
    active = {command[i + 1] for i, word in enumerate(command) if word == "--profile"}
    scale = dict(command[i + 1].split("=") for i, word in enumerate(command) if word == "--scale")
    return [
        name
        for name, service in COMPOSE["services"].items()
        if (not service.get("profiles") or active & set(service["profiles"])) and scale.get(name) != "0"
    ]


def published(service: dict) -> list[tuple[str, int, int]]:
    """(host address, host port, container port) of each of a service's ``ports``."""
    bindings = []
    for port in service.get("ports", []):
        *host, container = str(port).split("/")[0].split(":")
        address, host_port = (host[0], host[1]) if len(host) == 2 else ("0.0.0.0", host[0] if host else container)
        bindings.append((address, int(host_port), int(container)))
    return bindings


def gunicorn_settings(name: str, monkeypatch) -> dict:
    """deploy/gunicorn.conf.py (the service's --config) as it runs with the service's environment."""
    service = COMPOSE["services"][name]
    config = service["command"][service["command"].index("--config") + 1]
    with monkeypatch.context() as m:
        for key in ("SAGSFLOW_BIND", "SAGSFLOW_WEB_WORKERS", "SAGSFLOW_WEB_THREADS"):
            m.delenv(key, raising=False)
        for key, value in service["environment"].items():
            if "${" not in unset(value):  # leaves out the secrets compose insists on
                m.setenv(key, unset(value))
        return runpy.run_path(str(ROOT / config))


def test_compose_runs_postgres_gunicorn_and_two_schedulers_after_one_prepare():
    services = COMPOSE["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert services["init"]["command"] == ["sagsflow", "prepare"] and "prepare" in main.commands
    schedulers = [name for name, s in services.items() if s.get("command") == ["sagsflow", "scheduler"]]
    assert len(schedulers) == 2
    web = services["web"]["command"]
    assert web[0] == "gunicorn" and (ROOT / web[web.index("--config") + 1]).is_file() and web[-1] == "web.wsgi:app"
    assert set(GUNICORNS) == {"web", "web-1", "web-2"}
    for name in [*GUNICORNS, *schedulers]:
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


def test_plain_compose_starts_one_web_of_one_worker_per_core_and_sticky_two_single_worker_webs_behind_nginx(
    monkeypatch,
):
    # Every command the README and compose.yaml give for a set-up starts the same services.
    [plain] = {tuple(started(command)) for command in up_commands() if "--profile" not in command}
    [sticky] = {tuple(started(command)) for command in up_commands() if "sticky" in command}

    assert [name for name in plain if name in GUNICORNS] == ["web"] and "nginx" not in plain
    assert gunicorn_settings("web", monkeypatch)["workers"] == len(os.sched_getaffinity(0))
    assert {"db", "init", "scheduler-1", "scheduler-2"} <= set(plain) & set(sticky)

    assert [name for name in sticky if name in GUNICORNS] == ["web-1", "web-2"] and "nginx" in sticky
    for name in ("web-1", "web-2"):
        assert gunicorn_settings(name, monkeypatch)["workers"] == 1
        assert published(COMPOSE["services"][name]) == []  # reached through nginx only


def test_every_documented_compose_command_gives_each_host_port_to_one_service():
    for command in up_commands():
        bindings = [
            (address, port) for name in started(command) for address, port, _ in published(COMPOSE["services"][name])
        ]
        assert len(bindings) == len(set(bindings)), (command, bindings)
        assert ("127.0.0.1", 8000) in bindings, command  # where the TLS proxy in front sends the requests


def test_the_sticky_profile_runs_nginx_with_the_repositorys_file_in_front_of_its_gunicorns(monkeypatch):
    nginx = COMPOSE["services"]["nginx"]
    assert nginx["profiles"] == ["sticky"]
    assert re.fullmatch(r"nginx:\d+\.\d+[\w.-]*", nginx["image"])  # a pinned release, not latest
    source, target, mode = nginx["volumes"][0].split(":")
    assert (ROOT / source).resolve() == ROOT / "deploy" / "nginx-sticky.conf"
    assert (target, mode) == ("/etc/nginx/conf.d/default.conf", "ro")  # the official image includes conf.d/*.conf

    listen = re.findall(r"^    listen (\S+);  # sagsflow: listen$", STICKY_CONF, re.M)
    assert [(address, port) for address, _, port in published(nginx)] == [("127.0.0.1", int(*listen))]

    backends = re.findall(r"^    server ([\w.-]+):(\d+);  # sagsflow: backend$", STICKY_CONF, re.M)
    assert len(backends) == len(re.findall(r"^\s*server \S+;", STICKY_CONF, re.M))  # every backend is marked
    sticky_gunicorns = [n for n in GUNICORNS if "sticky" in COMPOSE["services"][n].get("profiles", [])]
    listening = {(n, int(gunicorn_settings(n, monkeypatch)["bind"].rpartition(":")[2])) for n in sticky_gunicorns}
    assert {(host, int(port)) for host, port in backends} == listening
    for host, _ in backends:  # nginx resolves the names when it starts: restarted with them
        assert nginx["depends_on"][host] == {"condition": "service_started", "restart": True}


def test_the_sticky_gunicorns_run_webs_image_and_settings_and_trust_nginx_as_one_more_proxy():
    web = COMPOSE["services"]["web"]
    for name in ("web-1", "web-2"):
        service = COMPOSE["services"][name]
        assert (service["image"], service["command"]) == (web["image"], web["command"])
        differing = {
            k
            for k in web["environment"].keys() | service["environment"].keys()
            if web["environment"].get(k) != service["environment"].get(k)
        }
        assert differing == {"SAGSFLOW_WEB_WORKERS", "SAGSFLOW_TRUSTED_PROXIES"}
        proxies = [int(unset(s["environment"]["SAGSFLOW_TRUSTED_PROXIES"])) for s in (web, service)]
        assert proxies[1] == proxies[0] + 1
