"""Evaluate a syntax tree: each node is compiled once into a Python closure.

No Python ``eval``/``exec``/``compile`` anywhere: a closure per node, built from the tree the
parser made.  Names are looked up in plain dicts (task data, then external data); ``a.b`` reads a
key of a dict and nothing else, so no attribute of any Python object is ever reachable.  Work is
linear in the expression's size: there are no loops, and every function is bounded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from engine.feel import nodes as n
from engine.feel.builtins import FUNCTIONS, in_range
from engine.feel.danish_calendar import CALENDAR_FUNCTIONS
from engine.feel.errors import FeelError, FeelSyntaxError, FeelTypeError
from engine.feel.operators import arithmetic, compare, conjunction, disjunction, negate, truth
from engine.feel.signatures import Function
from engine.feel.values import Range, check_items, type_name

ALL_FUNCTIONS: dict[str, Function] = {**FUNCTIONS, **CALENDAR_FUNCTIONS}
_MISSING = object()


class Scope:
    """Where names are looked up: local results first (script lines), then the given mappings."""

    __slots__ = ("layers",)

    def __init__(self, *layers: Mapping[str, Any] | None) -> None:
        self.layers = tuple(layer for layer in layers if layer)

    def get(self, name: str) -> Any:
        for layer in self.layers:
            value = layer.get(name, _MISSING)
            if value is not _MISSING:
                return value
        return None

    def has(self, name: str) -> bool:
        return any(name in layer for layer in self.layers)


Compiled = Callable[[Scope], Any]


def compile_node(node: n.Node) -> Compiled:
    builder = _BUILDERS.get(type(node))
    if builder is None:  # pragma: no cover - every node type has a builder
        raise FeelSyntaxError(f"Kan ikke evaluere {type(node).__name__}")
    return builder(node)


def _literal(node: n.Literal) -> Compiled:
    value = node.value
    return lambda scope: value


def _name(node: n.Name) -> Compiled:
    name = node.name
    return lambda scope: scope.get(name)


def _path(node: n.Path) -> Compiled:
    base, key = compile_node(node.base), node.key

    def run(scope: Scope) -> Any:
        value = base(scope)
        return value.get(key) if isinstance(value, dict) else None

    return run


def _list(node: n.ListNode) -> Compiled:
    items = [compile_node(i) for i in node.items]
    return lambda scope: check_items([item(scope) for item in items])


def _context(node: n.ContextNode) -> Compiled:
    entries = [(key, compile_node(value)) for key, value in node.entries]
    return lambda scope: check_items({key: value(scope) for key, value in entries})


def _range(node: n.RangeNode) -> Compiled:
    low, high = compile_node(node.low), compile_node(node.high)
    low_closed, high_closed = node.low_closed, node.high_closed
    return lambda scope: Range(low(scope), high(scope), low_closed, high_closed)


def _negate(node: n.Negate) -> Compiled:
    operand = compile_node(node.operand)
    return lambda scope: negate(operand(scope))


def _not(node: n.Not) -> Compiled:
    operand = compile_node(node.operand)

    def run(scope: Scope) -> Any:
        value = truth(operand(scope))
        return None if value is None else not value

    return run


def _binary(node: n.Binary) -> Compiled:
    left, right, op = compile_node(node.left), compile_node(node.right), node.op
    if op == "and":

        def run_and(scope: Scope) -> Any:
            first = left(scope)
            return False if first is False else conjunction(first, right(scope))

        return run_and
    if op == "or":

        def run_or(scope: Scope) -> Any:
            first = left(scope)
            return True if first is True else disjunction(first, right(scope))

        return run_or
    if op in n.COMPARISONS:
        return lambda scope: compare(op, left(scope), right(scope))
    return lambda scope: arithmetic(op, left(scope), right(scope))


def _if(node: n.If) -> Compiled:
    condition, then, otherwise = compile_node(node.condition), compile_node(node.then), compile_node(node.otherwise)
    return lambda scope: then(scope) if condition(scope) is True else otherwise(scope)


def _between(node: n.Between) -> Compiled:
    value, low, high = compile_node(node.value), compile_node(node.low), compile_node(node.high)

    def run(scope: Scope) -> Any:
        x = value(scope)
        return conjunction(compare(">=", x, low(scope)), compare("<=", x, high(scope)))

    return run


def member(value: Any, target: Any) -> bool | None:
    """``value in target``: a list holds it, a range contains it, or it equals target."""
    if isinstance(target, Range):
        return in_range(value, target)
    if isinstance(target, list):
        return any(compare("=", value, item) for item in target)
    return compare("=", value, target)


def _in(node: n.In) -> Compiled:
    value, target = compile_node(node.value), compile_node(node.target)
    return lambda scope: member(value(scope), target(scope))


def _call(node: n.Call) -> Compiled:
    function = ALL_FUNCTIONS.get(node.function)
    if function is None:
        known = ", ".join(sorted(ALL_FUNCTIONS))
        raise FeelSyntaxError(f"Ukendt funktion '{node.function}' (kendte funktioner: {known})")
    if function.name == "is defined":
        return _is_defined(node)
    params = function.bind(len(node.args), node.names)
    if params is None and function.variadic and node.args and not node.names:
        params = function.overloads[0]
    if params is None:
        unknown = sorted(set(node.names) - {p.name for ps in function.overloads for p in ps})
        detail = f": ukendt parameter {', '.join(unknown)}" if unknown else ""
        raise FeelTypeError(f"{node.function}() kaldes forkert{detail}; brug {function.usage()}, fx {function.example}")
    names = node.names or tuple(p.name for p in params)[: len(node.args)]
    args = [compile_node(a) for a in node.args]
    if function.variadic and not node.names and len(args) > len(params):
        head, rest = args[: len(params)], args[len(params) :]
        names, args = names[: len(params)], [*head, _collect(rest)]
        names = (*names, "more")
    required = {p.name for p in params if p.required}
    impl, nulls = function.impl, function.nulls

    def run(scope: Scope) -> Any:
        bound = {key: arg(scope) for key, arg in zip(names, args, strict=True)}
        if nulls == "propagate" and any(bound.get(key) is None for key in required):
            return None
        return impl(**bound)

    return run


def _is_defined(node: n.Call) -> Compiled:
    if len(node.args) != 1:
        raise FeelTypeError("is defined() tager ét argument")
    arg = node.args[0]
    if isinstance(arg, n.Name):
        name = arg.name
        return lambda scope: scope.has(name)
    if isinstance(arg, n.Path):
        base, key = compile_node(arg.base), arg.key

        def run(scope: Scope) -> bool:
            value = base(scope)
            return isinstance(value, dict) and key in value

        return run
    value = compile_node(arg)
    return lambda scope: value(scope) is not None


def _unary_test(node: n.UnaryTest) -> Compiled:
    """A cell test as a function of the input value (bound under the name '?')."""
    operand, op = compile_node(node.operand), node.op

    def run(scope: Scope) -> Any:
        expected, actual = operand(scope), scope.get("?")
        if op == "=" and isinstance(expected, Range | list):
            return member(actual, expected)
        return compare(op, actual, expected)

    return run


_BUILDERS: dict[type, Callable[[Any], Compiled]] = {
    n.Literal: _literal,
    n.Name: _name,
    n.Path: _path,
    n.ListNode: _list,
    n.ContextNode: _context,
    n.RangeNode: _range,
    n.Negate: _negate,
    n.Not: _not,
    n.Binary: _binary,
    n.If: _if,
    n.Between: _between,
    n.In: _in,
    n.Call: _call,
    n.UnaryTest: _unary_test,
}


def run_guarded(compiled: Compiled, scope: Scope) -> Any:
    """Evaluate, turning the few Python errors that deep data can cause into FeelError."""
    try:
        return compiled(scope)
    except FeelError:
        raise
    except RecursionError:
        raise FeelError("Data er for dybt indlejret til at blive sammenlignet") from None
    except (OverflowError, ValueError, TypeError, ArithmeticError) as exc:
        raise FeelError(f"Udtrykket kunne ikke beregnes ({type(exc).__name__})") from None


__all__ = ["Scope", "compile_node", "run_guarded", "member", "type_name", "ALL_FUNCTIONS"]


def _collect(parts: list[Any]) -> Any:
    """A variadic function's extra arguments, evaluated together as one list argument."""

    def evaluate(scope: Any) -> list[Any]:
        return [part(scope) for part in parts]

    return evaluate
