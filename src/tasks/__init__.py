"""Human work: cases, inboxes per role, claim/assign/complete, journal.  Imports ``engine`` only."""
