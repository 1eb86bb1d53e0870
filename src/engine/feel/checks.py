"""Deploy-time checks: unknown functions and names, wrong argument forms, wrong types for a place.

Types are inferred statically where they are certain (literals, operators, functions' declared
results); a data name's type is unknown until run time and passes.  A place (a gateway
condition, a timer, a due property, ...) says which result types it accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.feel import nodes as n
from engine.feel.evaluator import ALL_FUNCTIONS
from engine.feel.signatures import (
    ANY,
    CONTEXT,
    DATE,
    DATETIME,
    DURATION,
    LIST,
    NULL,
    NUMBER,
    RANGE,
    STRING,
    T_ANY,
    T_BOOLEAN,
    Types,
    describe,
)
from engine.feel.values import Duration, is_number


@dataclass(frozen=True)
class Place:
    """Where an expression stands, what it must give, and an example of the expected FEEL form."""

    what: str  # Danish, e.g. "Betingelsen"
    accepts: Types
    example: str


CONDITION = Place("Betingelsen", T_BOOLEAN, 'udfald = "afslag"')
TIME_DATE = Place("Timerens tidspunkt", frozenset({DATE, DATETIME, STRING}), "deadline(start: received_on, days: 14)")
TIME_DURATION = Place("Timerens varighed", frozenset({DURATION, STRING}), 'duration("P3D")')
TIME_CYCLE = Place("Timerens cyklus", frozenset({STRING}), '"R3/P1D"')
DUE = Place("Fristen (due)", frozenset({DATE, DATETIME, STRING}), "deadline(start: received_on, weeks: 4)")
VALUE = Place("Udtrykket", T_ANY, 'udfald = "afslag"')
SCRIPT = Place("Scriptet", T_ANY, 'naeste_opfoelgning = add_period(startdato, "3 måneder")')
DMN_INPUT = Place("Inputudtrykket", T_ANY, "ydelse")
DMN_OUTPUT = Place("Resultatet", T_ANY, '"8 uger"')
DMN_TEST = Place("Betingelsen", T_ANY, '"SEL § 85", < 5, [1..5] eller -')

_PYTHON_CONSTANTS = {"True": "true", "False": "false", "None": "null"}


def _literal_type(value: object) -> Types:
    if value is None:
        return frozenset({NULL})
    if isinstance(value, bool):
        return T_BOOLEAN
    if is_number(value):
        return frozenset({NUMBER})
    if isinstance(value, Duration):
        return frozenset({DURATION})
    return frozenset({STRING})


def _arith(op: str, left: Types, right: Types) -> Types | None:
    """Result types of ``left op right``; None when no combination of the operands works."""
    if ANY in left or ANY in right:
        return T_ANY
    results: set[str] = set()
    for a in left | {NULL}:
        for b in right | {NULL}:
            if NULL in (a, b):
                continue
            if a == b == NUMBER:
                results.add(NUMBER)
            elif op == "+" and a == b == STRING:
                results.add(STRING)
            elif op in "+-" and a == b == DURATION:
                results.add(DURATION)
            elif op in "+-" and a in (DATE, DATETIME) and b == DURATION:
                results.add(a)
            elif op == "+" and a == DURATION and b in (DATE, DATETIME):
                results.add(b)
            elif op == "-" and a == b and a in (DATE, DATETIME):
                results.add(DURATION)
            elif op == "*" and a == DURATION and b == NUMBER:
                results.add(DURATION)
    if not results and (left <= {NULL} or right <= {NULL}):
        return frozenset({NULL})
    return frozenset(results) if results else None


class Checker:
    """Walks one tree; collects Danish problems and the names it reads."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.names: set[str] = set()

    def infer(self, node: n.Node) -> Types:
        method = getattr(self, f"_{type(node).__name__}")
        return method(node)

    def _Literal(self, node: n.Literal) -> Types:  # noqa: N802 - dispatch on the class name
        return _literal_type(node.value)

    def _Name(self, node: n.Name) -> Types:  # noqa: N802
        if node.name in _PYTHON_CONSTANTS:
            self.problems.append(f"Skriv {_PYTHON_CONSTANTS[node.name]} med små bogstaver (FEEL), ikke {node.name}")
        self.names.add(node.name)
        return T_ANY

    def _Path(self, node: n.Path) -> Types:  # noqa: N802
        base = self.infer(node.base)
        if ANY not in base and CONTEXT not in base and NULL not in base:
            self.problems.append(f"'.{node.key}' kan kun bruges på en kontekst, ikke på {describe(base)}")
        return T_ANY

    def _ListNode(self, node: n.ListNode) -> Types:  # noqa: N802
        for item in node.items:
            self.infer(item)
        return frozenset({LIST})

    def _ContextNode(self, node: n.ContextNode) -> Types:  # noqa: N802
        for _, value in node.entries:
            self.infer(value)
        return frozenset({CONTEXT})

    def _RangeNode(self, node: n.RangeNode) -> Types:  # noqa: N802
        self.infer(node.low)
        self.infer(node.high)
        return frozenset({RANGE})

    def _Negate(self, node: n.Negate) -> Types:  # noqa: N802
        operand = self.infer(node.operand)
        return self._expect(operand, frozenset({NUMBER, DURATION}), "minus") or operand

    def _Not(self, node: n.Not) -> Types:  # noqa: N802
        self._expect(self.infer(node.operand), T_BOOLEAN, "not()")
        return T_BOOLEAN

    def _Binary(self, node: n.Binary) -> Types:  # noqa: N802
        left, right = self.infer(node.left), self.infer(node.right)
        if node.op in ("and", "or"):
            self._expect(left, T_BOOLEAN, node.op)
            self._expect(right, T_BOOLEAN, node.op)
            return T_BOOLEAN
        if node.op in n.COMPARISONS:
            if node.op not in ("=", "!=") and ANY not in left and ANY not in right:
                ordered = {NUMBER, STRING, DATE, DATETIME, DURATION}
                if not (left & right & ordered) and not (left <= {NULL} or right <= {NULL}):
                    self.problems.append(f"Kan ikke sammenligne {describe(left)} med {describe(right)} ({node.op})")
            return T_BOOLEAN
        result = _arith(node.op, left, right)
        if result is None:
            self.problems.append(f"Kan ikke bruge {node.op} på {describe(left)} og {describe(right)}")
            return T_ANY
        return result

    def _If(self, node: n.If) -> Types:  # noqa: N802
        self._expect(self.infer(node.condition), T_BOOLEAN, "if")
        return self.infer(node.then) | self.infer(node.otherwise)

    def _Between(self, node: n.Between) -> Types:  # noqa: N802
        for child in node.children():
            self.infer(child)
        return T_BOOLEAN

    def _In(self, node: n.In) -> Types:  # noqa: N802
        self.infer(node.value)
        self.infer(node.target)
        return T_BOOLEAN

    def _UnaryTest(self, node: n.UnaryTest) -> Types:  # noqa: N802
        self.infer(node.operand)
        return T_BOOLEAN

    def _Call(self, node: n.Call) -> Types:  # noqa: N802
        arg_types = [self.infer(a) for a in node.args]
        function = ALL_FUNCTIONS.get(node.function)
        if function is None:
            known = ", ".join(sorted(ALL_FUNCTIONS))
            self.problems.append(f"Ukendt funktion '{node.function}' (kendte funktioner: {known})")
            return T_ANY
        params = function.bind(len(node.args), node.names)
        if params is None and not (function.variadic and not node.names and node.args):
            unknown = sorted(set(node.names) - {p.name for ps in function.overloads for p in ps})
            detail = f": ukendt parameter {', '.join(unknown)}" if unknown else ""
            self.problems.append(
                f"{node.function}() kaldes forkert{detail}; brug {function.usage()}, fx {function.example}"
            )
            return function.returns
        params = params or function.overloads[0]
        all_params = {p.name for ps in function.overloads for p in ps}
        misnamed = set()
        for index, arg in enumerate(node.args if not node.names else ()):
            if isinstance(arg, n.Binary) and arg.op == "=" and isinstance(arg.left, n.Name):
                if arg.left.name in all_params:
                    misnamed.add(index)
                    self.problems.append(
                        f"Navngivne argumenter skrives navn: værdi i FEEL ({arg.left.name}: ..., ikke "
                        f"{arg.left.name}=...), fx {function.example}"
                    )
        names = node.names or tuple(p.name for p in params)
        by_name = {p.name: p for p in params}
        for index, (name, types) in enumerate(zip(names, arg_types, strict=False)):
            param = by_name.get(name)
            if param is not None and ANY not in param.types and index not in misnamed:
                self._expect(types, param.types, f"{node.function}() parameteren {name}")
        return function.returns

    def _expect(self, actual: Types, wanted: Types, where: str) -> Types | None:
        if ANY in actual or actual & wanted or actual <= {NULL}:
            return None
        self.problems.append(f"{where} kræver {describe(wanted)}, men får {describe(actual)}")
        return wanted


def check_tree(node: n.Node, place: Place, known_names: frozenset[str] | None) -> tuple[list[str], set[str]]:
    """Problems with ``node`` in ``place`` (Danish), and the data names it reads."""
    checker = Checker()
    result = checker.infer(node)
    if ANY not in result and place.accepts != T_ANY:
        if result <= {NULL}:
            checker.problems.append(f"{place.what} giver altid null; forventet {describe(place.accepts)}")
        elif not result & place.accepts:
            checker.problems.append(f"{place.what} skal give {describe(place.accepts)}, men giver {describe(result)}")
    if known_names is not None:
        for name in sorted(checker.names - known_names - set(_PYTHON_CONSTANTS)):
            checker.problems.append(
                f"Ukendt navn '{name}': det er hverken procesdata, et formularfelt eller sat af et script"
            )
    return checker.problems, checker.names
