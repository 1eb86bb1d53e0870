"""Keep a long-lived instance's task tree short.

SpiffWorkflow never prunes: every loop round adds tasks below the last one, so a § 108 case with
opfølgning every six months for decades grows without bound and, past depth 1000, silently stops
(spiffworkflow-notes §4.2–4.3).  Compaction removes the finished history above the point where
all unfinished work branches off (their lowest common ancestor), keeping a margin of ancestors
for gateways that look a little way up the tree.  The removed rounds are not lost to users: the
journal and the human-task rows hold the history; the engine state only needs the future.
"""

from __future__ import annotations

from typing import Any

from SpiffWorkflow.util.task import TaskState

COMPACT_ABOVE_TASKS = 120
KEEP_ANCESTORS = 12


def compact(workflow: Any, *, min_tasks: int = COMPACT_ABOVE_TASKS, keep: int = KEEP_ANCESTORS) -> int:
    """Drop finished tasks above the unfinished frontier; return how many tasks were removed."""
    if len(workflow.tasks) < min_tasks:
        return 0
    root = workflow.task_tree
    unfinished = [t for t in workflow.tasks.values() if not t.has_state(TaskState.FINISHED_MASK)]
    if not unfinished:
        return 0
    anchor = _margin_above(_lowest_common_ancestor(unfinished), root, keep)
    if anchor is root or anchor.parent is root:
        return 0
    kept = {root.id} | {t.id for t in _subtree(anchor)}
    removed = [task_id for task_id in workflow.tasks if task_id not in kept]
    for task_id in removed:
        del workflow.tasks[task_id]
        workflow.subprocesses.pop(task_id, None)
    root._children = [anchor.id]
    anchor._parent = root.id
    if workflow.last_task is not None and workflow.last_task.id not in kept:
        workflow.last_task = anchor
    return len(removed)


def _ancestors(task: Any) -> list[Any]:
    """The task and its ancestors, root last."""
    chain = []
    while task is not None:
        chain.append(task)
        task = task.parent
    return chain


def _lowest_common_ancestor(tasks: list[Any]) -> Any:
    first = _ancestors(tasks[0])
    position = {t.id: i for i, t in enumerate(first)}
    lowest = 0
    for task in tasks[1:]:
        while task.id not in position:
            task = task.parent
        lowest = max(lowest, position[task.id])
    return first[lowest]


def _margin_above(task: Any, root: Any, keep: int) -> Any:
    for _ in range(keep):
        if task.parent is None or task.parent is root:
            break
        task = task.parent
    return task


def _subtree(task: Any) -> list[Any]:
    found, stack = [], [task]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
