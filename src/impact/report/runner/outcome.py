"""What happened to one report of a run, as the command line, the log and the tests read it."""

from __future__ import annotations

from dataclasses import dataclass

from ..status import Status


@dataclass(frozen=True)
class Outcome:
    """What happened to one report. ``fault`` is ``"output"`` when the output folder could
    not be written (read-only, full, permission denied)."""

    params: str
    status: Status
    folder: str | None = None
    seconds: float = 0.0
    message: str = ""
    fault: str | None = None
    via: str = ""  # on a cluster: the worker, and how the data reached it
