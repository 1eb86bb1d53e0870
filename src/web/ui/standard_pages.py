"""The kvalitetsstandard's decision tables in the browser: versions (which one is in force, rollback),
and the dmn-js editor with deploy."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from engine.diagrams import DiagramError
from tasks.kvalitetsstandard.tables import (
    EDITORS,
    activate_decision,
    decision_source,
    deploy_decision,
    list_decision_versions,
)
from tasks.service.errors import Forbidden, Invalid, NotFound
from web.auth import services
from web.downloads import xml_download
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_standard", __name__)

KEY = "<string(maxlength=100):key>"
VERSION = "<int(max=2147483647):version>"


@bp.get("/kvalitetsstandard")
@roles_required(*EDITORS)
def tables():
    versions = list_decision_versions(services().uow())
    grouped = [(key, list(items)) for key, items in groupby(versions, key=lambda v: v.key)]
    return render_template("standard.html", tables=grouped)


@bp.get(f"/kvalitetsstandard/{KEY}/editor")
@roles_required(*EDITORS)
def editor(key: str):
    source = decision_source(services().uow(), page_actor(), key, _version_arg())
    return render_template("dmn_editor.html", source=source)


@bp.get(f"/kvalitetsstandard/{KEY}.dmn")
@roles_required(*EDITORS)
def table_xml(key: str):
    return xml_download(decision_source(services().uow(), page_actor(), key, _version_arg()).dmn_xml, f"{key}.dmn")


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
    body = {"version": view.version, "key": view.key, "created": view.created, "activated": view.activated}
    return jsonify(body), 201 if view.created else 200


@bp.post(f"/kvalitetsstandard/{KEY}/versioner/{VERSION}/aktiver")
@roles_required(*EDITORS)
def activate(key: str, version: int):
    """Make an earlier version of the table the one new cases read: a rollback."""
    try:
        view = activate_decision(services().uow(), page_actor(), key, version, now())
        if view.activated:
            flash(f"Version {version} af «{view.name}» gælder nu for nye sager.", "success")
        else:
            flash(f"Version {version} af «{view.name}» gjaldt allerede for nye sager.", "info")
    except DiagramError as exc:
        flash(f"Version {version} kan ikke bruges: {exc.problems[0].message}", "error")
    except (Forbidden, NotFound) as exc:
        flash(exc.message, "error")
    return redirect(url_for("ui_standard.tables") + f"#t-{key}")


def _version_arg() -> int | None:
    raw = request.args.get("version")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise Invalid("Versionen skal være et tal", {"version": ["Skal være et positivt heltal"]})
    return int(raw)
