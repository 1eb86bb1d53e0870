"""What can go wrong with an expression.  Messages are Danish: they reach process owners."""

from __future__ import annotations


class FeelError(ValueError):
    """An expression could not be read, checked or evaluated; ``str()`` is the Danish reason."""


class FeelSyntaxError(FeelError):
    """The text is not FEEL of the supported subset (or is another tool's syntax)."""


class FeelTypeError(FeelError):
    """A value of the wrong type for an operator, a function or the expression's place."""


class FeelLimitError(FeelError):
    """An expression is too long, too deeply nested, or produced a value that is too large."""
