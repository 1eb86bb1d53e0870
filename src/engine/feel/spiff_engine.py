"""FEEL inside SpiffWorkflow 3.2: a script engine and an environment that never run Python.

SpiffWorkflow evaluates through ``workflow.script_engine.evaluate/execute`` (conditions, timers,
scripts, pre/post scripts, message payloads) and, in two places (``bpmn_process_spec.py``,
``message.py``), through ``script_engine.environment.evaluate`` directly; both go to FEEL here.
What an expression is for follows from the task asking: a gateway's condition must give true or
false, a timer must give a moment, a duration or a cycle (normalised to the ISO text SpiffWorkflow
stores, with the engine's limits checked), a user task's ``due`` a moment.  Every failure becomes
``ProcessError(element id, Danish message)``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)

from engine import calendar, feel
from engine.errors import ProcessError
from engine.events import DecisionEvaluated, ServiceCalled
from engine.feel.errors import FeelError, FeelTypeError
from engine.feel.values import Duration, check_year, parse_duration, type_name
from engine.limits import DEFAULT_LIMITS, EngineLimits
from engine.operations import NO_OPERATIONS, Operations

# (gateway bpmn id, condition text) -> (sequence flow id, flow name): conditions are named by their flow.
ConditionOwners = Mapping[tuple[str, str], tuple[str, str | None]]


class FeelEnvironment(BasePythonScriptEngineEnvironment):
    """What SpiffWorkflow calls directly: evaluate and execute are FEEL, services do not exist."""

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        return feel.to_data(feel.expression(expression).evaluate(context, external_context))

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        context.update(feel.script(script).run(context, external_context))
        return True

    def call_service(self, context: dict[str, Any], **kwargs: Any) -> Any:
        raise FeelError("Servicetasks understøttes ikke i Sagsflow")


# key -> (version, parsed decision table) of the table in force, or None; bound per command by the host.
DecisionProvider = Callable[[str], "tuple[int, Any] | None"]


class FeelScriptEngine(PythonScriptEngine):
    """The script engine of every workflow Sagsflow runs.

    Besides FEEL it answers SpiffWorkflow's service calls from the registry of named operations and
    Sagsflow's business rule tasks from the decision tables in force; what they did is collected in
    ``reported`` (``ServiceCalled``, ``DecisionEvaluated``) for the runtime to return as events."""

    def __init__(
        self,
        limits: EngineLimits = DEFAULT_LIMITS,
        conditions: ConditionOwners | None = None,
        operations: Operations = NO_OPERATIONS,
    ) -> None:
        super().__init__(environment=FeelEnvironment())
        self.limits = limits
        self._conditions = conditions or {}
        self.operations = operations
        self.decisions: DecisionProvider | None = None
        self.reported: list[ServiceCalled | DecisionEvaluated] = []

    def validate(self, expression: str) -> None:
        feel.expression(expression)

    def evaluate(self, task: Any, expression: str, external_context: Any = None) -> Any:
        spec = task.task_spec
        flow = self._condition_flow(spec, expression)
        definition = _timer_with(getattr(spec, "event_definition", None), expression)
        is_timer = definition is not None
        try:
            value = feel.expression(expression).evaluate(task.data, external_context)
            if flow is not None:
                return _condition_value(value)
            if is_timer:
                return timer_value(definition, value, self.limits)
            return feel.to_data(value)
        except FeelError as exc:
            if flow is not None:
                flow_id, flow_name = flow
                raise ProcessError(flow_id, f"Betingelsen på flowet {_label(flow_id, flow_name)}: {exc}") from None
            raise ProcessError(spec.bpmn_id, f"{_label(spec.bpmn_id, spec.bpmn_name)}: {exc}") from None

    def evaluate_due(self, task: Any, expression: str) -> datetime:
        """A user task's ``due`` property as an aware UTC moment; a bad value stops the command."""
        spec = task.task_spec
        try:
            return due_moment(feel.expression(expression).evaluate(task.data))
        except FeelError as exc:
            raise ProcessError(
                spec.bpmn_id, f"Fristen (due) på {_label(spec.bpmn_id, spec.bpmn_name)}: {exc}"
            ) from None

    def execute(self, task: Any, script: str, external_context: Any = None) -> bool:
        try:
            results = feel.script(script).run(task.data, external_context)
        except FeelError as exc:
            spec = task.task_spec
            raise ProcessError(spec.bpmn_id, f"Scriptet i {_label(spec.bpmn_id, spec.bpmn_name)}: {exc}") from None
        task.data.update(results)
        return True

    def call_service(self, task: Any, operation_name: str = "", operation_params: Any = None, **kwargs: Any) -> str:
        """A service task: call the named operation with its evaluated parameters; its result goes to the
        task's result variable (SpiffWorkflow reads it back as JSON)."""
        spec = task.task_spec
        params = {name: param["value"] for name, param in (operation_params or {}).items()}
        operation = self.operations.get(operation_name)
        problems = self.operations.problems(operation_name, params)
        if operation is None or problems:
            raise ProcessError(spec.bpmn_id, f"{_label(spec.bpmn_id, spec.bpmn_name)}: {problems[0]}")
        try:
            result = operation.result(params)
        except (ValueError, TypeError, KeyError) as exc:
            raise ProcessError(
                spec.bpmn_id, f"{_label(spec.bpmn_id, spec.bpmn_name)}: operationen '{operation_name}' fejlede: {exc}"
            ) from None
        self.reported.append(ServiceCalled(spec.bpmn_id, operation_name, params, result))
        return json.dumps(result)

    def decide(self, task: Any, key: str) -> None:
        """A business rule task: evaluate the decision table in force with the task's data; its outputs are
        merged into the data."""
        spec = task.task_spec
        found = self.decisions(key) if self.decisions is not None and key else None
        if found is None:
            raise ProcessError(
                spec.bpmn_id, f"{_label(spec.bpmn_id, spec.bpmn_name)}: beslutningstabellen '{key}' er ikke udrullet"
            )
        version, table = found
        try:
            result = table.evaluate(dict(task.data))
        except ProcessError as exc:
            raise ProcessError(spec.bpmn_id, f"{_label(spec.bpmn_id, spec.bpmn_name)}: {exc.message}") from None
        task.data.update(result)
        self.reported.append(DecisionEvaluated(spec.bpmn_id, key, version, dict(result)))

    def _condition_flow(self, spec: Any, expression: str) -> tuple[str, str | None] | None:
        conditions = getattr(spec, "cond_task_specs", None)
        if not conditions or not any(c is not None and c.args[0] == expression for c, _ in conditions):
            return None
        return self._conditions.get((spec.bpmn_id, expression.strip()), (spec.bpmn_id, spec.bpmn_name))


def _timer_with(definition: Any, expression: str) -> TimerEventDefinition | None:
    """The timer definition whose expression this is (also a branch of an event-based gateway)."""
    candidates = definition.event_definitions if isinstance(definition, MultipleEventDefinition) else [definition]
    return next(
        (d for d in candidates if isinstance(d, TimerEventDefinition) and d.expression == expression),
        None,
    )


def _label(element_id: str | None, name: str | None) -> str:
    return f"'{name}' ({element_id})" if name and name != element_id else f"'{element_id}'"


def _condition_value(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise FeelTypeError(f'gav {type_name(value)}, ikke sand/falsk; forventet fx udfald = "afslag"')


def moment(value: Any, what: str) -> datetime:
    """A date (end of that day, Copenhagen), a datetime or an ISO text as an aware UTC datetime."""
    if isinstance(value, str):
        try:
            value = calendar.to_date(value) if len(value.strip()) == 10 else datetime.fromisoformat(value.strip())
        except ValueError:
            raise FeelTypeError(f"{what}: '{value}' er ikke en dato eller et tidspunkt (ISO 8601)") from None
    if isinstance(value, datetime):
        check_year(value)
        aware = value if value.tzinfo else value.replace(tzinfo=calendar.COPENHAGEN)
        return aware.astimezone(UTC)
    if isinstance(value, date):
        return calendar.end_of_day(check_year(value))
    raise FeelTypeError(f"{what} skal give en dato eller et tidspunkt, men gav {type_name(value)}")


def due_moment(value: Any) -> datetime:
    if value is None:
        raise FeelTypeError("gav null; forventet en dato, fx deadline(start: received_on, weeks: 4)")
    return moment(value, "Fristen")


def timer_value(definition: TimerEventDefinition, value: Any, limits: EngineLimits) -> str:
    """What SpiffWorkflow stores for a timer: an ISO moment, duration or cycle text, checked."""
    if value is None:
        raise FeelTypeError("Timeren gav null; forventet fx deadline(start: received_on, days: 14)")
    if isinstance(definition, TimeDateEventDefinition):
        return moment(value, "Timeren").isoformat()
    if isinstance(definition, DurationTimerEventDefinition):
        duration = value if isinstance(value, Duration) else parse_duration(_text(value, "Timerens varighed"))
        if duration.months < 0 or duration.seconds < 0:
            raise FeelTypeError("Timerens varighed må ikke være negativ")
        return duration.iso()
    if isinstance(definition, CycleTimerEventDefinition):
        text = _text(value, "Timerens cyklus")
        check_cycle(text, limits)
        try:
            TimerEventDefinition.parse_iso_recurring_interval(text)
        except Exception:  # SpiffWorkflow raises bare Exception/ValueError for bad intervals
            raise FeelTypeError(f"'{text}' er ikke en cyklus (ISO 8601), fx \"R3/PT12H\"") from None
        return text.strip()
    raise FeelTypeError("Ukendt slags timer")  # pragma: no cover


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise FeelTypeError(f"{what} skal være en tekst, men er {type_name(value)}")
    return value


def check_cycle(text: str, limits: EngineLimits) -> None:
    """``R[n]/[start/]duration``: at most 10 000 repetitions and an interval of at least the minimum."""
    parts = text.strip().upper().split("/")
    if len(parts) not in (2, 3) or not parts[0].startswith("R") or not (parts[0][1:].isdigit() or parts[0] == "R"):
        raise FeelTypeError(f"'{text}' er ikke en cyklus (ISO 8601), fx \"R3/PT12H\"")
    if parts[0] != "R" and int(parts[0][1:]) > 10_000:
        raise FeelTypeError("En cyklus kan højst gentages 10 000 gange")
    durations = [p for p in parts[1:] if p.startswith("P")]
    if len(durations) != 1:
        raise FeelTypeError(f"'{text}' skal have præcis én varighed, fx \"R3/PT12H\"")
    for part in parts[1:]:
        if not part.startswith("P"):
            moment(part, "Cyklussens start")
    interval = parse_duration(durations[0]).total_seconds_estimate()
    if interval < limits.min_cycle_seconds:
        raise FeelTypeError(
            f"Cyklussen '{text.strip()}' gentages for tit: intervallet skal være mindst "
            f"{_seconds_da(limits.min_cycle_seconds)}"
        )


def _seconds_da(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} time" if hours == 1 else f"{hours} timer"
    if seconds % 60 == 0:
        return f"{seconds // 60} minutter"
    return f"{seconds} sekunder"
