"""Reactions of a task's transitions: the day it was completed."""

from datetime import date
from hdnd.content.transitions import dispatch


def completed(task, event):
    if not task.completed_on:
        task.completed_on = date.today()
    task.reindexObject(idxs=["completed_on"])


def reopened(task, event):
    task.completed_on = None
    task.reindexObject(idxs=["completed_on"])


REACTIONS = {"accept": completed, "reopen": reopened}

after = dispatch(REACTIONS)
