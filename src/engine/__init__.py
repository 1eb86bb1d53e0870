"""BPMN/DMN runtime on SpiffWorkflow: definitions, versions, instances, timers, calendar.

The engine imports nothing from ``tasks`` or ``web`` and never reads the wall clock itself:
callers pass ``now``.  See ``README.md`` in this package for the rules.
"""
