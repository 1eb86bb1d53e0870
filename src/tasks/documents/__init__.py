"""Documents on a case: uploaded files (a lægeerklæring, a udtalelse), checked by their real type and size,
stored in the database, every download access-logged.
"""
