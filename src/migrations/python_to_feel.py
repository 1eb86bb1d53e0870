"""Translate the Python expressions of stored diagrams and tables (before migration 0005) to FEEL.

Python's ``ast.parse`` only *reads* the old text here; nothing is ever evaluated.  The subset
covered is what earlier versions could deploy in practice: names, constants, comparisons (chained
ones too), and/or/not, + - * /, conditional expressions, lists, dicts, ``x["key"]`` and calls of
the calendar functions (keyword arguments become FEEL's ``name: value``); scripts of assignments,
``+=`` and if/elif/else blocks, which become conditional assignments.  Anything else raises
``Untranslatable``; the migration then leaves that version as it was (it will refuse to run,
naming the element, rather than run Python).
"""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Callable

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
KEYWORDS = {"if", "then", "else", "and", "or", "not", "in", "between", "true", "false", "null", "for", "some", "every"}
CALENDAR = {
    "deadline": ("start", "days", "weeks", "months", "working_days", "roll_forward"),
    "deadline_date": ("start", "days", "weeks", "months", "working_days", "roll_forward"),
    "add_working_days": ("start", "n"),
    "add_period": ("start", "period"),
    "timer_at_end_of_day": ("date",),
}
RENAMED = {"str": "string", "min": "min", "max": "max", "sum": "sum"}
_NAME = re.compile(r"(?!\d)\w+")
_COMPARE = {ast.Eq: "=", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
# precedence: if 0, or 1, and 2, comparison 3, + - 4, * / 5, unary 6, atoms 7
_PLACEHOLDER = "dmn_input_7f3a"


class Untranslatable(ValueError):
    """The old text uses something the FEEL subset has no form for."""


def expression(source: str) -> str:
    """One Python expression as FEEL."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise Untranslatable(f"not Python: {source!r}") from exc
    return _emit(tree.body)[0]


def _name(name: str) -> str:
    if not _NAME.fullmatch(name) or name in KEYWORDS:
        raise Untranslatable(f"name {name!r}")
    return name


def _wrap(node: ast.AST, minimum: int) -> str:
    text, precedence = _emit(node)
    return f"({text})" if precedence < minimum else text


def _emit(node: ast.AST) -> tuple[str, int]:  # noqa: C901 - one case per node type
    if isinstance(node, ast.Constant):
        value = node.value
        if value is True or value is False:
            return ("true" if value else "false"), 7
        if value is None:
            return "null", 7
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=False), 7
        if isinstance(value, int | float):
            return repr(value), 7
        raise Untranslatable(f"constant {value!r}")
    if isinstance(node, ast.Name):
        return _name(node.id), 7
    if isinstance(node, ast.BoolOp):
        op, precedence = (" and ", 2) if isinstance(node.op, ast.And) else (" or ", 1)
        return op.join(_wrap(v, precedence + 1) for v in node.values), precedence
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            return f"not({_emit(node.operand)[0]})", 7
        if isinstance(node.op, ast.USub):
            return f"-{_wrap(node.operand, 6)}", 6
        if isinstance(node.op, ast.UAdd):
            return _emit(node.operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        precedence = 4 if isinstance(node.op, ast.Add | ast.Sub) else 5
        return f"{_wrap(node.left, precedence)} {_ARITH[type(node.op)]} {_wrap(node.right, precedence + 1)}", precedence
    if isinstance(node, ast.Compare):
        return _compare(node)
    if isinstance(node, ast.IfExp):
        return f"if {_emit(node.test)[0]} then {_emit(node.body)[0]} else {_emit(node.orelse)[0]}", 0
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return "[" + ", ".join(_emit(e)[0] for e in node.elts) + "]", 7
    if isinstance(node, ast.Dict):
        entries = []
        for key, item in zip(node.keys, node.values, strict=True):
            if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
                raise Untranslatable("dict key")
            entries.append(f"{json.dumps(key.value, ensure_ascii=False)}: {_emit(item)[0]}")
        return "{" + ", ".join(entries) + "}", 7
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return f"{_wrap(node.value, 7)}.{_name(key.value)}", 7
    if isinstance(node, ast.Call):
        return _call(node), 7
    raise Untranslatable(f"{type(node).__name__} has no FEEL form")


def _compare(node: ast.Compare) -> tuple[str, int]:
    parts, left = [], node.left
    for op, right in zip(node.ops, node.comparators, strict=True):
        if type(op) in _COMPARE:
            parts.append(f"{_wrap(left, 4)} {_COMPARE[type(op)]} {_wrap(right, 4)}")
        elif isinstance(op, ast.Is | ast.IsNot) and isinstance(right, ast.Constant) and right.value is None:
            parts.append(f"{_wrap(left, 4)} {'=' if isinstance(op, ast.Is) else '!='} null")
        elif isinstance(op, ast.In):
            parts.append(f"{_wrap(left, 4)} in {_wrap(right, 4)}")
        elif isinstance(op, ast.NotIn):
            parts.append(f"not({_wrap(left, 4)} in {_wrap(right, 4)})")
        else:
            raise Untranslatable(f"comparison {type(op).__name__}")
        left = right
    return (parts[0], 3) if len(parts) == 1 else (" and ".join(parts), 2)


def _call(node: ast.Call) -> str:
    if not isinstance(node.func, ast.Name):
        raise Untranslatable("method call")
    name = node.func.id
    args = [_emit(a)[0] for a in node.args]
    if name in CALENDAR:
        params = CALENDAR[name]
        if not node.keywords:
            return f"{name}({', '.join(args)})"
        if len(args) > len(params):
            raise Untranslatable(f"{name}: too many arguments")
        named = [f"{p}: {a}" for p, a in zip(params, args, strict=False)]
        for keyword in node.keywords:
            if keyword.arg not in params:
                raise Untranslatable(f"{name}: argument {keyword.arg}")
            named.append(f"{keyword.arg}: {_emit(keyword.value)[0]}")
        return f"{name}({', '.join(named)})"
    if name in RENAMED and not node.keywords:
        return f"{RENAMED[name]}({', '.join(args)})"
    raise Untranslatable(f"function {name}")


# ---- scripts ------------------------------------------------------------------------------------


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: dict[str, ast.expr]) -> None:
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.AST:  # noqa: N802 - ast's visitor naming
        return copy.deepcopy(self.values[node.id]) if node.id in self.values else node


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _collapse(lines: list[tuple[str, ast.expr]]) -> dict[str, ast.expr]:
    """A branch's final value per target, in terms of the values before the branch."""
    values: dict[str, ast.expr] = {}
    for target, value in lines:
        values[target] = _Substitute(dict(values)).visit(copy.deepcopy(value))
    return values


class _Block:
    def __init__(self) -> None:
        self.temporaries = 0

    def lines(self, statements: list[ast.stmt]) -> list[tuple[str, ast.expr]]:
        out: list[tuple[str, ast.expr]] = []
        for statement in statements:
            out.extend(self.statement(statement))
        return out

    def statement(self, node: ast.stmt) -> list[tuple[str, ast.expr]]:
        if isinstance(node, ast.Pass):
            return []
        names = [t.id for t in node.targets if isinstance(t, ast.Name)] if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.Assign) and len(names) == len(node.targets):
            first = names[-1]
            return [(first, node.value)] + [(name, ast.Name(first)) for name in names[:-1]]
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and type(node.op) in _ARITH:
            return [(node.target.id, ast.BinOp(ast.Name(node.target.id), node.op, node.value))]
        if isinstance(node, ast.If):
            return self.branch(node)
        raise Untranslatable(f"statement {type(node).__name__}")

    def branch(self, node: ast.If) -> list[tuple[str, ast.expr]]:
        then, otherwise = _collapse(self.lines(node.body)), _collapse(self.lines(node.orelse))
        targets = list(dict.fromkeys([*then, *otherwise]))
        out: list[tuple[str, ast.expr]] = []
        condition: ast.expr = node.test
        if len(targets) > 1 and _names(condition) & set(targets):
            self.temporaries += 1
            temporary = f"betingelse_{self.temporaries}"
            out.append((temporary, condition))
            condition = ast.Name(temporary)
        for index, target in enumerate(targets):
            values = [then.get(target, ast.Name(target)), otherwise.get(target, ast.Name(target))]
            if any(_names(v) & set(targets[:index]) for v in values):
                raise Untranslatable("a branch reads a variable the same branch changed before")
            out.append((target, ast.IfExp(condition, values[0], values[1])))
        return out


def script(source: str) -> str:
    """A Python script of assignments and if-blocks as FEEL assignment lines."""
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError as exc:
        raise Untranslatable("script is not Python") from exc
    lines = _Block().lines(tree.body)
    if not lines:
        raise Untranslatable("empty script")
    return "\n".join(f"{_name(target)} = {_emit(value)[0]}" for target, value in lines)


# ---- decision-table cells -------------------------------------------------------------------------


def unary_test(source: str) -> str:
    """An old input entry (``"a"``, ``> 5``, ``10 < ? <= 20``, ``-``) as FEEL unary tests."""
    text = source.strip()
    if text in ("", "-"):
        return text
    if text[:1] in "<>=!":
        text = f"? {'==' if text.startswith('=') and not text.startswith('==') else ''}{text}"
    try:
        tree = ast.parse(text.replace("?", _PLACEHOLDER), mode="eval").body
    except SyntaxError as exc:
        raise Untranslatable(f"cell {source!r}") from exc
    if isinstance(tree, ast.Compare) and _PLACEHOLDER in _names(tree):
        return _compare_test(tree)
    if _PLACEHOLDER in _names(tree):
        raise Untranslatable(f"cell {source!r}")
    if isinstance(tree, ast.Tuple):
        return ", ".join(_emit(e)[0] for e in tree.elts)
    return _emit(tree)[0]


def _compare_test(tree: ast.Compare) -> str:
    subject = lambda n: isinstance(n, ast.Name) and n.id == _PLACEHOLDER  # noqa: E731
    if len(tree.ops) == 1 and subject(tree.left) and type(tree.ops[0]) in _COMPARE:
        op = _COMPARE[type(tree.ops[0])]
        return f"{'' if op == '=' else op + ' '}{_emit(tree.comparators[0])[0]}"
    if len(tree.ops) == 2 and subject(tree.comparators[0]):
        low, high = _emit(tree.left)[0], _emit(tree.comparators[1])[0]
        ops = [type(o) for o in tree.ops]
        if all(o in (ast.Lt, ast.LtE) for o in ops):
            return f"{'[' if ops[0] is ast.LtE else '('}{low}..{high}{']' if ops[1] is ast.LtE else ')'}"
    raise Untranslatable("comparison cell")


# ---- documents ----------------------------------------------------------------------------------


def _translated(text: str, translate: Callable[[str], str]) -> str:
    """``text`` in FEEL; text that is not Python (already FEEL, or empty) is kept."""
    if not text or not text.strip():
        return text
    try:
        ast.parse(text.strip(), mode="exec")
    except SyntaxError:
        return text
    return translate(text)


def bpmn(xml: str) -> str:
    """Every expression of a BPMN document in FEEL; Untranslatable names the first that is not."""
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    for tag in ("conditionExpression", "timeDate", "timeDuration", "timeCycle"):
        for el in root.iter(f"{{{BPMN_NS}}}{tag}"):
            el.text = _translated(el.text or "", expression)
    for el in [*root.iter(f"{{{BPMN_NS}}}script"), *root.iter(f"{{{SPIFF_NS}}}preScript")]:
        el.text = _translated(el.text or "", script)
    for el in root.iter(f"{{{SPIFF_NS}}}postScript"):
        el.text = _translated(el.text or "", script)
    for el in root.iter(f"{{{SPIFF_NS}}}property"):
        if el.get("name") == "due" and el.get("value"):
            el.set("value", _translated(el.get("value"), expression))
    return _document(root)


def dmn(xml: str) -> str:
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    for el in root.iter():
        local = etree.QName(el).localname if isinstance(el.tag, str) else ""
        text = el.find(f"{{{etree.QName(el).namespace}}}text") if local else None
        if text is None:
            continue
        if local in ("inputExpression", "outputEntry"):
            text.text = _translated(text.text or "", expression)
        elif local == "inputEntry":
            text.text = unary_test(text.text or "")
    return _document(root)


def _document(root: etree._Element) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode")
