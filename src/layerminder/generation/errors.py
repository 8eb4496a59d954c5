"""How a generation job's stages end early: raised by the stages, handled by the job."""

from __future__ import annotations


class StageFailed(Exception):
    """A stage could not finish; its message is shown to the user."""


class JobCancelled(Exception):
    """The record's owner cancelled it: the job stops and writes nothing more to it."""


class LeaseLost(JobCancelled):
    """Another job took the record over (this one's process stalled past three renewals and
    was presumed dead): this one stops and leaves the record to it."""
