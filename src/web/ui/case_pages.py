"""A case's page (timeline, tasks, frister, diagram) and the diagram XML the viewer loads."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from tasks.cases.page import case_page
from tasks.cases.responsibility import set_sagsansvarlig
from tasks.definitions.deployment import diagram_source
from tasks.letters.reading import letter_pdf
from tasks.service.errors import Forbidden, Invalid
from web.auth import services
from web.downloads import xml_download
from web.ui.session import login_required, now, page_actor

bp = Blueprint("ui_cases", __name__)


@bp.get("/sager/<int(max=2147483647):case_id>")
@login_required
def case(case_id: int):
    return render_template("case.html", page=case_page(services().uow(), page_actor(), case_id))


@bp.post("/sager/<int(max=2147483647):case_id>/sagsansvarlig")
@login_required
def sagsansvarlig(case_id: int):
    try:
        username = set_sagsansvarlig(services().uow(), page_actor(), case_id, request.form.get("username", ""), now())
        flash(f"{username} er nu sagsansvarlig.", "success")
    except (Forbidden, Invalid) as exc:
        flash(exc.message, "error")
    return redirect(url_for("ui_cases.case", case_id=case_id))


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
