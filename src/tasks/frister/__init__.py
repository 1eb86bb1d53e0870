"""Frister: every legal deadline rule in one place (rules.py), the deadline rows they make and close, how they
are shown, and the escalation scan.
"""
