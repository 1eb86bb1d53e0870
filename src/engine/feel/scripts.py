"""Script tasks as assignments: ``navn = udtryk``, one per line, each expression FEEL.

Later lines see earlier results; nothing is written to the task's data unless every line
succeeded.  This is Camunda 8's FEEL script task, several results at once; a Python block
(``if ...:``) is refused with the FEEL form that replaces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.feel.errors import FeelError, FeelLimitError, FeelSyntaxError
from engine.feel.values import MAX_SCRIPT_LINES

_ASSIGNMENT = re.compile(r"\s*((?!\d)\w+)\s*=(?!=)(.*)", re.DOTALL)
_PYTHON_BLOCK = re.compile(r"\s*(if|elif|else|for|while|def|try|with|import|from)\b")


@dataclass(frozen=True)
class Line:
    number: int
    target: str
    source: str


def split_script(text: str) -> tuple[Line, ...]:
    """The assignments of a script; FeelSyntaxError names the line that is not one."""
    lines = []
    raw_lines = text.splitlines()
    if len(raw_lines) > MAX_SCRIPT_LINES:
        raise FeelLimitError(f"Scriptet har for mange linjer ({len(raw_lines)}, højst {MAX_SCRIPT_LINES})")
    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip() or raw.strip().startswith("//"):
            continue
        match = _ASSIGNMENT.fullmatch(raw)
        if match is None or not match.group(2).strip():
            raise FeelSyntaxError(_not_an_assignment(number, raw))
        lines.append(Line(number, match.group(1), match.group(2).strip()))
    if not lines:
        raise FeelSyntaxError('Scriptet er tomt; skriv fx naeste_opfoelgning = add_period(startdato, "3 måneder")')
    return tuple(lines)


def _not_an_assignment(number: int, raw: str) -> str:
    line = raw.strip()
    if _PYTHON_BLOCK.match(raw):
        return (
            f"Linje {number} ('{_short(line)}') er Python, ikke FEEL. Et script er tildelinger, én pr. linje; "
            "skriv en betingelse som navn = if betingelse then a else navn"
        )
    if raw[:1].isspace():
        return f"Linje {number} ('{_short(line)}') er indrykket som i Python; skriv hver tildeling på sin egen linje"
    return (
        f"Linje {number} ('{_short(line)}') er ikke en tildeling. Forventet navn = udtryk, "
        'fx naeste_opfoelgning = add_period(startdato, "3 måneder")'
    )


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def line_error(line: Line, exc: FeelError) -> FeelError:
    """The same error, saying which line of the script it came from."""
    return type(exc)(f"Linje {line.number} ({line.target} = ...): {exc}")


__all__ = ["Line", "split_script", "line_error"]
