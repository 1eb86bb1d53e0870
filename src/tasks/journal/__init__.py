"""The journal: the append-only record of every state change of a case, written by subscribing to the domain events."""
