"""Imports point down: engine knows nothing of tasks/web/flask; tasks nothing of web/flask."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def imported_roots(package: str) -> dict[str, set[str]]:
    found = {}
    for path in (SRC / package).rglob("*.py"):
        roots = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                roots.add(node.module.split(".")[0])
        found[str(path.relative_to(SRC))] = roots
    return found


@pytest.mark.parametrize(("package", "forbidden"), [("engine", {"tasks", "web", "flask"}), ("tasks", {"web", "flask"})])
def test_lower_layers_do_not_import_higher_ones(package, forbidden):
    offenders = {path: roots & forbidden for path, roots in imported_roots(package).items() if roots & forbidden}
    assert offenders == {}


def test_only_the_clock_module_reads_the_wall_clock():
    readers = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "datetime.now(" in path.read_text(encoding="utf-8") and path.name not in ("clock.py", "spiff.py")
    ]
    assert readers == []
