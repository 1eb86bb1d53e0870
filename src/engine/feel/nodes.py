"""The syntax tree of an expression: small immutable nodes, each knowing its depth.

The parser builds them bottom-up (lark's LALR callbacks), so depth is known as each node is made
and an expression nested deeper than ``values.MAX_DEPTH`` is refused before anything recurses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Node:
    depth: int = field(default=1, init=False, compare=False)

    def children(self) -> tuple[Node, ...]:
        return ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "depth", 1 + max((c.depth for c in self.children()), default=0))


@dataclass(frozen=True)
class Literal(Node):
    value: Any


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Path(Node):
    base: Node
    key: str

    def children(self) -> tuple[Node, ...]:
        return (self.base,)


@dataclass(frozen=True)
class ListNode(Node):
    items: tuple[Node, ...]

    def children(self) -> tuple[Node, ...]:
        return self.items


@dataclass(frozen=True)
class ContextNode(Node):
    entries: tuple[tuple[str, Node], ...]

    def children(self) -> tuple[Node, ...]:
        return tuple(v for _, v in self.entries)


@dataclass(frozen=True)
class RangeNode(Node):
    low: Node
    high: Node
    low_closed: bool
    high_closed: bool

    def children(self) -> tuple[Node, ...]:
        return (self.low, self.high)


@dataclass(frozen=True)
class Negate(Node):
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Binary(Node):
    """``+ - * /``, ``and``, ``or``, and the comparisons ``= != < <= > >=``."""

    op: str
    left: Node
    right: Node

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class If(Node):
    condition: Node
    then: Node
    otherwise: Node

    def children(self) -> tuple[Node, ...]:
        return (self.condition, self.then, self.otherwise)


@dataclass(frozen=True)
class Between(Node):
    value: Node
    low: Node
    high: Node

    def children(self) -> tuple[Node, ...]:
        return (self.value, self.low, self.high)


@dataclass(frozen=True)
class In(Node):
    value: Node
    target: Node

    def children(self) -> tuple[Node, ...]:
        return (self.value, self.target)


@dataclass(frozen=True)
class Call(Node):
    """A function call; ``named`` is True when every argument was written ``name: value``."""

    function: str
    args: tuple[Node, ...]
    names: tuple[str, ...] = ()

    def children(self) -> tuple[Node, ...]:
        return self.args


@dataclass(frozen=True)
class UnaryTest(Node):
    """One test of a decision-table cell: ``< 5`` (op '<'), or a value to equal (op '=')."""

    op: str
    operand: Node

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)


COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})
ARITHMETIC = frozenset({"+", "-", "*", "/"})


def walk(node: Node) -> list[Node]:
    """Every node of the tree (depth is bounded, so recursion is safe)."""
    found = [node]
    for child in node.children():
        found.extend(walk(child))
    return found
