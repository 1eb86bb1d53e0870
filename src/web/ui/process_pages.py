"""The process owner's pages: versions with running instances, and the BPMN modeler with deploy."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, jsonify, render_template, request

from engine.diagrams import DiagramError
from tasks.definitions.deployment import DEPLOYERS, deploy_edited, latest_source, list_versions, validate_edited
from tasks.service.errors import Invalid
from web.auth import services
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_processes", __name__)

KEY = "<string(maxlength=100):process_key>"


@bp.get("/processer")
@roles_required(*DEPLOYERS)
def processes():
    versions = list_versions(services().uow())
    grouped = [(key, list(items)) for key, items in groupby(versions, key=lambda v: v.key)]
    return render_template("processes.html", processes=grouped)


@bp.get(f"/processer/{KEY}/modeler")
@roles_required(*DEPLOYERS)
def modeler(process_key: str):
    source = latest_source(services().uow(), page_actor(), process_key)
    return render_template("modeler.html", source=source)


@bp.post(f"/processer/{KEY}/valider")
@roles_required(*DEPLOYERS)
def validate(process_key: str):
    """Validate the modeler's XML without deploying; answers JSON like deploy."""
    try:
        user_tasks = validate_edited(services().uow(), page_actor(), process_key, _posted_bpmn())
    except DiagramError as exc:
        problems = [p.as_dict() for p in exc.problems]
        return jsonify({"message": f"Diagrammet er ikke gyldigt: {exc}", "problems": problems}), 422
    return jsonify({"valid": True, "user_tasks": user_tasks})


@bp.post(f"/processer/{KEY}/udrul")
@roles_required(*DEPLOYERS)
def deploy(process_key: str):
    """Deploy the modeler's XML.  Answers JSON: the new version, or the problems with their element ids."""
    try:
        view = deploy_edited(services().uow(), page_actor(), process_key, _posted_bpmn(), now())
    except DiagramError as exc:
        problems = [p.as_dict() for p in exc.problems]
        return jsonify({"message": f"Diagrammet blev afvist: {exc}", "problems": problems}), 422
    return jsonify({"version": view.version, "key": view.key, "created": view.created}), 201 if view.created else 200


def _posted_bpmn() -> str:
    bpmn_xml = (request.get_json(silent=True) or {}).get("bpmn")
    if not isinstance(bpmn_xml, str) or not bpmn_xml.strip():
        raise Invalid("Diagrammet mangler", {"bpmn": ["Feltet skal udfyldes"]})
    return bpmn_xml
