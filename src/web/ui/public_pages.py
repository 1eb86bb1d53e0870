"""Public pages (no login): the published sagsbehandlingsfrister (retssikkerhedsloven § 3, stk. 2)."""

from __future__ import annotations

from flask import Blueprint, render_template

from tasks.kvalitetsstandard.published import published_frister
from web.auth import services

bp = Blueprint("ui_public", __name__)


@bp.get("/sagsbehandlingsfrister")
def frister():
    return render_template("published_frister.html", published=published_frister(services().uow()))
