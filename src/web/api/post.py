"""The physical post: the day's print batch (one PDF, an address page before each letter)."""

from __future__ import annotations

from datetime import date

from flask import Response
from flask_smorest import Blueprint

from tasks.letters.print_batch import batch_pdf, list_batches
from tasks.letters.resend import letter_problems
from tasks.service.errors import Invalid
from web.api.schemas import LetterProblemSchema, PrintBatchSchema
from web.auth import current_actor, services

blp = Blueprint("post", __name__, url_prefix="/api/v1/print-batches", description="Fysisk post")


@blp.route("", methods=["GET"])
@blp.response(200, PrintBatchSchema(many=True))
def batches():
    """The newest days' print batches (administrators and ledere)."""
    return list_batches(services().uow(), current_actor())


@blp.route("/<day>/pdf", methods=["GET"])
@blp.response(200, content_type="application/pdf", description="Dagens fysiske post som én PDF")
def pdf(day: str):
    """The day's print batch; access-logged on every case with a letter in it."""
    filename, content = batch_pdf(services().uow(), current_actor(), parse_day(day, "day"))
    return Response(
        content, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


problems_blp = Blueprint("letter_problems", __name__, url_prefix="/api/v1/letter-problems", description="Brevproblemer")


@problems_blp.route("", methods=["GET"])
@problems_blp.response(200, LetterProblemSchema(many=True))
def problems():
    """Failed and held letters on the cases the leder may see, by team; each case listed is access-logged."""
    return letter_problems(services().uow(), current_actor())


def parse_day(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(f"Ugyldig dato i '{field}'", {field: ["Brug formatet ÅÅÅÅ-MM-DD"]}) from None
