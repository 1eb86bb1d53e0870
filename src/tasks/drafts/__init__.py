"""Drafts: a task's form saved unfinished, per task and user, resumed on the task page, cleared on completion."""
