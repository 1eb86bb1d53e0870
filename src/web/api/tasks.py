from __future__ import annotations

from flask import request
from flask_smorest import Blueprint

from tasks.drafts.saving import load_draft, save_draft
from tasks.service.errors import Invalid, NotFound
from tasks.work.claims import assign, claim, unclaim
from tasks.work.completion import complete_task
from tasks.work.due_dates import reschedule_task
from tasks.work.inbox import InboxFilter, get_task, list_tasks
from web.api.schemas import (
    AssignSchema,
    CompletedSchema,
    DraftSchema,
    FormDataSchema,
    RescheduleSchema,
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


@blp.route("/<int(max=2147483647):task_id>/due", methods=["POST"])
@blp.arguments(RescheduleSchema)
@blp.response(200, TaskSchema)
def reschedule(body: dict, task_id: int):
    """Change the task's due time with a reason (journalled); the legal frist keeps its own due time."""
    return reschedule_task(
        services().uow(), current_actor(), task_id, body["due_at"], body["reason"], services().clock.now()
    )


@blp.route("/<int(max=2147483647):task_id>/draft", methods=["PUT"])
@blp.arguments(DraftSchema)
@blp.response(200, DraftSchema)
def put_draft(body: dict, task_id: int):
    """Save the form unfinished (your own draft of this task; cleared when the task is completed)."""
    return save_draft(services().uow(), current_actor(), task_id, body["data"], services().clock.now())


@blp.route("/<int(max=2147483647):task_id>/draft", methods=["GET"])
@blp.response(200, DraftSchema)
def get_draft(task_id: int):
    """Your saved draft of the task (404 when there is none)."""
    draft = load_draft(services().uow(), current_actor(), task_id)
    if draft is None:
        raise NotFound("Der er ingen kladde")
    return draft


def _if_match() -> int | None:
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    try:
        return int(raw.strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        raise Invalid("If-Match skal være sagens version (et heltal)", {"If-Match": ["Skal være et heltal"]}) from None
