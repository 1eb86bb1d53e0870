"""Journalnotater: what a caseworker writes down on a case (who, when, text), append-only like the journal."""
