"""The case (sag): opening one, reading it back, its page, its life cycle (closing when the process ends) and the
process data the system sets.
"""
