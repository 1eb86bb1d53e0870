"""The shipped pathways' Python side (sagsbehandling, klage, ophold): what each relies on in its diagram,
its start data and its own frist rules.

A procesejer may edit a shipped diagram in the modeler.  The code relies on a few of its element
ids and form fields (the Behandling subprocess closes the sagsbehandlingsfrist and writes the
afgørelsesbrev; a klage's genvurdering writes a letter and may re-open the main case …).  Each
pathway declares them here, and a new version of that process that drops or renames one is
refused, naming it (``check_pathway``), instead of silently stopping a frist or a letter.
"""

from __future__ import annotations

from engine.diagrams import DiagramProblem, ParsedDiagram
from tasks.pathways.declaration import Pathway
from tasks.pathways.klage import KLAGE
from tasks.pathways.ophold import FORSORGSHJEM, KRISECENTER
from tasks.pathways.sagsbehandling import SAGSBEHANDLING

PATHWAYS: dict[str, Pathway] = {p.process_key: p for p in (SAGSBEHANDLING, KLAGE, KRISECENTER, FORSORGSHJEM)}


def pathway_for(process_key: str) -> Pathway | None:
    return PATHWAYS.get(process_key)


def check_pathway(parsed: ParsedDiagram, forms: dict[str, dict]) -> list[DiagramProblem]:
    """Problems with a new version of a shipped pathway: every id and field the code relies on stays."""
    pathway = pathway_for(parsed.process_key)
    return pathway.problems_with(parsed, forms) if pathway is not None else []


__all__ = ["PATHWAYS", "Pathway", "check_pathway", "pathway_for"]
