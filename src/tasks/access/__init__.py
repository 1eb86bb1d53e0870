"""Who may see what: roles and lanes, the visibility rule for cases and tasks, and the access log of every read
of personal data.
"""
