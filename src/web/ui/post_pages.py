"""The physical post: the days' print batches for administrators and ledere, each one PDF to print."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from tasks.letters.print_batch import PRINT_ROLES, batch_pdf, list_batches
from web.api.post import parse_day
from web.auth import services
from web.ui.session import page_actor, roles_required

bp = Blueprint("ui_post", __name__)


@bp.get("/fysisk-post")
@roles_required(*PRINT_ROLES)
def batches():
    return render_template("print_batches.html", batches=list_batches(services().uow(), page_actor()))


@bp.get("/fysisk-post/<day>.pdf")
@roles_required(*PRINT_ROLES)
def batch(day: str):
    filename, pdf = batch_pdf(services().uow(), page_actor(), parse_day(day, "dag"), purpose="ui:printbatch")
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
