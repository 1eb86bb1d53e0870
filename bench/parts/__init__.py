"""The benchmark's parts: the pathway driven three ways, bulk seeding, the HTTP load (see bench.py)."""
