"""Reaching a Dask cluster: one way for every command that can run on one (the report
batch, ``impact run --scheduler``, and the power-analysis plan, ``impact plan``). Dask is
imported only when a scheduler is given (the ``cluster`` extra)."""

from __future__ import annotations

from typing import Any

from .errors import ImpactError

CONNECT_TIMEOUT = "30s"  # how long to try reaching a scheduler before giving up

__all__ = ["CONNECT_TIMEOUT", "connect"]


def connect(scheduler) -> tuple[Any, bool]:
    """An open client for ``scheduler`` (an address or a client) and whether it is ours
    (to close); one line naming the scheduler when it cannot be reached."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise ImpactError(
            "a scheduler was given but dask.distributed is not installed; "
            "pip install 'impact[cluster]' (or unset IMPACT_SCHEDULER)"
        ) from None
    if isinstance(scheduler, Client):
        return scheduler, False
    try:
        return Client(scheduler, timeout=CONNECT_TIMEOUT), True
    except (OSError, TimeoutError, ValueError) as exc:
        raise ImpactError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
