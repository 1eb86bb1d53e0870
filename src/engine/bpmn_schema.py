"""The BPMN 2.0 XML schema (and SpiffWorkflow's extension schema), its findings said in Danish.

libxml2's messages are read for their kind, the attribute and the value they name, and said again
in Danish with the element's label and what to do; the English text is never shown.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml import etree

from engine.bpmn_model import (
    DiagramProblem,
    describe,
    duplicate_id_problems,
    owner_of,
    reference_problems,
    sentence,
)
from engine.spiff import VALIDATOR


def structure_problems(root: etree._Element) -> list[DiagramProblem]:
    """Duplicate ids, the XML schema, and references to elements that do not exist."""
    duplicates = duplicate_id_problems(root)
    if duplicates:
        return duplicates  # the schema would only repeat them, less clearly
    return schema_problems(root) or reference_problems(root)


_TYPES_DA = {
    "xs:ID": "et id (begynder med et bogstav eller _, og rummer kun bogstaver, tal, -, _ og .)",
    "xs:IDREF": "id'et på et andet element i filen",
    "xs:boolean": "true eller false",
    "xs:integer": "et heltal",
    "xs:int": "et heltal",
    "xs:QName": "et navn (evt. med præfiks, fx bpmn:tFormalExpression)",
    "xs:anyURI": "en adresse (URI)",
    "xs:string": "en tekst",
}


def schema_problems(root: etree._Element) -> list[DiagramProblem]:
    """Check the file against the BPMN 2.0 XSD (and SpiffWorkflow's extension XSD)."""
    checked = copy.deepcopy(root)
    VALIDATOR.preprocess(checked)
    if VALIDATOR.validator.validate(checked):
        return []
    tree = root.getroottree()
    problems = []
    for error in list(VALIDATOR.validator.error_log)[:20]:
        element = _element_of(tree, root, error.path, error.line)
        problems.append(
            DiagramProblem(
                element.get("id") if element is not None else None,
                _schema_message(error, element),
                error.line or None,
                element.get("name") if element is not None else None,
            )
        )
    return problems


def _element_of(tree: Any, root: etree._Element, path: str | None, line: int) -> etree._Element | None:
    found: etree._Element | None = None
    if path:
        try:
            hits = tree.xpath(path, namespaces={k: v for k, v in root.nsmap.items() if k})
            found = hits[0] if hits else None
        except etree.XPathError:
            found = None
    if found is None:
        found = next((el for el in root.iter() if el.sourceline == line and isinstance(el.tag, str)), None)
    return found


def _schema_message(error: Any, element: etree._Element | None) -> str:
    text = str(error.message)
    where = describe(owner_of(element)) if element is not None else f"linje {error.line}"
    tag = f"<{etree.QName(element).localname}>" if element is not None and isinstance(element.tag, str) else "elementet"
    type_name = str(error.type_name)
    attribute = _first(r"attribute '([^']*)'", text)
    fix = " Ret det i modelleren, eller markér processen som dokumentation, hvis den ikke skal køres."
    if type_name == "SCHEMAV_ELEMENT_CONTENT":
        names = re.findall(r"\{[^}]*\}(\w+)", text.split("Expected is", 1)[1]) if "Expected is" in text else []
        if "Missing child" in text:
            needed = ", ".join(f"<{e}>" for e in names[:6])
            return f"{sentence(where)} mangler et underelement (et af {needed or 'de påkrævede'}).{fix}"
        allowed = ", ".join(f"<{e}>" for e in names[:8])
        hint = f" Her må stå: {allowed}." if allowed else ""
        return f"{tag} må ikke stå her (i {where}) efter BPMN 2.0-skemaet.{hint} Flyt eller fjern det."
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_2_4":
        return f"{sentence(where)} mangler et påkrævet underelement efter BPMN 2.0-skemaet.{fix}"
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2":
        return f"Attributten '{attribute or '?'}' er ikke tilladt på {where} ({tag}). Fjern den."
    if type_name == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        missing = _first(r"The attribute '([^']*)' is required", text) or "?"
        return f"{sentence(where)} mangler attributten '{missing}', som BPMN 2.0 kræver. Tilføj den."
    if type_name == "SCHEMAV_CVC_ENUMERATION_VALID":
        value = _first(r"The value '([^']*)'", text) or "?"
        choices = ", ".join(re.findall(r"'([^']*)'", text.rsplit("{", 1)[1])) if "{" in text else ""
        return f"Attributten '{attribute or '?'}' på {where} har værdien '{value}', som ikke er tilladt" + (
            f"; vælg en af: {choices}." if choices else "."
        )
    if type_name.startswith("SCHEMAV_CVC_DATATYPE_VALID") or type_name.startswith("SCHEMAV_CVC_TYPE"):
        value = _first(r": '([^']*)' is not a valid value", text) or "?"
        xs_type = _first(r"'(xs:\w+)'", text)
        expected = _TYPES_DA.get(xs_type or "", "en anden slags værdi")
        subject = f"Attributten '{attribute}' på {where}" if attribute else sentence(where)
        return f"{subject} har værdien '{value}', men skal være {expected}. Ret værdien."
    return f"{sentence(where)} følger ikke BPMN 2.0-skemaet (linje {error.line}).{fix}"


def _first(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None
