"""What diagram expressions and scripts may use, and the guard around them.

A deployed diagram is data from a user, not code from a developer (architecture.md, Safety).
SpiffWorkflow evaluates conditions, timers and scripts with plain eval/exec and full builtins
(spiffworkflow-notes §6).  This environment gives them a small whitelist of builtins and the
calendar functions, and refuses code that imports, or reaches for dunder/private attributes,
which is how every known escape from an eval sandbox starts.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Mapping
from functools import lru_cache
from types import ModuleType
from typing import Any

from SpiffWorkflow.bpmn.script_engine import TaskDataEnvironment

from engine import calendar
from engine.script_worker import CALL_EVAL, CALL_EXEC, ScriptWorker

SAFE_BUILTINS = {
    name: getattr(builtins, name)
    for name in (
        "abs all any bool dict enumerate filter float int isinstance len list map max min "
        "range reversed round set sorted str sum tuple zip True False None"
    ).split()
}


class UnsafeExpression(ValueError):
    """An expression or script uses something diagrams may not use."""


MAX_RANGE = 100_000


def _bounded_range(*args: int) -> range:
    """range() that refuses sizes which would keep a command busy for long."""
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise UnsafeExpression(f"range med {len(result)} elementer er for stor (højst {MAX_RANGE})")
    return result


SAFE_BUILTINS["range"] = _bounded_range


def default_functions() -> dict[str, Callable[..., Any]]:
    """Functions available by name in every expression: the Danish working-day calendar."""
    return {
        "deadline": calendar.deadline,
        "deadline_date": calendar.deadline_date,
        "add_working_days": lambda start, n: calendar.add_working_days(calendar.to_date(start), n).isoformat(),
        "timer_at_end_of_day": calendar.timer_at_end_of_day,
        "add_period": calendar.add_period_text,
    }


@lru_cache(maxsize=4096)
def check_source(source: str, mode: str) -> None:
    """Raise UnsafeExpression if ``source`` imports or touches names starting with '_'."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise UnsafeExpression(f"Syntaksfejl: {exc.msg}") from exc
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            raise UnsafeExpression("import er ikke tilladt i diagrammer")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise UnsafeExpression(f"attributten '{node.attr}' er ikke tilladt")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise UnsafeExpression(f"navnet '{node.id}' er ikke tilladt")
        if isinstance(node, ast.While):
            raise UnsafeExpression("while-løkker er ikke tilladt i diagrammer (de kan køre for evigt)")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            raise UnsafeExpression("potens (**) er ikke tilladt i diagrammer")
        if _is_loop(node) and any(_is_loop(inner) for inner in ast.walk(node) if inner is not node):
            raise UnsafeExpression("indlejrede løkker er ikke tilladt i diagrammer (de kan køre meget længe)")
        if isinstance(node, ast.comprehension | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            if not isinstance(node, ast.comprehension) and len(node.generators) > 1:
                raise UnsafeExpression("indlejrede løkker er ikke tilladt i diagrammer (de kan køre meget længe)")
        if isinstance(node, ast.Global | ast.Nonlocal | ast.Lambda | ast.AsyncFunctionDef | ast.ClassDef):
            raise UnsafeExpression(f"{type(node).__name__} er ikke tilladt i diagrammer")


_TRIVIAL_NODES = (
    ast.Expression,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Compare,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.Is,
    ast.IsNot,
)


@lru_cache(maxsize=4096)
def is_trivial(expression: str) -> bool:
    """Names, constants, comparisons and and/or/not only: constant time, no calls, no allocation.

    Most gateway conditions and timer fields are like this (``udfald == "afslag"``,
    ``sagsbehandlingsfrist_varsel``); they run in-process.  Anything with a call, an operator,
    a subscript or a comprehension goes to the limited worker."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return False
    return all(isinstance(node, _TRIVIAL_NODES) for node in ast.walk(tree))


def _is_loop(node: ast.AST) -> bool:
    return isinstance(node, ast.For | ast.AsyncFor | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp)


class SandboxedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment with whitelisted builtins, source checks and clean task data.

    With a ``worker`` (the default in the service), the code runs in ``engine.script_worker``'s
    child process under CPU, memory and wall-time limits; without one it runs in-process (the
    benchmark's raw comparison, and hosts that pass their own functions)."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], worker: ScriptWorker | None = None) -> None:
        super().__init__({"__builtins__": SAFE_BUILTINS, **functions})
        self._worker = worker

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        check_source(expression.strip(), "eval")
        if self._worker is not None and not is_trivial(expression):
            return self._worker.call(CALL_EVAL, expression.strip(), dict(context), external_context)[0]
        return super().evaluate(expression.strip(), context, external_context)

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        check_source(script, "exec")
        if self._worker is not None:
            self.check_for_overwrite(context, external_context or {})
            _, changed = self._worker.call(CALL_EXEC, script, dict(context), external_context)
            context.clear()
            context.update(changed)
            return True
        try:
            return super().execute(script, context, external_context)
        finally:
            # exec uses task data as globals: drop what would not serialize (notes §9.2, §9.4).
            context.pop("__warningregistry__", None)
            for key in [k for k, v in context.items() if isinstance(v, ModuleType)]:
                context.pop(key)
