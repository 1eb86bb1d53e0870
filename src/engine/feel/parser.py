"""Text to syntax tree, with caps, hints for other tools' syntax, and a cache.

The LALR parser calls ``_Build`` on every reduction, so the tree is built bottom-up without
recursion and a too-deep expression is refused while it is being read.  Old Python expressions
(``==``, ``True``, ``days=3``), JUEL (``${x}``) and the like are refused with a Danish hint
showing the FEEL form.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from engine.feel import nodes as n
from engine.feel.errors import FeelError, FeelLimitError, FeelSyntaxError
from engine.feel.grammar import GRAMMAR
from engine.feel.values import MAX_DEPTH, MAX_EXPRESSION_CHARS, check_number


class _Build(Transformer):
    """LALR callbacks: one node per reduction."""

    def __default__(self, data: Any, children: Any, meta: Any) -> Any:
        # lark's helper rules for repetitions ("__x_star_0") are inlined into their parent
        return Tree(data, children, meta)

    @staticmethod
    def _deep(node: n.Node) -> n.Node:
        if node.depth > MAX_DEPTH:
            raise FeelLimitError(f"Udtrykket er for dybt indlejret (højst {MAX_DEPTH} niveauer)")
        return node

    def number(self, c: list[Token]) -> n.Node:
        text = str(c[0])
        return n.Literal(check_number(float(text) if "." in text else int(text)))

    def string(self, c: list[Token]) -> n.Node:
        return n.Literal(unquote(str(c[0])))

    def true(self, c: list[Any]) -> n.Node:
        return n.Literal(True)

    def false(self, c: list[Any]) -> n.Node:
        return n.Literal(False)

    def null(self, c: list[Any]) -> n.Node:
        return n.Literal(None)

    def name(self, c: list[Token]) -> n.Node:
        return n.Name(str(c[0]))

    def path(self, c: list[Any]) -> n.Node:
        return self._deep(n.Path(c[0], str(c[1])))

    def not_(self, c: list[Any]) -> n.Node:
        return self._deep(n.Not(c[0]))

    def neg(self, c: list[Any]) -> n.Node:
        if isinstance(c[0], n.Literal) and isinstance(c[0].value, int | float) and not isinstance(c[0].value, bool):
            return n.Literal(-c[0].value)
        return self._deep(n.Negate(c[0]))

    def _binary(op: str) -> Any:  # type: ignore[misc]  # noqa: N805 - a factory used in the class body
        def build(self: _Build, c: list[Any]) -> n.Node:
            return self._deep(n.Binary(op, c[0], c[1]))

        return build

    add, sub, mul, div = _binary("+"), _binary("-"), _binary("*"), _binary("/")
    and_, or_ = _binary("and"), _binary("or")

    def compare(self, c: list[Any]) -> n.Node:
        return self._deep(n.Binary(str(c[1]), c[0], c[2]))

    def between(self, c: list[Any]) -> n.Node:
        return self._deep(n.Between(c[0], c[1], c[2]))

    def in_(self, c: list[Any]) -> n.Node:
        return self._deep(n.In(c[0], c[1]))

    def if_(self, c: list[Any]) -> n.Node:
        return self._deep(n.If(c[0], c[1], c[2]))

    def call(self, c: list[Any]) -> n.Node:
        function = " ".join(str(c[0]).split())
        args, names = c[1] if c[1] is not None else ((), ())
        return self._deep(n.Call(function, args, names))

    def positional(self, c: list[Any]) -> tuple[tuple[n.Node, ...], tuple[str, ...]]:
        return tuple(c), ()

    def named(self, c: list[Any]) -> tuple[tuple[n.Node, ...], tuple[str, ...]]:
        return tuple(c[1::2]), tuple(str(t) for t in c[0::2])

    def list_(self, c: list[Any]) -> n.Node:
        return self._deep(n.ListNode(tuple(x for x in c if x is not None)))

    def _range(low_closed: bool, high_closed: bool) -> Any:  # type: ignore[misc]  # noqa: N805
        def build(self: _Build, c: list[Any]) -> n.Node:
            return self._deep(n.RangeNode(c[0], c[1], low_closed, high_closed))

        return build

    range_cc, range_co = _range(True, True), _range(True, False)
    range_oc, range_oo = _range(False, True), _range(False, False)

    def entry(self, c: list[Any]) -> tuple[str, n.Node]:
        key = str(c[0])
        return (unquote(key) if key.startswith('"') else key), c[1]

    def context(self, c: list[Any]) -> n.Node:
        entries = tuple(x for x in c if x is not None)
        keys = [k for k, _ in entries]
        if len(set(keys)) != len(keys):
            raise FeelSyntaxError("En kontekst har den samme nøgle to gange")
        return self._deep(n.ContextNode(entries))

    def compare_test(self, c: list[Any]) -> n.Node:
        return self._deep(n.UnaryTest(str(c[0]), c[1]))

    def equal_test(self, c: list[Any]) -> n.Node:
        return self._deep(n.UnaryTest("=", c[0]))

    def unary_tests(self, c: list[Any]) -> tuple[n.Node, ...]:
        return tuple(c)


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "/": "/"}


def unquote(token: str) -> str:
    """The text of a FEEL string literal (``"..."`` with \\" \\\\ \\n \\t \\uXXXX escapes)."""
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1] if i + 1 < len(body) else ""
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2 : i + 6]):
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        else:
            raise FeelSyntaxError(f"Ukendt escape-sekvens '\\{nxt}' i tekst")
    return "".join(out)


_PARSER = Lark(GRAMMAR, start=["expression", "unary_tests"], parser="lalr", transformer=_Build())


def _parse(text: str, start: str) -> Any:
    if len(text) > MAX_EXPRESSION_CHARS:
        raise FeelLimitError(f"Udtrykket er for langt ({len(text)} tegn, højst {MAX_EXPRESSION_CHARS})")
    if not text.strip():
        raise FeelSyntaxError("Udtrykket er tomt")
    try:
        return _PARSER.parse(text, start=start)
    except VisitError as exc:
        if isinstance(exc.orig_exc, FeelError):
            raise exc.orig_exc from None
        raise
    except UnexpectedInput as exc:
        raise FeelSyntaxError(_syntax_message(text, exc)) from None


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> n.Node:
    """The tree of one expression; a leading ``=`` (Camunda 8's FEEL marker) is accepted."""
    stripped = text.strip()
    if stripped.startswith("=") and not stripped.startswith("=="):
        stripped = stripped[1:]
    return _parse(stripped, "expression")


@lru_cache(maxsize=4096)
def parse_unary_tests(text: str) -> tuple[tuple[n.Node, ...], bool] | None:
    """A decision-table input cell: None for ``-`` (any value), else (tests, negated)."""
    stripped = text.strip()
    if stripped in ("", "-"):
        return None
    negated = False
    if stripped.startswith("not(") and stripped.endswith(")") and _closes_at_end(stripped[3:]):
        negated, stripped = True, stripped[4:-1]
    return _parse(stripped, "unary_tests"), negated


def _closes_at_end(text: str) -> bool:
    """True when the '(' at text[0] is closed by the last character (strings skipped)."""
    depth, in_string, escaped = 0, False, False
    for i, ch in enumerate(text):
        if in_string:
            escaped, in_string = (not escaped and ch == "\\"), in_string and (escaped or ch != '"')
            continue
        if ch == '"':
            in_string = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


# ---- messages for text that is not FEEL -------------------------------------------------------

_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"[$#]\{"),
        'Udtryk som ${...} (JUEL/Camunda 7) understøttes ikke; skriv FEEL direkte, fx udfald = "afslag"',
    ),
    (re.compile(r"=="), 'Sammenligning skrives med ét = i FEEL (ikke ==), fx udfald = "afslag"'),
    (re.compile(r"\b(True|False|None)\b"), "Skriv true, false og null med små bogstaver (FEEL)"),
    (re.compile(r"(?<![\w\"])'"), 'Tekst skrives i dobbelte anførselstegn i FEEL, fx "afslag"'),
    (re.compile(r"\bnot\s+(?!\()"), "not skrives som en funktion i FEEL: not(x)"),
    (re.compile(r"\*\*"), "Potens (**) findes ikke i Sagsflows FEEL"),
    (re.compile(r"&&|\|\|"), "Og/eller skrives and og or i FEEL (ikke && og ||), fx a and b"),
    (re.compile(r"!(?!=)"), "Negation skrives som en funktion i FEEL: not(x), ikke !x"),
    (re.compile(r"\S\s+if\s+.+\s+else\b"), "Betingede udtryk skrives if betingelse then a else b"),
    (
        re.compile(r"\b(lambda|import|def|for|while|class|some|every|function)\b"),
        "Løkker, funktionsdefinitioner og Python-kode understøttes ikke i udtryk",
    ),
    (re.compile(r"\bf\""), "f-strenge findes ikke i FEEL; brug string() og +"),
    (
        re.compile(r"\w\s*=\s*[^=]"),
        "Navngivne argumenter skrives navn: værdi i FEEL, fx deadline(start: received_on, days: 14)",
    ),
)


def hints(text: str) -> list[str]:
    """Why ``text`` looks like another language, in Danish (strings are ignored)."""
    outside = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)
    return [hint for pattern, hint in _HINTS if pattern.search(outside)]


def _syntax_message(text: str, exc: UnexpectedInput) -> str:
    column = getattr(exc, "column", None)
    where = f" ved tegn {column}" if isinstance(column, int) and column > 0 else ""
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        what = "udtrykket slutter for tidligt"
    elif isinstance(exc, UnexpectedCharacters):
        char = text[exc.pos_in_stream] if exc.pos_in_stream is not None else "?"
        what = f"tegnet '{char}' kan ikke bruges her"
    elif isinstance(exc, UnexpectedToken):
        what = f"'{exc.token}' kan ikke stå her"
    else:  # pragma: no cover
        what = "ugyldig syntaks"
    found = hints(text)
    extra = "".join(f" {hint}." for hint in found[:2])
    return f"Udtrykket kan ikke læses som FEEL{where}: {what}.{extra}"
