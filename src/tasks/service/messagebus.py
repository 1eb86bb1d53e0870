"""The message bus: what a command did, handed to the parts of the application that care.

A use case changes the domain and *publishes* events on its unit of work (a task opened, a task
completed, an activity of the diagram completed, the instance ended, ...).  Before the unit of work
commits, the bus hands each event to the handlers subscribed to its type: the journal writes it
down, the frister open and close, letters are written, a klage re-opens its main case.  Handlers
run inside the same transaction, so a command and everything it causes commit together or not at
all.  A handler may publish further events; they are handled in order, right after the current one
(before the rest of the queue), so what an event causes is journalled right after it — an afslag's
afgørelse and its letter before the case closes.

The subscriptions are wired once, in ``tasks.handlers``; nothing here knows any event type.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tasks.service.uow import UnitOfWork

Handler = Callable[[Any, "UnitOfWork"], None]

MAX_EVENTS_PER_COMMAND = 10_000  # a handler that keeps publishing is a bug; stop it, roll back


class EventStorm(RuntimeError):
    """A command published more events than any real command does (a handler loop)."""


class MessageBus:
    def __init__(self, handlers: Mapping[type, Sequence[Handler]]) -> None:
        self._handlers = {event_type: tuple(subscribers) for event_type, subscribers in handlers.items()}

    def handlers_for(self, event: object) -> tuple[Handler, ...]:
        return self._handlers.get(type(event), ())

    def dispatch(self, queue: deque[object], uow: UnitOfWork) -> int:
        """Handle every queued event (and those its handlers publish); return how many."""
        handled = 0
        while queue:
            event = queue.popleft()
            handled += 1
            if handled > MAX_EVENTS_PER_COMMAND:
                raise EventStorm(f"more than {MAX_EVENTS_PER_COMMAND} events in one command")
            waiting = len(queue)
            for handler in self.handlers_for(event):
                handler(event, uow)
            caused = [queue.pop() for _ in range(len(queue) - waiting)]
            queue.extendleft(caused)  # popped newest first, so extendleft restores their order at the front
        return handled


NO_HANDLERS = MessageBus({})
