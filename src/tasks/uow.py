"""The unit of work: one command = one transaction.  Rollback unless ``commit()`` is called."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import TracebackType

from sqlalchemy.orm import Session, sessionmaker

from engine.clock import Clock, SystemClock
from engine.decision_store import DecisionStore
from engine.definitions import Definitions, DiagramCache
from engine.instances import Instances, WorkflowCache
from engine.runtime import Runtime
from tasks.kvalitetsstandard import DEFAULT_STANDARD, Kvalitetsstandard


@dataclass
class Engine:
    """Process-wide engine parts: the runtime and its caches.  Built once per process."""

    runtime: Runtime = field(default_factory=Runtime)
    diagrams: DiagramCache = field(default_factory=DiagramCache)
    workflows: WorkflowCache = field(default_factory=WorkflowCache)


class UnitOfWork:
    session: Session
    instances: Instances
    definitions: Definitions
    decisions: DecisionStore

    def __init__(
        self, session_factory: sessionmaker, engine: Engine, clock: Clock, standard: Kvalitetsstandard
    ) -> None:
        self._session_factory = session_factory
        self._engine = engine
        self.clock = clock
        self.standard = standard

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.instances = Instances(self.session, self._engine.runtime, self._engine.diagrams, self._engine.workflows)
        self.definitions = Definitions(self.session, self._engine.diagrams, self._engine.runtime.limits)
        self.decisions = DecisionStore(self.session)
        self._committed = False
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()
        self._committed = True
        self.instances.after_commit()


@dataclass
class Services:
    """What every use case needs: a way to open a unit of work, and the clock."""

    session_factory: sessionmaker
    engine: Engine = field(default_factory=Engine)
    clock: Clock = field(default_factory=SystemClock)
    standard: Kvalitetsstandard = DEFAULT_STANDARD

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.engine, self.clock, self.standard)
