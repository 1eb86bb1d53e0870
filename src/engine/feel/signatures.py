"""How a function is declared: its parameters (with FEEL names), their types, and what it returns.

The static checker and the evaluator read the same declarations, so a call that passes the
deploy check binds the same way at run time.  A function may have overloads (``date(from)`` and
``date(year, month, day)``); the first whose arity or names fit is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Static types (tags); ANY means "not known before run time" (e.g. a data name).
BOOLEAN, NUMBER, STRING, DATE, DATETIME, DURATION = "boolean", "number", "string", "date", "datetime", "duration"
LIST, CONTEXT, NULL, RANGE, ANY = "list", "context", "null", "range", "any"
Types = frozenset[str]
T_ANY: Types = frozenset({ANY})
T_BOOLEAN: Types = frozenset({BOOLEAN})
T_NUMBER: Types = frozenset({NUMBER})
T_STRING: Types = frozenset({STRING})
T_DATE: Types = frozenset({DATE})
T_DATETIME: Types = frozenset({DATETIME})
T_DURATION: Types = frozenset({DURATION})
T_LIST: Types = frozenset({LIST})
T_DATELIKE: Types = frozenset({DATE, DATETIME, STRING})

TYPE_NAMES_DA = {
    BOOLEAN: "sand/falsk",
    NUMBER: "tal",
    STRING: "tekst",
    DATE: "dato",
    DATETIME: "dato og tid",
    DURATION: "varighed",
    LIST: "liste",
    CONTEXT: "kontekst",
    NULL: "null",
    RANGE: "interval",
    ANY: "ukendt",
}


def describe(types: Types) -> str:
    return " eller ".join(TYPE_NAMES_DA[t] for t in sorted(types))


@dataclass(frozen=True)
class Param:
    name: str
    types: Types = T_ANY
    required: bool = True


@dataclass(frozen=True)
class Function:
    """A built-in.  ``impl`` is called with the bound arguments as Python keyword arguments.

    ``nulls``: "propagate" answers null when a required argument is null (FEEL's rule);
    "refuse" raises (the calendar functions: a frist must never silently vanish).
    """

    name: str
    overloads: tuple[tuple[Param, ...], ...]
    returns: Types
    impl: Callable[..., Any]
    nulls: str = "propagate"
    variadic: bool = False  # min(1, 2, 3) as well as min([1, 2, 3])
    example: str = ""

    def bind(self, count: int, names: tuple[str, ...]) -> tuple[Param, ...] | None:
        """The overload that fits ``count`` positional arguments, or these ``names``."""
        for params in self.overloads:
            if names:
                known = {p.name for p in params}
                required = {p.name for p in params if p.required}
                if set(names) <= known and required <= set(names):
                    return params
            elif sum(p.required for p in params) <= count <= len(params):
                return params
        return None

    def usage(self) -> str:
        forms = [f"{self.name}({', '.join(p.name for p in params)})" for params in self.overloads]
        return " eller ".join(forms)
