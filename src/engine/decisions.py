"""DMN decision tables: parsed and evaluated by SpiffWorkflow's DMN engine, guarded like diagrams.

A table is data from a process owner, so every expression in it (input expressions, input entries,
output entries) passes the same AST guard as a diagram's at deploy time and runs through the same
limited script worker at run time.  A result depends only on the inputs, so it is cached per
(table content, inputs): opening a case does not evaluate the table again for a known ydelse.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser
from SpiffWorkflow.dmn.parser.DMNParser import DMNParser

from engine.diagrams import DiagramError, DiagramProblem
from engine.expressions import SandboxedEnvironment, UnsafeExpression, check_source, default_functions
from engine.script_worker import shared_worker

MAX_DMN_BYTES = 1_000_000


@dataclass(frozen=True)
class RuleView:
    rule_id: str
    inputs: tuple[str | None, ...]
    outputs: dict[str, str]


@dataclass(frozen=True)
class ParsedDecision:
    key: str
    name: str
    input_expressions: tuple[str, ...]
    output_names: tuple[str, ...]
    rules: tuple[RuleView, ...]
    engine: Any = field(repr=False, compare=False)

    def literal_inputs(self, column: int = 0) -> list[str]:
        """The string constants a column matches (e.g. the ydelser listed in the table)."""
        values = []
        for rule in self.rules:
            text = (rule.inputs[column] or "").strip()
            if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
                values.append(text[1:-1])
        return values

    def evaluate(self, data: dict[str, Any]) -> dict[str, Any]:
        """The outputs of the first matching rule ({} when none matches)."""
        task = SimpleNamespace(
            data=dict(data),
            task_spec=SimpleNamespace(name=self.key, bpmn_id=self.key, bpmn_name=self.name),
            workflow=SimpleNamespace(script_engine=_script_engine()),
        )
        return dict(self.engine.result(task))


def parse_decision(dmn_xml: str) -> ParsedDecision:
    """Parse and check one DMN file with one decision table; problems name the element."""
    if len(dmn_xml.encode("utf-8")) > MAX_DMN_BYTES:
        raise DiagramError([DiagramProblem(None, f"Tabellen er større end {MAX_DMN_BYTES // 1000} kB")])
    try:
        root = etree.fromstring(dmn_xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise DiagramError([DiagramProblem(None, f"Ikke gyldig XML: {exc}", exc.lineno)]) from exc
    parser = BpmnDmnParser()
    try:
        parser.add_dmn_xml(root)
        dmn: DMNParser = next(iter(parser.dmn_parsers.values()))
        dmn.parse()
    except Exception as exc:  # SpiffWorkflow's ValidationException, IndexError, KeyError on bad DMN
        raise DiagramError([DiagramProblem(getattr(exc, "id", None), f"Ikke en gyldig DMN-tabel: {exc}")]) from exc
    decision = dmn.decision
    if not decision.decisionTables:
        raise DiagramError([DiagramProblem(decision.id, "Beslutningen har ingen tabel")])
    table = decision.decisionTables[0]
    rules = tuple(
        RuleView(
            rule.id,
            tuple(entry.text if entry.text not in ("", "-") else None for entry in rule.inputEntries),
            {(e.output.name or e.output.label): (e.text or "") for e in rule.outputEntries},
        )
        for rule in table.rules
    )
    parsed = ParsedDecision(
        key=decision.id,
        name=decision.name or decision.id,
        input_expressions=tuple(i.expression or "" for i in table.inputs),
        output_names=tuple(o.name or o.label for o in table.outputs),
        rules=rules,
        engine=DMNEngine(table),
    )
    if problems := _expression_problems(parsed, table):
        raise DiagramError(problems)
    return parsed


def _expression_problems(parsed: ParsedDecision, table: Any) -> list[DiagramProblem]:
    problems = []
    for column in table.inputs:
        problems += _check(column.id, column.expression or "", "eval", "Inputudtrykket")
    for rule in parsed.rules:
        for text in (t for t in rule.inputs if t):
            problems += _check(rule.rule_id, text.replace("?", "dmninputexpr"), "eval", "Betingelsen")
        for name, text in rule.outputs.items():
            problems += _check(rule.rule_id, text or "None", "eval", f"Resultatet '{name}'")
    return problems


def _check(element_id: str, source: str, mode: str, what: str) -> list[DiagramProblem]:
    try:
        check_source(source.strip() or "None", mode)
    except UnsafeExpression as exc:
        return [DiagramProblem(element_id, f"{what} '{source.strip()}' afvises: {exc}")]
    return []


def content_hash(dmn_xml: str) -> str:
    return hashlib.sha256(dmn_xml.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _script_engine() -> PythonScriptEngine:
    return PythonScriptEngine(environment=SandboxedEnvironment(default_functions(), shared_worker()))


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
