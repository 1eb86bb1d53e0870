"""Aktindsigt: a case's whole file as one PDF with a table of contents (forvaltningsloven § 9, GDPR art. 15)."""
