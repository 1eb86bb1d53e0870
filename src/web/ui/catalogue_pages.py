"""The kvalitetsstandard's catalogue in the browser (procesejere): what is in force — ydelser, paragraffer, frister,
serviceniveauer, leverandører — every version of its two files, upload of a new file and activation of a version.
A bad file re-renders the page with the Danish error naming the field or the line; nothing is stored."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for

from tasks.catalogue.entries import KEYS
from tasks.catalogue.publishing import NAMES_DA, activate_catalogue, catalogue_source, upload_catalogue
from tasks.catalogue.views import catalogue_page
from tasks.kvalitetsstandard.tables import EDITORS
from tasks.service.errors import Forbidden, Invalid, NotFound
from web.auth import services
from web.downloads import xml_download
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_catalogue", __name__)

KEY = "<any(ydelser, leverandoerer):key>"
VERSION = "<int(max=2147483647):version>"


@bp.get("/kvalitetsstandard/katalog")
@roles_required(*EDITORS)
def catalogue():
    return _render()


@bp.post(f"/kvalitetsstandard/katalog/{KEY}")
@roles_required(*EDITORS)
def upload(key: str):
    """Deploy an uploaded file as the new version in force."""
    file = request.files.get("fil")
    try:
        if file is None or not file.filename:
            raise Invalid("Vælg en fil", {"fil": ["Vælg en JSON-fil med katalogets indhold"]})
        view = upload_catalogue(services().uow(), page_actor(), key, file.read(), now())
    except Invalid as exc:
        return _render(key, exc), 422
    what = NAMES_DA[key].capitalize()
    if view.created:
        flash(f"{what} version {view.version} er udrullet og gælder nu.", "success")
    else:
        flash(f"Indholdet var det samme som version {view.version}, som nu gælder.", "info")
    return redirect(url_for("ui_catalogue.catalogue", _anchor=f"filer-{key}"))


@bp.post(f"/kvalitetsstandard/katalog/{KEY}/versioner/{VERSION}/aktiver")
@roles_required(*EDITORS)
def activate(key: str, version: int):
    """Make an earlier version the one in force (a rollback); it must still agree with the tables."""
    try:
        view = activate_catalogue(services().uow(), page_actor(), key, version, now())
    except Invalid as exc:
        return _render(key, exc), 422
    except (Forbidden, NotFound) as exc:
        flash(exc.message, "error")
    else:
        state = "gælder nu" if view.activated else "gjaldt allerede"
        flash(f"Version {version} af {NAMES_DA[key]} {state}.", "success" if view.activated else "info")
    return redirect(url_for("ui_catalogue.catalogue", _anchor=f"filer-{key}"))


@bp.get(f"/kvalitetsstandard/katalog/{KEY}.json")
@roles_required(*EDITORS)
def download(key: str):
    """The file in force, to edit and upload again."""
    source = catalogue_source(services().uow(), key)
    content = json.dumps(source.content, ensure_ascii=False, indent=2) + "\n"
    return xml_download(content, f"{key}-v{source.version.version}.json")


def _render(key: str | None = None, error: Invalid | None = None) -> str:
    return render_template(
        "catalogue.html",
        page=catalogue_page(services().uow(), page_actor()),
        keys=KEYS,
        names=NAMES_DA,
        failed_key=key,
        error=error,
    )
