"""A case's page (timeline, tasks, frister, diagram) and the diagram XML the viewer loads."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from tasks.case_page import case_page
from tasks.deployment import diagram_source
from tasks.letters import letter_pdf
from web.auth import services
from web.downloads import xml_download
from web.ui.session import login_required, page_actor

bp = Blueprint("ui_cases", __name__)


@bp.get("/sager/<int(max=2147483647):case_id>")
@login_required
def case(case_id: int):
    return render_template("case.html", page=case_page(services().uow(), page_actor(), case_id))


@bp.get("/sager/<int(max=2147483647):case_id>/breve/<int(max=2147483647):letter_id>.pdf")
@login_required
def letter(case_id: int, letter_id: int):
    filename, pdf = letter_pdf(services().uow(), page_actor(), case_id, letter_id, purpose="ui:brev")
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.get("/diagrammer/<int(max=2147483647):version_id>.bpmn")
@login_required
def diagram(version_id: int):
    source = diagram_source(services().uow(), version_id)
    return xml_download(source.bpmn_xml, f"diagram-{version_id}.bpmn")
