"""The process owner's pages: versions (which one new cases use, rollback, download), and the BPMN
modeler with validate and deploy."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for

from engine.diagrams import DiagramError
from tasks.definitions.activation import activate_process_version
from tasks.definitions.deployment import (
    DEPLOYERS,
    deploy_edited,
    list_versions,
    process_source,
    validate_edited,
    version_xml,
)
from tasks.service.errors import Forbidden, Invalid, NotFound
from web.auth import services
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_processes", __name__)

KEY = "<string(maxlength=100):process_key>"
VERSION = "<int(max=2147483647):version>"


@bp.get("/processer")
@roles_required(*DEPLOYERS)
def processes():
    versions = list_versions(services().uow())
    grouped = [(key, list(items)) for key, items in groupby(versions, key=lambda v: v.key)]
    return render_template("processes.html", processes=grouped)


@bp.get(f"/processer/{KEY}/modeler")
@roles_required(*DEPLOYERS)
def modeler(process_key: str):
    source = process_source(services().uow(), page_actor(), process_key, _version_arg())
    return render_template("modeler.html", source=source)


@bp.post(f"/processer/{KEY}/valider")
@roles_required(*DEPLOYERS)
def validate(process_key: str):
    """Validate the modeler's XML without deploying; answers JSON like deploy."""
    bpmn_xml, opened = _posted()
    try:
        result = validate_edited(services().uow(), page_actor(), process_key, bpmn_xml, opened)
    except DiagramError as exc:
        return jsonify({"message": f"Diagrammet er ikke gyldigt: {_count(exc)}", "problems": _problems(exc)}), 422
    return jsonify({"valid": True, "executable": result.executable, "user_tasks": result.user_tasks})


@bp.post(f"/processer/{KEY}/udrul")
@roles_required(*DEPLOYERS)
def deploy(process_key: str):
    """Deploy the modeler's XML as a new version of this process.  Answers JSON: the version (with the
    address of its XML, so the modeler can show what it now is), or the problems with their elements."""
    bpmn_xml, opened = _posted()
    try:
        view = deploy_edited(services().uow(), page_actor(), process_key, bpmn_xml, now(), opened)
    except DiagramError as exc:
        return jsonify({"message": f"Diagrammet blev afvist: {_count(exc)}", "problems": _problems(exc)}), 422
    body = {
        "version": view.version,
        "key": view.key,
        "name": view.name,
        "created": view.created,
        "activated": view.activated,
        "executable": view.executable,
        "xml_url": url_for("ui_cases.diagram", version_id=view.id),
    }
    return jsonify(body), 201 if view.created else 200


@bp.post(f"/processer/{KEY}/versioner/{VERSION}/aktiver")
@roles_required(*DEPLOYERS)
def activate(process_key: str, version: int):
    """Make an earlier (or later) version the one new cases use: a rollback."""
    try:
        view = activate_process_version(services().uow(), page_actor(), process_key, version, now())
        if view.activated:
            flash(f"Version {version} af «{view.name}» bruges nu af nye sager. Kørende sager fortsætter.", "success")
        else:
            flash(f"Version {version} af «{view.name}» var allerede den, nye sager bruger.", "info")
    except DiagramError as exc:
        flash(f"Version {version} kan ikke bruges af nye sager: {exc.problems[0].message}", "error")
    except (Invalid, Forbidden, NotFound) as exc:
        flash(exc.message, "error")
    return redirect(url_for("ui_processes.processes") + f"#p-{process_key}")


@bp.get(f"/processer/{KEY}/versioner/{VERSION}.bpmn")
@roles_required(*DEPLOYERS)
def download(process_key: str, version: int):
    filename, xml = version_xml(services().uow(), page_actor(), process_key, version)
    return Response(
        xml, mimetype="application/xml", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _count(exc: DiagramError) -> str:
    n = len(exc.problems)
    return ("ét problem" if n == 1 else f"{n} problemer") + " (se listen under diagrammet); intet er udrullet."


def _problems(exc: DiagramError) -> list[dict]:
    return [p.as_dict() for p in exc.problems]


def _version_arg() -> int | None:
    raw = request.args.get("version")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 9:
        raise Invalid("Versionen skal være et tal", {"version": ["Skal være et positivt heltal"]})
    return int(raw)


def _posted() -> tuple[str, int | None]:
    body = request.get_json(silent=True) or {}
    bpmn_xml = body.get("bpmn")
    if not isinstance(bpmn_xml, str) or not bpmn_xml.strip():
        raise Invalid("Diagrammet mangler", {"bpmn": ["Feltet skal udfyldes"]})
    opened = body.get("version")
    if opened is not None and (not isinstance(opened, int) or isinstance(opened, bool) or not 0 < opened < 2**31):
        raise Invalid("Versionen skal være et tal", {"version": ["Skal være et positivt heltal"]})
    return bpmn_xml, opened
