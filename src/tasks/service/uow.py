"""The unit of work: one command = one transaction.  Rollback unless ``commit()`` is called.

It opens the session, gives the use case its repositories, collects the domain events the command
publishes and, before committing, hands them to the message bus so the journal, frister, letters
and the pathways' rules run in the same transaction.  ``commit()`` is the only commit in the code.

A command that does several independent pieces of work in its one transaction (the timer sweep fires a
batch of instances) runs each in ``savepoint()``: a piece that fails is undone alone, in the database and
in what the unit of work holds for it, and the rest commits.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from engine.db import ReadOnlySession, read_only_options
from engine.decision_store import DecisionStore
from engine.definitions import Definitions
from engine.instances import Instances
from tasks.afgoerelser.repository import AfgoerelseRepository
from tasks.bevillinger.repository import BevillingRepository
from tasks.cases.repository import CaseRepository
from tasks.catalogue.store import CatalogueStore
from tasks.frister.repository import DeadlineRepository
from tasks.journal.repository import JournalRepository
from tasks.letters.pdf import LetterFonts
from tasks.letters.repository import LetterRepository
from tasks.parties.repository import PartyRepository
from tasks.work.repository import TaskRepository

if TYPE_CHECKING:
    from tasks.service.services import Services


class UnitOfWork:
    session: Session
    instances: Instances
    definitions: Definitions
    decisions: DecisionStore
    catalogue: CatalogueStore
    cases: CaseRepository
    tasks: TaskRepository
    deadlines: DeadlineRepository
    journal: JournalRepository
    parties: PartyRepository
    afgoerelser: AfgoerelseRepository
    bevillinger: BevillingRepository
    letters: LetterRepository
    fonts: LetterFonts

    def __init__(self, services: Services) -> None:
        self._services = services
        self.clock = services.clock
        self.standard = services.standard
        self.passwords = services.passwords
        self.fonts = services.letter_fonts
        self.cpr_register = services.cpr_register
        self._events: deque[object] = deque()
        self._at_commit: list[tuple[AtCommit, Any]] = []
        self._read_only = False

    def read_only(self) -> UnitOfWork:
        """Declare that this command only reads: ``with uow.read_only():``.

        On SQLite a command's transaction takes the write lock at BEGIN (``BEGIN IMMEDIATE``, see
        ``engine.db``), so writers queue rather than fail late.  A reader needs no write lock: it runs in a
        plain (deferred) transaction on WAL's snapshot, beside a writer, so an inbox or a report never
        waits for a letter being written.  On PostgreSQL it runs without a transaction (two round trips
        fewer; ``engine.db.read_only_options``).  Such a unit of work cannot commit, flush or send DML."""
        self._read_only = True
        return self

    def __enter__(self) -> UnitOfWork:
        factory = self._services.session_factory
        self.session = ReadOnlySession(**factory.kw) if self._read_only else factory()
        workflow = self._services.workflow
        self.instances = Instances(self.session, workflow.runtime, workflow.diagrams, workflow.workflows)
        self.definitions = Definitions(
            self.session, workflow.diagrams, workflow.runtime.limits, workflow.runtime.operations
        )
        self.decisions = DecisionStore(self.session)
        self.catalogue = CatalogueStore(self.session)
        self.cases = CaseRepository(self.session)
        self.tasks = TaskRepository(self.session)
        self.deadlines = DeadlineRepository(self.session)
        self.journal = JournalRepository(self.session)
        self.parties = PartyRepository(self.session)
        self.afgoerelser = AfgoerelseRepository(self.session)
        self.bevillinger = BevillingRepository(self.session)
        self.letters = LetterRepository(self.session)
        self._events.clear()
        self._at_commit.clear()
        self.memo: dict[str, object] = {}  # what a command reads once and reuses (e.g. the tables in force)
        self._committed = False
        if self._read_only:
            self.session.connection(execution_options=read_only_options(self.session.get_bind().dialect.name))
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                self.instances.release_unchanged()
                # Detach the objects first: a rollback would expire every one of them (reset its attributes
                # one by one) only for the close below to throw them away.  A read-only command (a page, the
                # inbox) ends here, and that expiry was a sixth of the inbox's time.
                self.session.expunge_all()
                self.session.rollback()
        finally:
            self._events.clear()
            self.session.close()

    def publish(self, event: object) -> None:
        """Record what happened; handled at the latest when the command commits."""
        self._events.append(event)

    def dispatch(self) -> None:
        """Hand every published event to its handlers now (before reading back what they changed)."""
        self._services.bus.dispatch(self._events, self)

    def write_at_commit(self, write: AtCommit, item: Any) -> None:
        """Have ``write`` called once, just before the commit, with every item queued for it in this command.

        For a write that one statement can do for many rows (the drafts of the tasks a batch of timers
        closed); items queued in a ``savepoint`` that rolls back are dropped with it."""
        self._at_commit.append((write, item))

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run the block in a SAVEPOINT; if it raises, undo its work alone and re-raise.

        Rolling back to a SAVEPOINT undoes the block's SQL, and SQLAlchemy expires the objects the block
        changed (they read back as stored) and makes the ones it added transient.  That is not enough: the
        unit of work also holds, in memory, what the block did but has not written yet, and it would write
        or reuse it at commit.  So the block's share of each is dropped too —

        - the workflows the block used (``Instances.forget_since``): the engine changed them in place, and
          ``after_commit`` would put them in the cache, ahead of the database; the next use loads them again;
        - its journal entries (inserted only at commit), the task rows and frister it added (remembered so
          the projection reads them without a flush), and the open frister it read;
        - what it queued for ``write_at_commit``;
        - its events: the block's events are handled *inside* the savepoint, before it is released, so a
          failing handler undoes the block too (events published before the block are handled on entry:
          they belong to the enclosing work);
        - what it put in ``memo`` (it may hold objects the rollback expired).

        The enclosing transaction goes on; the caller decides what a failure means (the sweep counts it and
        skips the instance).  A block that fails after a *read* of the journal loses nothing: those entries
        went in inside the SAVEPOINT, left it with the rollback, and are pending again."""
        self.dispatch()
        marks = (self.instances.mark(), self.tasks.mark(), self.deadlines.mark(), self.journal.mark())
        queued = len(self._at_commit)
        memo = dict(self.memo)
        try:
            with self.session.begin_nested():
                yield
                self.dispatch()
        except BaseException:
            instances, tasks, deadlines, journal = marks
            self.instances.forget_since(instances)
            self.tasks.restore(tasks)
            self.deadlines.restore(deadlines)
            self.journal.restore(journal)
            del self._at_commit[queued:]
            self._events.clear()
            self.memo.clear()
            self.memo.update(memo)
            raise

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self.dispatch()
        self._write_queued()
        self.journal.write_pending()
        self.session.commit()
        self._committed = True
        self.instances.after_commit()

    def _write_queued(self) -> None:
        by_write: dict[AtCommit, list[Any]] = {}
        for write, item in self._at_commit:
            by_write.setdefault(write, []).append(item)
        self._at_commit.clear()
        for write, items in by_write.items():
            write(self, items)


AtCommit = Callable[[UnitOfWork, list[Any]], None]
