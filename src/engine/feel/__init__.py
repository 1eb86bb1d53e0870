"""Sagsflow's FEEL: the one expression language of diagrams and decision tables.

A diagram or a table is data from a process owner, never code (architecture.md, Safety).  This
package reads a subset of FEEL (the BPMN/DMN standard's expression language) with its own
parser (lark) and evaluates it with its own evaluator: no Python ``eval``/``exec``/``compile``
touches a diagram's text, names are looked up in task data only, ``a.b`` reads dict keys only,
and there are no loops, so evaluation is linear in the expression's size and every value it
builds is capped.

The entry points, each cached per text:
- ``expression(text)``: one expression (a condition, a timer, a due property, a DMN cell);
- ``unary_tests(text)``: a decision table's input cell (``-``, ``< 5``, ``[1..5]``, ``"a","b"``);
- ``script(text)``: a script task's assignments;
- ``check_expression`` / ``check_script`` / ``check_unary_tests``: deploy-time problems in Danish.

Modules: grammar (the syntax), parser (text to tree, caps, hints), nodes (the tree), checks
(static types and names), evaluator (tree to closures), operators, builtins (standard
functions), danish_calendar (deadline, add_working_days, ...), values (value kinds and caps),
scripts (assignment lines), spiff_engine (the SpiffWorkflow adapter).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from engine.feel import nodes as n
from engine.feel.checks import (
    CONDITION,
    DMN_INPUT,
    DMN_OUTPUT,
    DMN_TEST,
    DUE,
    SCRIPT,
    TIME_CYCLE,
    TIME_DATE,
    TIME_DURATION,
    VALUE,
    Place,
    check_tree,
)
from engine.feel.errors import FeelError, FeelLimitError, FeelSyntaxError, FeelTypeError
from engine.feel.evaluator import Compiled, Scope, compile_node, run_guarded
from engine.feel.parser import hints, parse_expression, parse_unary_tests
from engine.feel.scripts import Line, line_error, split_script
from engine.feel.values import Duration, Range, to_data

Data = Mapping[str, Any] | None


@dataclass(frozen=True)
class Expression:
    source: str
    tree: n.Node
    run: Compiled

    def evaluate(self, *data: Data) -> Any:
        """The value (a FEEL value: may be a Duration) with names looked up in ``data``, in order."""
        return run_guarded(self.run, Scope(*data))


@lru_cache(maxsize=4096)
def expression(text: str) -> Expression:
    tree = parse_expression(text)
    return Expression(text, tree, compile_node(tree))


@dataclass(frozen=True)
class UnaryTests:
    source: str
    tests: tuple[Compiled, ...]
    negated: bool

    def matches(self, value: Any, *data: Data) -> bool:
        scope = Scope({"?": value}, *data)
        hit = any(run_guarded(test, scope) is True for test in self.tests)
        return not hit if self.negated else hit


@lru_cache(maxsize=4096)
def unary_tests(text: str) -> UnaryTests | None:
    """None for ``-`` (any value)."""
    parsed = parse_unary_tests(text)
    if parsed is None:
        return None
    tests, negated = parsed
    return UnaryTests(text, tuple(compile_node(t) for t in tests), negated)


@dataclass(frozen=True)
class Script:
    source: str
    lines: tuple[tuple[Line, Expression], ...]

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(line.target for line, _ in self.lines)

    def run(self, *data: Data) -> dict[str, Any]:
        """The assigned values, as task data (later lines see earlier results)."""
        results: dict[str, Any] = {}
        for line, compiled in self.lines:
            try:
                results[line.target] = to_data(compiled.evaluate(results, *data))
            except FeelError as exc:
                raise line_error(line, exc) from None
        return results


@lru_cache(maxsize=1024)
def script(text: str) -> Script:
    compiled = []
    for line in split_script(text):
        try:
            compiled.append((line, expression(line.source)))
        except FeelError as exc:
            raise line_error(line, exc) from None
    return Script(text, tuple(compiled))


def check_expression(text: str, place: Place, known_names: frozenset[str] | None = None) -> list[str]:
    """Danish problems with ``text`` as FEEL in ``place`` ([] when it is fine)."""
    try:
        tree = expression(text).tree
    except FeelError as exc:
        return [str(exc)]
    return check_tree(tree, place, known_names)[0]


def check_unary_tests(text: str) -> list[str]:
    try:
        parsed = parse_unary_tests(text)
        unary_tests(text)
    except FeelError as exc:
        return [str(exc)]
    problems: list[str] = []
    for test in parsed[0] if parsed else ():
        problems += check_tree(test, DMN_TEST, None)[0]
    return problems


def check_script(text: str, known_names: frozenset[str] | None = None) -> list[str]:
    """Problems of a script; names it assigns count as known for its later lines (and elsewhere)."""
    try:
        compiled = script(text)
    except FeelError as exc:
        return [str(exc)]
    problems = []
    known = None if known_names is None else known_names | set(compiled.targets)
    for line, expr in compiled.lines:
        for problem in check_tree(expr.tree, SCRIPT, known)[0]:
            problems.append(f"Linje {line.number} ({line.target} = ...): {problem}")
    return problems


def script_targets(text: str) -> tuple[str, ...]:
    """The names a script assigns ((), when it cannot be read)."""
    try:
        return script(text).targets
    except FeelError:
        return ()


def string_literal(text: str) -> str:
    """The text of a cell that must be one FEEL string literal (``"8 uger"``)."""
    tree = expression(text).tree
    if not isinstance(tree, n.Literal) or not isinstance(tree.value, str):
        raise FeelTypeError(f'forventet en tekst i anførselstegn, fx "8 uger", ikke {text.strip() or "(tom)"}')
    return tree.value


def literal_value(text: str) -> tuple[bool, Any]:
    """(True, value) when ``text`` is a constant (a literal, or a negative number), else (False, None)."""
    try:
        tree = expression(text).tree
    except FeelError:
        return False, None
    return (True, tree.value) if isinstance(tree, n.Literal) else (False, None)


__all__ = [
    "CONDITION",
    "DMN_INPUT",
    "DMN_OUTPUT",
    "DMN_TEST",
    "DUE",
    "Duration",
    "Expression",
    "FeelError",
    "FeelLimitError",
    "FeelSyntaxError",
    "FeelTypeError",
    "Place",
    "Range",
    "SCRIPT",
    "Script",
    "TIME_CYCLE",
    "TIME_DATE",
    "TIME_DURATION",
    "UnaryTests",
    "VALUE",
    "check_expression",
    "check_script",
    "check_unary_tests",
    "expression",
    "hints",
    "literal_value",
    "script",
    "script_targets",
    "string_literal",
    "to_data",
    "unary_tests",
]
