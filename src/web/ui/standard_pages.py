"""The kvalitetsstandard's decision tables in the browser: versions, and the dmn-js editor with deploy."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, jsonify, render_template, request

from engine.diagrams import DiagramError
from tasks.kvalitetsstandard.tables import EDITORS, decision_source, deploy_decision, list_decision_versions
from tasks.service.errors import Invalid
from web.auth import services
from web.downloads import xml_download
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_standard", __name__)

KEY = "<string(maxlength=100):key>"


@bp.get("/kvalitetsstandard")
@roles_required(*EDITORS)
def tables():
    versions = list_decision_versions(services().uow())
    grouped = [(key, list(items)) for key, items in groupby(versions, key=lambda v: v.key)]
    return render_template("standard.html", tables=grouped)


@bp.get(f"/kvalitetsstandard/{KEY}/editor")
@roles_required(*EDITORS)
def editor(key: str):
    return render_template("dmn_editor.html", source=decision_source(services().uow(), page_actor(), key))


@bp.get(f"/kvalitetsstandard/{KEY}.dmn")
@roles_required(*EDITORS)
def table_xml(key: str):
    return xml_download(decision_source(services().uow(), page_actor(), key).dmn_xml, f"{key}.dmn")


@bp.post(f"/kvalitetsstandard/{KEY}/udrul")
@roles_required(*EDITORS)
def deploy(key: str):
    """Deploy the editor's XML; answers JSON like the BPMN modeler's deploy."""
    dmn_xml = (request.get_json(silent=True) or {}).get("dmn")
    if not isinstance(dmn_xml, str) or not dmn_xml.strip():
        raise Invalid("Tabellen mangler", {"dmn": ["Feltet skal udfyldes"]})
    try:
        view = deploy_decision(services().uow(), page_actor(), dmn_xml, now())
    except DiagramError as exc:
        problems = [p.as_dict() for p in exc.problems]
        return jsonify({"message": f"Tabellen blev afvist: {exc}", "problems": problems}), 422
    return jsonify({"version": view.version, "key": view.key, "created": view.created}), 201 if view.created else 200
