"""What happened to a report, in the words the runner, the index and the command line share.

A run gives each parameters file one :data:`Status`; the index shows each report folder one
:data:`Shown` (what a reader finds there now). Both are checked by the type checker, so a
misspelt status is an error, not a silent mismatch.
"""

from __future__ import annotations

from typing import Literal, get_args

Status = Literal["ok", "skipped", "failed", "invalid", "not-run"]
"""One report of a run: built and published, skipped (current), failed (the previous report
kept), invalid (its parameters or data refused), not run (another file of the batch was)."""

STATUSES: tuple[Status, ...] = get_args(Status)

Shown = Literal["ok", "failed-kept", "failed-none"]
"""One report folder in the index: ok; the last build failed and the previous report is kept;
a build failed and there has never been a good one."""

Recorded = Literal["ok", "failed"]
"""A build's ``run.json``: published (``ok``) or kept beside the good report (``failed``)."""


def recorded(record: dict | None) -> Recorded | None:
    """The status a ``run.json`` record gives, None for no record or an unknown status."""
    status = (record or {}).get("status")
    return status if status in get_args(Recorded) else None
