"""Errors the engine raises to the layer above.  Every message is Danish and names the element.

``ProcessError`` lives here (not in runtime.py) so the expression adapter, the DMN evaluator and
the runtime can all raise it without importing each other.
"""

from __future__ import annotations


class ProcessError(Exception):
    """The process could not continue (a failing expression, a bad value, a runaway loop, ...).

    ``element_id`` is the BPMN/DMN id of the element that failed, when one is known; the caller
    rolls its transaction back, so nothing of the failed command is stored.
    """

    def __init__(self, element_id: str | None, message: str) -> None:
        self.element_id = element_id
        self.message = message
        super().__init__(f"{element_id}: {message}" if element_id else message)


class RunawayProcess(ProcessError):
    """A command used up its step or time budget: the diagram loops without waiting."""


class StateTooLarge(ProcessError):
    """The instance's serialized state would exceed the cap; nothing was stored."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            None,
            f"Sagens procesdata ville fylde {_megabytes(size)} (højst {_megabytes(limit)} pr. sag); "
            "intet er gemt. Gem store data som dokumenter, ikke som procesdata.",
        )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")
