"""Named operations a diagram's service task may call: a registry the host fills at start-up.

The engine knows an operation only as a name, its parameters and a pure function from the evaluated
parameters to the result the process data gets.  What the operation *does* (write a letter, create a
bestilling) is the application's: the runtime reports every call as a ``ServiceCalled`` event, and
the layer above performs it in the same transaction.  A diagram that calls an operation the registry
does not have, or with parameters it does not take, is refused at deploy naming the element.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    required: bool = True


@dataclass(frozen=True)
class Operation:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    # The evaluated parameters -> what the process data gets under the task's result variable.
    result: Callable[[Mapping[str, Any]], dict[str, Any]]

    def usage(self) -> str:
        names = ", ".join(p.name + ("" if p.required else " (valgfri)") for p in self.parameters)
        return f"{self.name}({names})"


class Operations:
    def __init__(self, operations: Iterable[Operation] = ()) -> None:
        self._by_name = {op.name: op for op in operations}

    def get(self, name: str) -> Operation | None:
        return self._by_name.get(name)

    def known(self) -> str:
        """The operations in words, for a refusal: 'skriv_brev (Skriv et brev ...), ...'."""
        return "; ".join(f"{op.usage()}: {op.description}" for op in self._by_name.values()) or "ingen"

    def problems(self, name: str, given: Iterable[str]) -> list[str]:
        """Danish problems with a call of ``name`` with parameters ``given`` ([] when it is fine)."""
        operation = self.get(name)
        if operation is None:
            return [f"Sagsflow har ingen operation, der hedder '{name}'. Kendte operationer: {self.known()}"]
        problems = []
        given = list(given)
        takes = {p.name for p in operation.parameters}
        for unknown in sorted(set(given) - takes):
            problems.append(f"Operationen '{name}' har ingen parameter '{unknown}'; brug {operation.usage()}")
        for missing in (p.name for p in operation.parameters if p.required and p.name not in given):
            problems.append(f"Operationen '{name}' mangler parameteren '{missing}'; brug {operation.usage()}")
        return problems


NO_OPERATIONS = Operations()
