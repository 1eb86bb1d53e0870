"""In-app notifications: what concerns a user (a task assigned to them, a frist near or passed on their work, an
afvigelse decided), produced by subscribing to domain events.  They name the case reference and the task, never a
CPR number or a name, and never leave the application.
"""
