"""Statement counts on hot paths (issue 19): how many statements a command sends, never how long it takes.

Each test counts only the statements of the part it is about, so a cache warmed by another test cannot change
the figure."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from tasks.kvalitetsstandard.tables import standard_in_force
from tasks.service.services import Services


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    """Every SQL statement sent on the services' engine inside the block."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(" ".join(statement.split()))

    engine = services.session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_kvalitetsstandard_in_force_reads_its_activations_in_one_statement_per_kind(services):
    with services.uow() as uow, statements(services) as sent:
        standard = standard_in_force(uow)
        standard_in_force(uow)  # read once per command
    assert standard.catalogue is not None and standard.catalogue.ydelser is not None
    activations = [s for s in sent if "FROM version_activations" in s]
    assert len(activations) == 2  # the decision tables' and the catalogue's, with the versions they name
