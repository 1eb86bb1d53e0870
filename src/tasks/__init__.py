"""The application layer: the case work the municipality does, on top of the engine.  Imports ``engine`` only.

Packages, one idea each:
- ``service``      the unit of work, the message bus, the services a use case needs, actors, errors
- ``events``       what a command did (domain events); ``handlers`` wires who handles which
- ``cases``        opening a case, reading it back, its page and life cycle
- ``work``         human tasks: the projection of the engine's READY user tasks, inbox, claim, complete, timers
- ``frister``      every deadline rule (``frister/rules.py``), the deadline rows, escalation
- ``journal``      the append-only journal of every state change
- ``letters``      letters to the citizen and Ankestyrelsen
- ``klager``       registering a klage and its effect on the main case
- ``pathways``     what each shipped pathway relies on in its diagram, and its own rules
- ``kvalitetsstandard``  the municipality's settings and decision tables
- ``access``       roles, visibility, the access log
- ``accounts``     users, teams, passwords, tokens
- ``mail``         the outbox and SMTP
- ``definitions``  deploying diagrams
- ``reports``      the leder's overview and the sagsbehandlingstider report
- ``ops``          consistency checks
"""
