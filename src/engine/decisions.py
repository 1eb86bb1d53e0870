"""DMN decision tables, read and evaluated here: FEEL cells, no SpiffWorkflow DMN engine.

SpiffWorkflow's DMNParser and DMNEngine ``ast.parse`` and ``eval`` Python, so a table cell could
run code (issue 11).  This module reads DMN 1.1–1.3 XML itself (lxml, entities off), with FEEL
input expressions, FEEL unary tests in the input entries (``-``, ``"a","b"``, ``< 5``,
``[1..5]``, ``not(...)``), FEEL output entries, and the hit policies UNIQUE (more than one match is
an error), FIRST, ANY (matches must agree) and COLLECT (a list per output, or SUM/COUNT/MIN/MAX).
A result depends only on the inputs, so it is cached per (table content, inputs): opening a case
does not evaluate the table again for a known ydelse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree

from engine import feel
from engine.bpmn_model import xml_syntax_message
from engine.diagrams import DiagramError, DiagramProblem
from engine.errors import ProcessError
from engine.feel.values import is_number

MAX_DMN_BYTES = 1_000_000
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
)
HIT_POLICIES = ("UNIQUE", "FIRST", "ANY", "COLLECT")
AGGREGATIONS = ("SUM", "COUNT", "MIN", "MAX")


@dataclass(frozen=True)
class RuleView:
    rule_id: str
    inputs: tuple[str | None, ...]  # None for '-' (any value)
    outputs: dict[str, str]


@dataclass(frozen=True)
class _Column:
    id: str
    expression: str


@dataclass(frozen=True)
class ParsedDecision:
    key: str
    name: str
    input_expressions: tuple[str, ...]
    output_names: tuple[str, ...]
    rules: tuple[RuleView, ...]
    hit_policy: str = "UNIQUE"
    aggregation: str | None = None
    input_ids: tuple[str, ...] = field(default=(), compare=False)

    def literal_inputs(self, column: int = 0) -> list[str]:
        """The string constants a column matches (e.g. the ydelser listed in the table)."""
        values = []
        for rule in self.rules:
            ok, value = feel.literal_value(rule.inputs[column] or "")
            if ok and isinstance(value, str):
                values.append(value)
        return values

    def matching_rules(self, data: dict[str, Any]) -> list[RuleView]:
        """The rules whose input entries all match ``data`` (in table order)."""
        try:
            values = [feel.expression(e).evaluate(data) if e.strip() else None for e in self.input_expressions]
            return [rule for rule in self.rules if self._matches(rule, values, data)]
        except feel.FeelError as exc:
            raise ProcessError(self.key, f"Tabellen '{self.name}' kunne ikke evalueres: {exc}") from None

    def evaluate(self, data: dict[str, Any]) -> dict[str, Any]:
        """The outputs by the hit policy ({} when no rule matches; COLLECT: lists)."""
        try:
            values = [feel.expression(e).evaluate(data) if e.strip() else None for e in self.input_expressions]
            matched = [rule for rule in self.rules if self._matches(rule, values, data)]
            return self._result(matched, data)
        except feel.FeelError as exc:
            raise ProcessError(self.key, f"Tabellen '{self.name}' kunne ikke evalueres: {exc}") from None

    def _matches(self, rule: RuleView, values: list[Any], data: dict[str, Any]) -> bool:
        for text, value in zip(rule.inputs, values, strict=True):
            tests = feel.unary_tests(text) if text else None
            if tests is not None and not tests.matches(value, data):
                return False
        return True

    def _outputs(self, rule: RuleView, data: dict[str, Any]) -> dict[str, Any]:
        return {
            name: feel.to_data(feel.expression(text).evaluate(data)) if text.strip() else None
            for name, text in rule.outputs.items()
        }

    def _result(self, matched: list[RuleView], data: dict[str, Any]) -> dict[str, Any]:
        if self.hit_policy == "COLLECT":
            rows = [self._outputs(rule, data) for rule in matched]
            collected = {name: [row.get(name) for row in rows] for name in self.output_names}
            return {name: _aggregate(self.aggregation, values) for name, values in collected.items()}
        if not matched:
            return {}
        if self.hit_policy == "UNIQUE" and len(matched) > 1:
            ids = ", ".join(r.rule_id for r in matched)
            raise feel.FeelError(f"hit policy UNIQUE, men flere regler passer ({ids})")
        first = self._outputs(matched[0], data)
        if self.hit_policy == "ANY" and any(self._outputs(r, data) != first for r in matched[1:]):
            raise feel.FeelError("hit policy ANY, men reglerne der passer giver forskellige resultater")
        return first


def _aggregate(aggregation: str | None, values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if aggregation is None:
        return values
    if aggregation == "COUNT":
        return len(present)
    if not present:
        return None
    if aggregation == "SUM":
        if not all(is_number(v) for v in present):
            raise feel.FeelError("COLLECT SUM kræver tal")
        return sum(present)
    return min(present) if aggregation == "MIN" else max(present)


def parse_decision(dmn_xml: str) -> ParsedDecision:
    """Read and check one DMN file with one decision table; problems name the element."""
    if len(dmn_xml.encode("utf-8")) > MAX_DMN_BYTES:
        raise DiagramError([DiagramProblem(None, f"Tabellen er større end {MAX_DMN_BYTES // 1000} kB")])
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(dmn_xml.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        found = xml_syntax_message(exc).replace("Filen er ikke gyldig XML", "Ikke gyldig XML")
        message = f"{found} Gem tabellen igen fra editoren, eller ret XML'en."
        raise DiagramError([DiagramProblem(None, message, exc.lineno)]) from None
    ns = _namespace(root)
    decision = root.find(f"{{{ns}}}decision")
    if decision is None or not decision.get("id"):
        raise DiagramError([DiagramProblem(None, "Ikke en gyldig DMN-tabel: filen har ingen beslutning (decision)")])
    table = decision.find(f"{{{ns}}}decisionTable")
    if table is None:
        raise DiagramError([DiagramProblem(decision.get("id"), "Beslutningen har ingen tabel")])
    parsed = _read_table(ns, decision, table)
    if problems := _expression_problems(parsed):
        raise DiagramError(problems)
    return parsed


def _namespace(root: etree._Element) -> str:
    tag = str(root.tag)
    ns = tag[1 : tag.index("}")] if tag.startswith("{") else ""
    if ns not in DMN_NAMESPACES or etree.QName(root).localname != "definitions":
        raise DiagramError(
            [DiagramProblem(None, "Ikke en gyldig DMN-tabel: roden skal være DMN 1.1–1.3 <definitions>")]
        )
    return ns


def _text(element: etree._Element | None, ns: str) -> str:
    if element is None:
        return ""
    text = element.find(f"{{{ns}}}text")
    return (text.text or "") if text is not None else ""


def _read_table(ns: str, decision: etree._Element, table: etree._Element) -> ParsedDecision:
    problems = []
    hit_policy = (table.get("hitPolicy") or "UNIQUE").upper()
    aggregation = table.get("aggregation")
    if hit_policy not in HIT_POLICIES:
        problems.append(
            DiagramProblem(
                table.get("id") or decision.get("id"),
                f"Hit policy '{hit_policy}' understøttes ikke (kun {', '.join(HIT_POLICIES)})",
            )
        )
    if aggregation is not None and (hit_policy != "COLLECT" or aggregation.upper() not in AGGREGATIONS):
        problems.append(DiagramProblem(table.get("id"), f"Aggregeringen '{aggregation}' understøttes ikke"))
    inputs = [
        _Column(i.get("id") or "", _text(i.find(f"{{{ns}}}inputExpression"), ns))
        for i in table.findall(f"{{{ns}}}input")
    ]
    outputs = [o.get("name") or o.get("label") or o.get("id") or "" for o in table.findall(f"{{{ns}}}output")]
    if not outputs:
        problems.append(DiagramProblem(table.get("id") or decision.get("id"), "Tabellen har ingen resultatkolonne"))
    rules = []
    for rule in table.findall(f"{{{ns}}}rule"):
        entries = rule.findall(f"{{{ns}}}inputEntry")
        results = rule.findall(f"{{{ns}}}outputEntry")
        if len(entries) != len(inputs) or len(results) != len(outputs):
            problems.append(DiagramProblem(rule.get("id"), "Reglen har ikke én celle pr. kolonne"))
            continue
        cells = tuple(_text(e, ns).strip() or None for e in entries)
        rules.append(
            RuleView(
                rule.get("id") or "",
                tuple(None if c in (None, "-") else c for c in cells),
                {name: _text(r, ns) for name, r in zip(outputs, results, strict=True)},
            )
        )
    if problems:
        raise DiagramError(problems)
    return ParsedDecision(
        key=decision.get("id"),
        name=decision.get("name") or decision.get("id"),
        input_expressions=tuple(c.expression for c in inputs),
        output_names=tuple(outputs),
        rules=tuple(rules),
        hit_policy=hit_policy,
        aggregation=aggregation.upper() if aggregation else None,
        input_ids=tuple(c.id for c in inputs),
    )


def _expression_problems(parsed: ParsedDecision) -> list[DiagramProblem]:
    problems = []
    for column_id, text in zip(parsed.input_ids, parsed.input_expressions, strict=True):
        for problem in feel.check_expression(text, feel.DMN_INPUT) if text.strip() else ["Inputudtrykket er tomt"]:
            problems.append(_problem(column_id, "Inputudtrykket", text, problem, feel.DMN_INPUT.example))
    for rule in parsed.rules:
        for text in (t for t in rule.inputs if t):
            for problem in feel.check_unary_tests(text):
                problems.append(_problem(rule.rule_id, "Betingelsen", text, problem, feel.DMN_TEST.example))
        for name, text in rule.outputs.items():
            for problem in feel.check_expression(text, feel.DMN_OUTPUT) if text.strip() else []:
                problems.append(_problem(rule.rule_id, f"Resultatet '{name}'", text, problem, feel.DMN_OUTPUT.example))
    return problems


def _problem(element_id: str, what: str, text: str, problem: str, example: str) -> DiagramProblem:
    shown = text.strip() if len(text.strip()) <= 80 else text.strip()[:77] + "..."
    return DiagramProblem(element_id, f"{what} '{shown}' afvises: {problem.rstrip('.')}. Forventet FEEL, fx: {example}")


def content_hash(dmn_xml: str) -> str:
    return hashlib.sha256(dmn_xml.encode("utf-8")).hexdigest()


@lru_cache(maxsize=256)
def parsed_cached(dmn_xml: str) -> ParsedDecision:
    return parse_decision(dmn_xml)


_results: dict[tuple[str, tuple[tuple[str, Any], ...]], dict[str, Any]] = {}


def evaluate_cached(dmn_xml: str, data: dict[str, Any]) -> dict[str, Any]:
    """Evaluate a table, remembering the result for the same content and inputs (tables are pure)."""
    key = (content_hash(dmn_xml), tuple(sorted((k, v) for k, v in data.items() if isinstance(v, str | int | None))))
    if key not in _results:
        if len(_results) > 10_000:
            _results.clear()
        _results[key] = parsed_cached(dmn_xml).evaluate(data)
    return dict(_results[key])
