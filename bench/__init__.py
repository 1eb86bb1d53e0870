"""Benchmarks and load runs (not part of the service; see bench.py and load_kill.py)."""
