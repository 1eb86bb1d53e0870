"""Bevillinger: what was granted, to whom it is delivered and for how long.

A bevilling names the ydelse, the catalogue's serviceniveau with its extent (``omfang``, from the
catalogue: "gennemsnitligt 2,8 timers støtte om ugen …"), the leverandør, its start and end, its status
and any egenbetaling.  It is created when
*Opret bevilling* completes and changed only by a later afgørelse: an ophør ends it (``ophoert``),
an ændring replaces it by a new one (``erstattet``), so the history of what the citizen had stays.
"""
