"""Afgørelser: what the municipality decided on a case, as the law requires it to be recorded.

An afgørelse is what is decided (``kind``: the ansøgning, an ændring or ophør of a bevilling, a
genvurdering of a klage) and its result (``udfald``), with the ydelse, the serviceniveau and period
it concerns, the begrundelse in its three parts (forvaltningsloven § 24: the rules applied, the
facts relied on, the main considerations), who decided, and whether partshøring was done or which
exception in § 19, stk. 2 was used and why.  Recorded by the handlers in ``handlers.py`` when the
diagram's decision activity ends (the Behandling, an ændring or ophør, a genvurdering), so an
afgørelse exists exactly when it is final.
"""
