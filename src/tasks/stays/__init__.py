"""Stays (§§ 109/110) beyond their pathway: a krisecenter's refusal of a stay, which the citizen can complain about."""
