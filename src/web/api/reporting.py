"""Statutory reporting: the monthly statistics files, and the published sagsbehandlingsfrister (public)."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from tasks.kvalitetsstandard.published import published_frister
from tasks.reports.statistics import delivery_csv, list_deliveries
from web.api.schemas import PublishedFristerSchema, StatisticsDeliverySchema
from web.auth import current_actor, services

blp = Blueprint("reporting", __name__, url_prefix="/api/v1", description="Statistik og offentliggjorte frister")


@blp.route("/statistics", methods=["GET"])
@blp.response(200, StatisticsDeliverySchema(many=True))
def deliveries():
    """The monthly statistics files the scheduler produced, newest first (ledere and administratorer)."""
    return list_deliveries(services().uow(), current_actor())


@blp.route("/statistics/<month>.csv", methods=["GET"])
@blp.response(200, content_type="text/csv", description="Månedens statistik (semikolonsepareret, UTF-8 med BOM)")
def delivery(month: str):
    """One month's file (ÅÅÅÅ-MM)."""
    filename, content = delivery_csv(services().uow(), current_actor(), month)
    return csv_download("\ufeff" + content, filename)


@blp.route("/sagsbehandlingsfrister", methods=["GET"])
@blp.response(200, PublishedFristerSchema)
@blp.doc(security=[])
def frister():
    """The published sagsbehandlingsfrister, from the table in force (public: no login)."""
    return published_frister(services().uow())


def csv_download(content: str, filename: str) -> Response:
    return Response(
        content,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
