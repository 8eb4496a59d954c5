"""The objects domain's expected failures, rendered like every other typed error."""

from __future__ import annotations

from layerminder.errors import Conflict


class DesignNotReady(Conflict):
    """The record's designs (or, for a proxy, its sizes) are not there yet: 409."""


class ViewsRunning(Conflict):
    """A views sheet for this design is already being made: 409 until it ends."""
