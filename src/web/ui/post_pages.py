"""The physical post: the days' print batches for administrators and ledere, each one PDF to print; the leder's
Brevproblemer (letters that failed or are held) and sending a failed letter again."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from tasks.letters.print_batch import PRINT_ROLES, batch_pdf, list_batches
from tasks.letters.resend import PROBLEM_ROLES, RESEND_ROLES, letter_problems, resend_letter
from tasks.service.errors import Conflict
from web.api.post import parse_day
from web.auth import services
from web.ui.session import now, page_actor, roles_required

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


@bp.get("/brevproblemer")
@roles_required(*PROBLEM_ROLES)
def problems():
    rows = letter_problems(services().uow(), page_actor(), purpose="ui:brevproblemer")
    return render_template("letter_problems.html", problems=rows)


@bp.post("/sager/<int(max=2147483647):case_id>/breve/<int(max=2147483647):letter_id>/send-igen")
@roles_required(*RESEND_ROLES)
def resend(case_id: int, letter_id: int):
    """Back to where the button was (the case page or Brevproblemer); a refusal is shown there, in Danish."""
    try:
        sent = resend_letter(services().uow(), page_actor(), case_id, letter_id, now())
        flash(f"Brevet «{sent.title}» sendes igen ved næste afsendelse.", "success")
    except Conflict as exc:
        flash(exc.message, "error")
    back = url_for("ui_post.problems") if request.form.get("tilbage") == "brevproblemer" else None
    return redirect(back or url_for("ui_cases.case", case_id=case_id))
