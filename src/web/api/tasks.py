from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from tasks.service.errors import Invalid
from tasks.work.claims import assign, claim, unclaim
from tasks.work.completion import complete_task
from tasks.work.inbox import InboxFilter, get_task, list_tasks
from web.api.schemas import (
    AssignSchema,
    CompletedSchema,
    FormDataSchema,
    TaskListItemSchema,
    TaskQuerySchema,
    TaskSchema,
)
from web.auth import current_actor, services

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks", description="Opgaver (indbakke)")


@blp.route("", methods=["GET"])
@blp.arguments(TaskQuerySchema, location="query")
@blp.response(200, TaskListItemSchema(many=True))
def inbox(query: dict):
    """Tasks of your roles, soonest frist first."""
    if "status" in query:
        query["status"] = tuple(query["status"])
    return list_tasks(services().uow(), current_actor(), InboxFilter(**query))


@blp.route("/<int(max=2147483647):task_id>", methods=["GET"])
@blp.response(200, TaskSchema)
def read(task_id: int):
    """One task with its form (JSON Schema)."""
    return get_task(services().uow(), current_actor(), task_id)


@blp.route("/<int(max=2147483647):task_id>/claim", methods=["POST"])
@blp.response(200, TaskSchema)
def claim_task(task_id: int):
    """Take the task."""
    return claim(services().uow(), current_actor(), task_id, services().clock.now())


@blp.route("/<int(max=2147483647):task_id>/unclaim", methods=["POST"])
@blp.response(200, TaskSchema)
def unclaim_task(task_id: int):
    """Put the task back in its role's queue."""
    return unclaim(services().uow(), current_actor(), task_id, services().clock.now())


@blp.route("/<int(max=2147483647):task_id>/assign", methods=["POST"])
@blp.arguments(AssignSchema)
@blp.response(200, TaskSchema)
def assign_task(body: dict, task_id: int):
    """Give the task to a user who holds its role."""
    return assign(services().uow(), current_actor(), task_id, body["username"], services().clock.now())


@blp.route("/<int(max=2147483647):task_id>/complete", methods=["POST"])
@blp.arguments(FormDataSchema)
@blp.response(200, CompletedSchema)
@blp.doc(
    parameters=[
        {
            "in": "header",
            "name": "If-Match",
            "schema": {"type": "string"},
            "required": False,
            "description": "Sagens version fra GET /tasks/{id}; forældet version giver 409",
        }
    ]
)
def complete(data: dict, task_id: int):
    """Complete the task with its form data as the JSON body."""
    return complete_task(services().uow(), current_actor(), task_id, data, services().clock.now(), _if_match())


def _if_match() -> int | None:
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    try:
        return int(raw.strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        raise Invalid("If-Match skal være sagens version (et heltal)", {"If-Match": ["Skal være et heltal"]}) from None
