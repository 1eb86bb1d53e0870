"""Klager: registering one on an afgørelse, and a klage's effect on the main case (new bevilling, hjemvisning)."""
