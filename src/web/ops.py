"""Operations endpoints: liveness, readiness and Prometheus metrics.

``/healthz`` says the process answers; ``/readyz`` that it can do work (database reachable,
schema at the newest migration, a scheduler swept recently); both JSON with 200 or 503.
``/metrics`` wants ``Authorization: Bearer $SAGSFLOW_METRICS_TOKEN`` when that is set.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from flask import Blueprint, Response, current_app, jsonify, request
from sqlalchemy.exc import SQLAlchemyError

from tasks.ops.heartbeat import last_heartbeat, snapshot
from web.auth import services, settings
from web.database import schema_is_current

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz():
    checks = _readiness()
    ready = all(c["ok"] for c in checks.values())
    return jsonify({"status": "ok" if ready else "fejl", "checks": checks}), 200 if ready else 503


@bp.get("/metrics")
def metrics():
    token = settings().metrics_token
    given = request.headers.get("Authorization", "").partition(" ")[2].strip()
    if token and not hmac.compare_digest(given.encode(), token.encode()):
        return jsonify({"code": 401, "status": "Unauthorized", "message": "Mangler eller forkert metrics-token"}), 401
    body = current_app.extensions["sagsflow_metrics"].exposition(snapshot(services().uow(), services().clock.now()))
    return Response(body, mimetype="text/plain; version=0.0.4; charset=utf-8")


def _readiness() -> dict[str, dict]:
    try:
        current = schema_is_current(services().session_factory)
    except SQLAlchemyError as exc:
        failed = {"ok": False, "message": f"Databasen svarer ikke: {type(exc).__name__}"}
        return {"database": failed, "migrations": {"ok": False}, "scheduler": {"ok": False}}
    checks: dict[str, dict] = {"database": {"ok": True}}
    checks["migrations"] = {"ok": current} if current else {"ok": False, "message": "Skemaet er ikke migreret"}
    beat = last_heartbeat(services().uow())
    limit = timedelta(seconds=settings().heartbeat_limit_seconds)
    if beat is None:
        checks["scheduler"] = {"ok": False, "message": "Ingen scheduler har meldt sig"}
    else:
        age = services().clock.now() - beat
        seconds = int(age.total_seconds())
        checks["scheduler"] = {"ok": age <= limit, "last_heartbeat": beat.isoformat(), "age_seconds": seconds}
    return checks
