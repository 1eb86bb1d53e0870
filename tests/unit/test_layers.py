"""The layers hold: imports point down, nothing below web knows a web framework, no import cycles,
no dynamic imports below web, and only the clock module reads the wall clock.

Read from the source's syntax trees (relative imports resolved, function-level imports included,
``if TYPE_CHECKING:`` imports left out because they never run)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
LAYERS = ("engine", "tasks", "web")
WEB_FRAMEWORKS = {"flask", "flask_smorest", "flask_wtf", "werkzeug", "jinja2", "marshmallow", "apispec", "waitress"}
FORBIDDEN = {
    "engine": {"tasks", "web", "click", *WEB_FRAMEWORKS},
    "tasks": {"web", "click", *WEB_FRAMEWORKS},
}
WALL_CLOCK = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"), ("time", "time")}
CLOCK_MODULES = {
    "engine/clock.py",  # the one clock
    "engine/spiff.py",  # redirects SpiffWorkflow's own datetime.now to the host's time
}


@dataclass(frozen=True)
class Import:
    module: str
    line: int


def module_name(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files(package: str | None = None) -> Iterator[Path]:
    roots = [SRC / package] if package else [SRC / layer for layer in LAYERS]
    for root in roots:
        yield from sorted(root.rglob("*.py"))


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(child) for stmt in node.body for child in ast.walk(stmt)}
    return skipped


def imports_of(path: Path, root: Path = SRC) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    own = module_name(path, root)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append(Import(target, node.lineno))
            found += [Import(f"{target}.{alias.name}", node.lineno) for alias in node.names]
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_import_neither_higher_layers_nor_web_frameworks(package):
    offenders = [
        f"{path.relative_to(SRC)}:{imp.line} imports {imp.module}"
        for path in source_files(package)
        for imp in imports_of(path)
        if imp.module.split(".")[0] in FORBIDDEN[package]
    ]
    assert offenders == []


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_dynamic_imports_below_web(package):
    offenders = []
    for path in source_files(package):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in ("__import__", "importlib.import_module", "import_module", "importlib.__import__"):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {name}")
    assert offenders == []


def test_only_the_clock_module_reads_the_wall_clock():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = str(path.relative_to(SRC))
        if relative in CLOCK_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = ast.unparse(node.func.value).split(".")[-1]
                if (owner, node.func.attr) in WALL_CLOCK:
                    offenders.append(f"{relative}:{node.lineno} {ast.unparse(node.func)}()")
    assert offenders == []


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in source_files()}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for imp in imports_of(path):
            target = imp.module
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(f"{target}."):
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_are_no_import_cycles_not_even_through_function_level_imports():
    assert cycles(import_graph()) == []


def test_the_checks_see_relative_framework_and_guarded_imports(tmp_path):
    (tmp_path / "tasks" / "inbox").mkdir(parents=True)
    probe = tmp_path / "tasks" / "inbox" / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\n"
        "from ...web import app\n"
        "from flask_smorest import abort\n"
        "def late():\n    from werkzeug.exceptions import NotFound\n"
        "if TYPE_CHECKING:\n    from web.auth import current_actor\n"
    )
    roots = {imp.module.split(".")[0] for imp in imports_of(probe, tmp_path)}
    assert {"web", "flask_smorest", "werkzeug"} <= roots
    assert not any(imp.module.startswith("web.auth") for imp in imports_of(probe, tmp_path))
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
