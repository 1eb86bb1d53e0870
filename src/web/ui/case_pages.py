"""A case's page (the case's file: facts, tasks, frister, decisions, notes, documents, letters, linked cases and
the timeline with filters), moving it to another team, and the diagram XML the viewer loads."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from tasks.cases.page import case_page
from tasks.cases.responsibility import set_sagsansvarlig
from tasks.cases.teams import MOVERS, move_case
from tasks.cases.timeline import KINDS
from tasks.definitions.deployment import diagram_source
from tasks.letters.reading import letter_pdf
from tasks.service.errors import Forbidden, Invalid
from web.auth import services, settings
from web.downloads import xml_download
from web.ui.session import login_required, now, page_actor, roles_required

bp = Blueprint("ui_cases", __name__)

ID = "<int(max=2147483647):case_id>"


@bp.get(f"/sager/{ID}")
@login_required
def case(case_id: int):
    return render_case(case_id)


def render_case(case_id: int, errors: dict | None = None, values: dict | None = None, status: int = 200):
    kind = request.args.get("vis", "alle")
    page = case_page(services().uow(), page_actor(), case_id, kind=kind if kind in KINDS else "alle")
    html = render_template(
        "case.html",
        page=page,
        kinds=KINDS,
        kind=kind,
        errors=errors or {},
        values=values or {},
        movers=MOVERS,
        max_upload_mb=round(settings().max_upload_bytes / 1024 / 1024),
    )
    return html, status


@bp.post(f"/sager/{ID}/team")
@roles_required(*MOVERS)
def move(case_id: int):
    team = request.form.get("team", "").strip()
    try:
        moved = move_case(services().uow(), page_actor(), case_id, team, now())
    except Invalid as exc:
        return render_case(case_id, errors={f"move.{k}": v for k, v in exc.errors.items()}, status=422)
    flash(f"{moved.reference} er flyttet til {moved.team}.", "success")
    return redirect(url_for("ui_cases.case", case_id=case_id))


@bp.post(f"/sager/{ID}/sagsansvarlig")
@login_required
def sagsansvarlig(case_id: int):
    try:
        username = set_sagsansvarlig(services().uow(), page_actor(), case_id, request.form.get("username", ""), now())
        flash(f"{username} er nu sagsansvarlig.", "success")
    except (Forbidden, Invalid) as exc:
        flash(exc.message, "error")
    return redirect(url_for("ui_cases.case", case_id=case_id))


@bp.get(f"/sager/{ID}/breve/<int(max=2147483647):letter_id>.pdf")
@login_required
def letter(case_id: int, letter_id: int):
    filename, pdf = letter_pdf(services().uow(), page_actor(), case_id, letter_id, purpose="ui:brev")
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.get("/diagrammer/<int(max=2147483647):version_id>.bpmn")
@login_required
def diagram(version_id: int):
    source = diagram_source(services().uow(), version_id)
    return xml_download(source.bpmn_xml, f"diagram-{version_id}.bpmn")
