"""JSON API under /api/v1: one blueprint per resource, each view one service call."""
