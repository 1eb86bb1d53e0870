"""The monthly statistics files for ledere and administratorer: the list and each month's CSV."""

from __future__ import annotations

from flask import Blueprint, render_template

from tasks.reports.statistics import STATISTICS_ROLES, delivery_csv, list_deliveries
from web.api.reporting import csv_download
from web.auth import services
from web.ui.session import page_actor, roles_required

bp = Blueprint("ui_statistics", __name__)


@bp.get("/statistik")
@roles_required(*STATISTICS_ROLES)
def deliveries():
    return render_template("statistics.html", deliveries=list_deliveries(services().uow(), page_actor()))


@bp.get("/statistik/<month>.csv")
@roles_required(*STATISTICS_ROLES)
def delivery(month: str):
    filename, content = delivery_csv(services().uow(), page_actor(), month)
    return csv_download("\ufeff" + content, filename)
