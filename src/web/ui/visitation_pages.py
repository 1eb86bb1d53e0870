"""The visitationsudvalg's page: the meetings with indstillinger awaiting the udvalg, and the udvalg's decision on
each, recorded through the indstilling's task (the leder registers it, as on the task page)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from tasks.service.errors import Conflict, Forbidden, Invalid
from tasks.visitation.meetings import READERS, awaiting_udvalg, decide_indstilling
from web.auth import services
from web.ui.session import now, page_actor, roles_required

bp = Blueprint("ui_visitation", __name__)

CHOICES = {"fulgt": True, "ikke_fulgt": False}


@bp.get("/visitationsudvalg")
@roles_required(*READERS)
def meetings():
    return _render()


@bp.post("/visitationsudvalg/indstillinger/<int(max=2147483647):indstilling_id>")
@roles_required(*READERS)
def decide(indstilling_id: int):
    choice, comment = request.form.get("afgoerelse", ""), request.form.get("kommentar", "")
    values = {"afgoerelse": choice, "kommentar": comment}
    try:
        if choice not in CHOICES:
            raise Invalid("Vælg udvalgets afgørelse", {"afgoerelse": ["Vælg, om indstillingen følges"]})
        done = decide_indstilling(services().uow, page_actor(), indstilling_id, CHOICES[choice], comment, now())
    except Invalid as exc:
        errors = {"kommentar" if k == "kompetence_kommentar" else k: v for k, v in exc.errors.items()}
        return _render(indstilling_id, errors, values, exc.message), 422
    except (Conflict, Forbidden) as exc:
        flash(exc.message, "error")
        return redirect(url_for("ui_visitation.meetings"))
    flash(f"Udvalgets afgørelse er registreret på {done.task.case_reference}.", "success")
    return redirect(url_for("ui_visitation.meetings"))


def _render(
    failed: int | None = None, errors: dict | None = None, values: dict | None = None, message: str | None = None
) -> str:
    return render_template(
        "visitation.html",
        meetings=awaiting_udvalg(services().uow(), page_actor()),
        failed=failed,
        errors=errors or {},
        values=values or {},
        message=message,
    )
