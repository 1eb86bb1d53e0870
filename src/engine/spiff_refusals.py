"""SpiffWorkflow's own parser errors, said again in Danish with the element and what to do.

Sagsflow's checks (``diagrams.py``, ``bpmn_model.py``) catch most problems before SpiffWorkflow
reads a diagram.  What is left arrives here as SpiffWorkflow's English ``ValidationException``
(or, from deep inside its parser, a bare Python error).  Its text is matched only to decide which
Danish message to give; it is never shown.  An error nobody foresaw gets a general Danish message
that still names the element, found from the exception or from the parser's own frames.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import TracebackType

from lxml import etree

from engine.bpmn_model import DiagramProblem, by_id, describe, element_at_line, problem, sentence

Message = Callable[[etree._Element | None, re.Match[str]], str]

_FIX_OR_DOCUMENT = 'Ret elementet, eller markér processen som dokumentation (isExecutable="false").'


def _cap(element: etree._Element | None) -> str:
    return sentence(describe(element)) if element is not None else "Diagrammet"


_WHAT_DA = {
    "message": "besked",
    "signal": "signal",
    "error": "fejl",
    "escalation": "eskalering",
    "correlation": "korrelation",
    "data store": "datalager",
}


_KNOWN: tuple[tuple[re.Pattern[str], Message], ...] = (
    (
        re.compile(r"No start event found"),
        lambda el, m: (
            f"{_cap(el)} har ingen startbegivenhed. Tilføj en startbegivenhed, så Sagsflow ved, hvor en sag begynder."
        ),
    ),
    (
        re.compile(r"Unknown Time Specification|Time Specification Error"),
        lambda el, m: (
            f"Timeren på {describe(el)} har hverken et tidspunkt (timeDate), en varighed (timeDuration) "
            "eller en cyklus (timeCycle). Angiv én af dem som FEEL, fx deadline(start: received_on, days: 14) "
            'eller "P14D".'
        ),
    ),
    (
        re.compile(
            r"Data Store (?:with name (?P<name>.+?) has no implementation|identifier is missing|name is missing)"
        ),
        lambda el, m: (
            f"Datalageret{' ' + repr(m.group('name')) if m.group('name') else ''} kan Sagsflow ikke "
            "bruge: sagens data ligger i selve sagen. Fjern datalageret fra den eksekverbare proces."
        ),
    ),
    (
        re.compile(r"Non-default exclusive outgoing sequence flow without condition"),
        lambda el, m: (
            f"{_cap(el)} går ud af en eksklusiv gateway uden betingelse og er ikke gatewayens "
            'standardflow. Giv det en betingelse i FEEL, fx udfald = "afslag", eller gør det til standardflow.'
        ),
    ),
    (
        re.compile(r"Multiple outgoing flows are not supported"),
        lambda el, m: f"{_cap(el)} har flere udgående flows. Brug en gateway til at dele flowet.",
    ),
    (
        re.compile(r"Exactly one start event is required in a SubWorkflow Task; found (?P<n>\d+)"),
        lambda el, m: f"{_cap(el)} skal have præcis én startbegivenhed (har {m.group('n')}).",
    ),
    (
        re.compile(r"A SubWorkflow Must contain an End event"),
        lambda el, m: f"{_cap(el)} har ingen slutbegivenhed. Tilføj en, så delprocessen kan slutte.",
    ),
    (
        re.compile(r'No "calledElement" attribute'),
        lambda el, m: f"{_cap(el)} siger ikke, hvilken proces den kalder. Angiv processens nøgle (calledElement).",
    ),
    (
        re.compile(r"Invalid Script Task"),
        lambda el, m: (
            f'{_cap(el)} har intet script. Skriv et script i FEEL, fx naeste = add_period(dato, "3 måneder").'
        ),
    ),
    (
        re.compile(r"A Service Task must have an operator"),
        lambda el, m: (
            f"{_cap(el)} siger ikke, hvilken operation den kalder. Vælg en af Sagsflows operationer "
            "(spiffworkflow:serviceTaskOperator)."
        ),
    ),
    (
        re.compile(r"Expected an? (?P<what>Message|Signal|Error|Escalation) node|Could not find messageRef"),
        lambda el, m: (
            f"{_cap(el)} henviser til en {_WHAT_DA.get((m.group('what') or 'Message').lower(), 'besked')}, "
            "som ikke findes i filen. Vælg eller opret den i modelleren."
        ),
    ),
    (
        re.compile(r"(?P<what>Message|Signal|Error|Escalation|Correlation|Data Store) identifier is missing"),
        lambda el, m: (
            f"En {_WHAT_DA.get(m.group('what').lower(), 'definition')} i filen mangler sit id. Giv den et id."
        ),
    ),
    (
        re.compile(r"There is no support implemented for this task type"),
        lambda el, m: (
            f"{_cap(el)} er en slags element, som Sagsflow ikke kan køre. Erstat den med en brugeropgave "
            f"eller en scriptopgave. {_FIX_OR_DOCUMENT}"
        ),
    ),
    (
        re.compile(r"Process (?P<key>\S+) is not executable"),
        lambda el, m: (
            f"Processen '{m.group('key')}' kaldes af en kaldeaktivitet, men er markeret som ikke-eksekverbar. "
            'Sæt isExecutable="true" på den, eller kald en udrullet proces.'
        ),
    ),
    (
        re.compile(r"The process '(?P<key>[^']*)' was not found"),
        lambda el, m: (
            f"Processen '{m.group('key')}' findes hverken i filen eller blandt de udrullede processer. "
            "Ret kaldeaktivitetens calledElement til en udrullet proces."
        ),
    ),
    (
        re.compile(r"Cancel Events may only be used with transactions"),
        lambda el, m: f"{_cap(el)} er en annulleringsbegivenhed; den kan kun bruges i en transaktion.",
    ),
    (
        re.compile(r"loopMaximum or loopCondition"),
        lambda el, m: f"{_cap(el)} gentages uden en betingelse for at stoppe. Angiv loopCondition eller loopMaximum.",
    ),
    (
        re.compile(r"multiinstance task must specify"),
        lambda el, m: (
            f"{_cap(el)} gentages for flere, men siger ikke hvor mange (loopCardinality) eller over hvilken "
            "liste. Angiv præcis én af dem."
        ),
    ),
    (
        re.compile(r"loop (?:input|output) data reference is missing"),
        lambda el, m: f"{_cap(el)} henviser til en liste, som ikke er defineret i opgavens input/output.",
    ),
    (
        re.compile(r"Conditional event definition with missing condition"),
        lambda el, m: (
            f"{_cap(el)} er en betingelsesbegivenhed uden betingelse. Skriv betingelsen i FEEL, fx "
            "svar_modtaget = true."
        ),
    ),
    (
        re.compile(r"Cannot resolve data(?:Input|Output)Association (?P<name>.*)"),
        lambda el, m: f"{_cap(el)} har en dataforbindelse til '{m.group('name').strip()}', som ikke findes. Fjern den.",
    ),
    (
        re.compile(r"ad hoc subprocess", re.IGNORECASE),
        lambda el, m: f"{_cap(el)} er en ad hoc-delproces, som Sagsflow ikke kan køre sådan. {_FIX_OR_DOCUMENT}",
    ),
    (
        re.compile(r"we found two items"),
        lambda el, m: f"{_cap(el)} peger på et id, som to elementer bruger. Giv hvert element sit eget id.",
    ),
    (
        re.compile(r"No DMN Diagram available with id \"(?P<key>[^\"]*)\""),
        lambda el, m: f"{_cap(el)} kalder beslutningstabellen '{m.group('key')}', som ikke er udrullet.",
    ),
)


def refusal(exc: BaseException, root: etree._Element) -> DiagramProblem:
    """The Danish problem for an error SpiffWorkflow raised while reading ``root``."""
    element = _element(exc, root)
    text = str(exc.args[0]) if exc.args and isinstance(exc.args[0], str) else ""
    for pattern, message in _KNOWN:
        match = pattern.search(text)
        if match:
            return problem(element, message(element, match))
    if element is not None:
        return problem(
            element,
            f"{_cap(element)} kan Sagsflow ikke køre, som den er modelleret (SpiffWorkflow kunne ikke læse den). "
            + _FIX_OR_DOCUMENT,
        )
    return DiagramProblem(
        None,
        "Diagrammet kan Sagsflow ikke køre, som det er modelleret (SpiffWorkflow kunne ikke læse det). Kontrollér "
        'de eksekverbare processer i modelleren, eller markér dem som dokumentation (isExecutable="false").',
    )


def _element(exc: BaseException, root: etree._Element) -> etree._Element | None:
    """The element an error is about: its id, its line, or the node the parser was reading."""
    found = by_id(root, getattr(exc, "id", None))
    if found is None:
        found = element_at_line(root, getattr(exc, "line_number", None))
    if found is not None:
        return found
    return _node_from_frames(exc.__traceback__, root)


def _node_from_frames(tb: TracebackType | None, root: etree._Element) -> etree._Element | None:
    """The innermost parser frame's ``node`` (SpiffWorkflow's parsers keep the element they read there)."""
    found = None
    while tb is not None:
        local = tb.tb_frame.f_locals
        for candidate in (local.get("node"), getattr(local.get("self"), "node", None)):
            if isinstance(candidate, etree._Element) and candidate.get("id"):
                hit = by_id(root, candidate.get("id"))
                found = hit if hit is not None else found
        tb = tb.tb_next
    return found
