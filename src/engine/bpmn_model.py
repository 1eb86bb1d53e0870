"""A BPMN 2.0 file read as a model, before SpiffWorkflow sees it: its processes, which one runs,
ids and labels, and what the XML schema or a dangling reference finds — in Danish, each problem
naming the element (its label and id) and what to do.

Nothing here passes an English text through: libxml2's and the XML schema's messages are read
for their kind (and the attribute or value they name) and said again in Danish.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
MAX_DIAGRAM_BYTES = 2_000_000


@dataclass(frozen=True)
class DiagramProblem:
    """One reason a diagram was refused: the element (id and label, when known) and what is wrong."""

    element_id: str | None
    message: str
    line: int | None = None
    element_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "element_id": self.element_id,
            "element_name": self.element_name,
            "message": self.message,
            "line": self.line,
        }


class DiagramError(Exception):
    """A diagram was refused.  ``problems`` lists each offending element and the reason."""

    def __init__(self, problems: list[DiagramProblem]) -> None:
        self.problems = problems
        first = problems[0]
        where = f"{first.element_id}: " if first.element_id else ""
        super().__init__(f"{where}{first.message}")


# Danish names of BPMN element kinds, as running text ("brugeropgaven 'Vurdér' (vurder)").
KIND_DA = {
    "definitions": "modellen",
    "process": "processen",
    "collaboration": "samarbejdet",
    "participant": "deltageren (poolen)",
    "laneSet": "banesættet",
    "lane": "banen",
    "startEvent": "startbegivenheden",
    "endEvent": "slutbegivenheden",
    "intermediateCatchEvent": "den mellemliggende begivenhed",
    "intermediateThrowEvent": "den mellemliggende begivenhed",
    "boundaryEvent": "randbegivenheden",
    "task": "opgaven",
    "userTask": "brugeropgaven",
    "manualTask": "den manuelle opgave",
    "scriptTask": "scriptopgaven",
    "serviceTask": "servicetasken",
    "businessRuleTask": "beslutningsopgaven",
    "sendTask": "sendeopgaven",
    "receiveTask": "modtageopgaven",
    "callActivity": "kaldeaktiviteten",
    "subProcess": "delprocessen",
    "adHocSubProcess": "ad hoc-delprocessen",
    "transaction": "transaktionen",
    "exclusiveGateway": "den eksklusive gateway",
    "inclusiveGateway": "den inklusive gateway",
    "parallelGateway": "den parallelle gateway",
    "eventBasedGateway": "den hændelsesbaserede gateway",
    "complexGateway": "den komplekse gateway",
    "sequenceFlow": "flowet",
    "messageFlow": "beskedflowet",
    "message": "beskeden",
    "signal": "signalet",
    "error": "fejlen",
    "escalation": "eskaleringen",
    "dataStore": "datalageret",
    "dataStoreReference": "datalageret",
    "dataObject": "dataobjektet",
    "dataObjectReference": "dataobjektet",
    "textAnnotation": "kommentaren",
    "association": "forbindelsen",
    "group": "gruppen",
    "timerEventDefinition": "timeren",
    "messageEventDefinition": "beskeddefinitionen",
    "conditionExpression": "betingelsen",
}


def kind(element: etree._Element | None) -> str:
    """The Danish word for an element's kind, with the article ("brugeropgaven")."""
    if element is None:
        return "modellen"
    local = etree.QName(element).localname if isinstance(element.tag, str) else "element"
    return KIND_DA.get(local, f"elementet <{local}>")


def label(element: etree._Element | None) -> str:
    """``'Navn' (id)`` or ``'id'``: how an element is named in every message."""
    if element is None:
        return "diagrammet"
    name, element_id = element.get("name"), element.get("id")
    if name and element_id and name != element_id:
        return f"'{name}' ({element_id})"
    if element_id:
        return f"'{element_id}'"
    return f"'{name}'" if name else f"<{etree.QName(element).localname}>"


def describe(element: etree._Element | None) -> str:
    """``brugeropgaven 'Vurdér' (vurder)``."""
    return f"{kind(element)} {label(element)}"


def sentence(text: str) -> str:
    """``text`` with its first letter upper case (the rest untouched: names keep their case)."""
    return text[:1].upper() + text[1:]


def problem(element: etree._Element | None, message: str) -> DiagramProblem:
    """A problem about ``element`` (its id, name and line are filled in)."""
    if element is None:
        return DiagramProblem(None, message)
    owner = owner_of(element)
    return DiagramProblem(
        owner.get("id") if owner is not None else None,
        message,
        element.sourceline,
        owner.get("name") if owner is not None else None,
    )


_EVENT_DEFINITION = re.compile(r"\{[^}]*\}\w*EventDefinition$")


def owner_of(element: etree._Element | None) -> etree._Element | None:
    """The diagram element a piece of XML belongs to (a timer's event, not its eventDefinition)."""
    while element is not None:
        bpmn = isinstance(element.tag, str) and element.tag.startswith(f"{{{BPMN_NS}}}")
        if bpmn and element.get("id") and not _EVENT_DEFINITION.match(element.tag):
            return element
        element = element.getparent()
    return None


# ---- reading the XML ----------------------------------------------------------------------------

_XML_ERRORS = {
    "ERR_TAG_NAME_MISMATCH": "et element lukkes med et andet navn, end det blev åbnet med",
    "ERR_TAG_NOT_FINISHED": "et element bliver aldrig lukket (filen slutter for tidligt?)",
    "ERR_DOCUMENT_EMPTY": "filen er tom",
    "ERR_DOCUMENT_END": "der står noget efter modellens sidste element",
    "ERR_ATTRIBUTE_WITHOUT_VALUE": "en attribut mangler sin værdi",
    "ERR_ATTRIBUTE_NOT_STARTED": "en attributværdi skal stå i anførselstegn",
    "ERR_ATTRIBUTE_REDEFINED": "den samme attribut står to gange på et element",
    "ERR_LT_IN_ATTRIBUTE": "tegnet < står i en attributværdi (skriv &lt;)",
    "ERR_NAME_REQUIRED": "et tegn står, hvor der skulle stå et navn (skriv & som &amp; og < som &lt;)",
    "ERR_UNDECLARED_ENTITY": "filen bruger en entitet, som ikke er defineret",
    "ERR_INVALID_CHAR": "filen indeholder et tegn, som XML ikke tillader",
    "ERR_GT_REQUIRED": "et element mangler sit afsluttende >",
    "ERR_LTSLASH_REQUIRED": "et element mangler sit afsluttende </...>",
    "ERR_STRING_NOT_CLOSED": "en attributværdi mangler sit afsluttende anførselstegn",
    "ERR_ENTITYREF_SEMICOL_MISSING": "en entitet mangler sit semikolon (skriv & som &amp;)",
    "NS_ERR_UNDEFINED_NAMESPACE": "et præfiks (fx bpmn:) bruges uden at være erklæret med xmlns",
}


def xml_syntax_message(exc: etree.XMLSyntaxError) -> str:
    """libxml2's complaint about a file that is not XML, in Danish, with where it is."""
    last = exc.error_log.last_error if exc.error_log else None
    what = _XML_ERRORS.get(last.type_name if last is not None else "", "XML-strukturen er brudt her")
    where = f"linje {exc.lineno}" + (f", tegn {exc.offset}" if exc.offset else "") if exc.lineno else "filen"
    return f"Filen er ikke gyldig XML ({where}): {what}."


def read_xml(bpmn_xml: str) -> etree._Element:
    """The root of a BPMN file; refuses a file that is too big, not XML or not BPMN 2.0."""
    if len(bpmn_xml.encode("utf-8")) > MAX_DIAGRAM_BYTES:
        raise DiagramError(
            [DiagramProblem(None, f"Diagrammet er større end {MAX_DIAGRAM_BYTES // 1_000_000} MB; del det op")]
        )
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(bpmn_xml.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        message = xml_syntax_message(exc) + " Gem filen igen fra modelleren, eller ret XML'en."
        raise DiagramError([DiagramProblem(None, message, exc.lineno or None)]) from None
    if not isinstance(root.tag, str) or root.tag != f"{{{BPMN_NS}}}definitions":
        local = etree.QName(root).localname if isinstance(root.tag, str) else "?"
        message = (
            f"Filen er ikke en BPMN 2.0-model: roden er <{local}>, men skal være <bpmn:definitions> i "
            f"navnerummet {BPMN_NS}. Eksportér modellen som BPMN 2.0 XML."
        )
        raise DiagramError([DiagramProblem(None, message, root.sourceline)])
    return root


def duplicate_id_problems(root: etree._Element) -> list[DiagramProblem]:
    seen: dict[str, etree._Element] = {}
    problems = []
    for element in root.iter():
        element_id = element.get("id") if isinstance(element.tag, str) else None
        if not element_id:
            continue
        first = seen.setdefault(element_id, element)
        if first is not element:
            problems.append(
                DiagramProblem(
                    element_id,
                    f"Id'et '{element_id}' bruges både af {describe(first)} og af {kind(element)} "
                    f"(linje {element.sourceline}). Hvert element skal have sit eget id: giv det ene et nyt.",
                    element.sourceline,
                    element.get("name"),
                )
            )
    return problems


# ---- references ----------------------------------------------------------------------------------


def reference_problems(root: etree._Element) -> list[DiagramProblem]:
    """Flows, boundary events, defaults, lanes and message definitions that point at nothing."""
    ids = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    problems = []
    for flow in root.iter(f"{{{BPMN_NS}}}sequenceFlow"):
        for attribute, what in (("sourceRef", "starter i"), ("targetRef", "ender i")):
            ref = flow.get(attribute)
            if ref and ref not in ids:
                problems.append(
                    problem(
                        flow,
                        f"Flowet {label(flow)} {what} '{ref}', som ikke findes. Forbind flowet til et element, "
                        "eller slet det.",
                    )
                )
            elif ref and ids[ref].getparent() is not flow.getparent():
                problems.append(
                    problem(
                        flow,
                        f"Flowet {label(flow)} {what} {describe(ids[ref])}, som ligger i en anden proces eller "
                        "delproces. Et sekvensflow bliver inden for sin proces; mellem puljer bruges et beskedflow.",
                    )
                )
    for event in root.iter(f"{{{BPMN_NS}}}boundaryEvent"):
        ref = event.get("attachedToRef")
        if ref and ref not in ids:
            problems.append(
                problem(event, f"{sentence(describe(event))} sidder på '{ref}', som ikke findes. Flyt den.")
            )
    for gateway in root.iter():
        default = gateway.get("default") if isinstance(gateway.tag, str) else None
        if default and (default not in ids or ids[default].get("sourceRef") != gateway.get("id")):
            what = "som ikke findes" if default not in ids else "som ikke går ud af den"
            problems.append(
                problem(
                    gateway,
                    f"{sentence(describe(gateway))} har standardflowet '{default}', {what}. "
                    "Vælg et af dens udgående flows som standard.",
                )
            )
    for lane in root.iter(f"{{{BPMN_NS}}}lane"):
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            if ref.text and ref.text.strip() not in ids:
                problems.append(
                    problem(lane, f"Banen {label(lane)} nævner '{ref.text.strip()}', som ikke findes. Fjern den.")
                )
    for tag, attribute in (("messageEventDefinition", "messageRef"), ("signalEventDefinition", "signalRef")):
        for definition in root.iter(f"{{{BPMN_NS}}}{tag}"):
            ref = definition.get(attribute)
            if ref and ref not in ids:
                what, it = ("beskeden", "den") if tag.startswith("message") else ("signalet", "det")
                problems.append(
                    problem(
                        definition,
                        f"{sentence(describe(owner_of(definition)))} henviser til {what} '{ref}', som ikke "
                        f"findes. Vælg {what} i modelleren, eller opret {it}.",
                    )
                )
    return problems


# ---- processes: which one runs --------------------------------------------------------------------


def processes(root: etree._Element) -> list[etree._Element]:
    return root.findall("bpmn:process", NS)


def is_executable(process: etree._Element) -> bool:
    """Only ``isExecutable="true"`` counts: a process without the attribute is documentation."""
    return (process.get("isExecutable") or "").strip().lower() == "true"


def called_in_file(root: etree._Element, process: etree._Element) -> set[str]:
    """Ids of the processes of this file that ``process`` calls (directly or further down)."""
    by_id = {p.get("id"): p for p in processes(root)}
    found: set[str] = set()
    todo = [process]
    while todo:
        current = todo.pop()
        for call in current.iter(f"{{{BPMN_NS}}}callActivity"):
            target = call.get("calledElement", "")
            if target in by_id and target not in found:
                found.add(target)
                todo.append(by_id[target])
    return found


def main_process(root: etree._Element, *, legacy: bool = False) -> tuple[etree._Element | None, bool]:
    """(the process that runs, True) or (the process a documentation model is named by, False).

    Several executable processes are allowed when all but one are called by it; otherwise the
    model is refused naming each.  ``legacy``: a version stored before documentation models
    existed, when a process without ``isExecutable`` counted as executable."""
    found = processes(root)
    executable = [p for p in found if is_executable(p) or (legacy and p.get("isExecutable") is None)]
    if not executable:
        documented = next((p for p in found if len(p)), found[0] if found else None)
        return documented, False
    called = set().union(*(called_in_file(root, p) - {p.get("id")} for p in executable))
    candidates = [p for p in executable if p.get("id") not in called] or executable
    if len(candidates) == 1:
        return candidates[0], True
    names = ", ".join(label(p) for p in executable)
    raise DiagramError(
        [
            problem(
                p,
                f"Modellen har flere eksekverbare processer ({names}), og ingen af dem kalder de andre. Sagsflow "
                f'kører én proces pr. fil: markér de øvrige som ikke-eksekverbare (isExecutable="false") for at '
                "beholde dem som dokumentation, eller læg dem i hver sin fil.",
            )
            for p in executable
        ]
    )


def executable_scope(root: etree._Element, main: etree._Element) -> list[etree._Element]:
    """The process that runs and the processes of the file it calls: what must be able to run."""
    by_id = {p.get("id"): p for p in processes(root)}
    return [main, *(by_id[key] for key in sorted(called_in_file(root, main)) if key in by_id)]


def iter_scope(scope: Iterable[etree._Element], tag: str, ns: str = BPMN_NS) -> Iterator[etree._Element]:
    for process in scope:
        yield from process.iter(f"{{{ns}}}{tag}")


def model_name(root: etree._Element, main: etree._Element | None) -> str:
    """The process's name, else its pool's, else its id."""
    if main is None:
        return root.get("name") or root.get("id") or "Model"
    if main.get("name"):
        return str(main.get("name"))
    for participant in root.iter(f"{{{BPMN_NS}}}participant"):
        if participant.get("processRef") == main.get("id") and participant.get("name"):
            return str(participant.get("name"))
    return str(main.get("id"))


def element_ids(process: etree._Element) -> frozenset[str]:
    """Every flow element id of a process (and of its embedded subprocesses), read from the XML."""
    skip = {"sequenceFlow", "laneSet", "lane", "textAnnotation", "association", "flowNodeRef"}
    return frozenset(
        str(el.get("id"))
        for el in process.iter()
        if isinstance(el.tag, str) and el.get("id") and etree.QName(el).localname not in skip and el is not process
    )


def element_at_line(root: etree._Element, line: Any) -> etree._Element | None:
    if not line:
        return None
    for element in root.iter():
        if element.sourceline == line and isinstance(element.tag, str) and element.get("id"):
            return element
    return None


def by_id(root: etree._Element, element_id: str | None) -> etree._Element | None:
    if not element_id:
        return None
    return next((el for el in root.iter() if isinstance(el.tag, str) and el.get("id") == element_id), None)
