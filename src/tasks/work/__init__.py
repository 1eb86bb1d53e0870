"""Human work: the task rows mirrored from the engine (projection), the inbox, claiming, completing, task pages
and forms, and the timer sweep that moves processes on.
"""
