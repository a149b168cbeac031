"""Where reports are built: the driver (:mod:`..driver`) hands a backend the checked plans
and publishes what it gives back. Two backends, peers behind one small interface (after
papermill's engines): :mod:`.local` (threads of this process, each with a warm kernel) and
:mod:`.dask` (a Dask cluster's workers). Neither imports the other.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Protocol

from ..build import Built
from ..plan import Plan


class Backend(Protocol):
    """Builds checked plans somewhere and gives each build back to be published here."""

    def build(self, plans: list[Plan]) -> Generator[Built]:
        """Each plan's build (or failure) as it finishes, in any order. On Ctrl-C (a
        ``KeyboardInterrupt`` in the caller) the builds still running are stopped."""
        ...

    def close(self, *, interrupted: bool = False) -> None:
        """Stop what the backend started (kernels, browsers, a cluster's client); when
        ``interrupted``, at once rather than politely."""
        ...
