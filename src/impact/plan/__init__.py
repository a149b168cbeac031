"""Planning a study (``impact plan``): how many rounds and communities does it take to see
an effect?

For each design point of a grid, simulate many data sets with the workbench's generator
(:mod:`impact.simulate`), estimate each with the workbench's own estimators, and report
power, bias, RMSE and interval coverage against the planted truth. Runs here, in a local
process pool, or on a Dask cluster; the numbers are the same for one seed wherever they run.

Modules: :mod:`.design` (the design file, the grid, seeds, the truths), :mod:`.replicate`
(one data set simulated and estimated), :mod:`.execute` (where tasks run), :mod:`.result`
(summary, table, plot), :mod:`.catalogue` (every word shown, zh and en).

Example
-------
>>> from impact.plan import read_plan, run_plan
>>> spec = read_plan(None, replicates=5)
>>> result = run_plan(spec)                       # doctest: +SKIP
>>> result.table[["estimand", "power", "bias", "coverage"]]  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .design import Design, PlanSpec, read_plan, replicate_seed
    from .execute import SCHEDULER_ENV, scheduler_address
    from .replicate import ESTIMANDS
    from .result import PlanResult

# Names load on first use (PEP 562): ``impact run`` builds its command line, which names
# ``impact plan``'s arguments (:mod:`.cli`), without importing pandas and the generator.
_LAZY = {
    "Design": ".design",
    "PlanSpec": ".design",
    "read_plan": ".design",
    "replicate_seed": ".design",
    "SCHEDULER_ENV": ".execute",
    "scheduler_address": ".execute",
    "ESTIMANDS": ".replicate",
    "PlanResult": ".result",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:  # tab completion in Jupyter shows the lazy names too
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ESTIMANDS",
    "SCHEDULER_ENV",
    "default_chunk",
    "Design",
    "PlanResult",
    "PlanSpec",
    "read_plan",
    "replicate_seed",
    "run_plan",
    "scheduler_address",
]


def default_chunk(spec: PlanSpec, workers: int) -> int:
    """Replicates per task: about 8 tasks per worker over the whole plan (so that a slow or
    lost worker delays little, and the progress bar moves), at most 25 replicates a task,
    and at least one replicate per 10 workers, so that many workers finishing small tasks
    do not send the scheduler more than ~150 tasks a second (a replicate is ~70 ms of CPU;
    docs/scaling.md)."""
    data_sets = spec.replicates * len(spec.points())
    workers = max(1, workers)
    return max(-(-workers // 10), min(25, data_sets // (8 * workers)), 1)


def run_plan(
    spec: PlanSpec,
    *,
    jobs: int = 1,
    scheduler: str | Any | None = None,
    chunk: int | None = None,
    retries: int = 2,
    progress: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> PlanResult:
    """Simulate and estimate every replicate of ``spec`` and summarise.

    Parameters
    ----------
    spec
        A checked plan (:func:`read_plan`).
    jobs
        Local processes (1: this process). Ignored with a scheduler.
    scheduler
        A Dask scheduler address or an open ``dask.distributed.Client``; None runs locally
        and does not import Dask.
    chunk
        Replicates per task. Default (:func:`default_chunk`): about 8 tasks per worker
        (local processes, or the cluster's workers when the plan starts). Changes only
        scheduling, never a number.
    retries
        On a cluster, times a failing task is retried (a task whose worker is lost is
        rescheduled by the scheduler on its own).
    progress
        Show a progress bar over tasks (stderr).
    on_done
        Called with a task's index as each task completes (in this process).
    """
    import pandas as pd

    from .design import tasks
    from .execute import run_dask, run_local
    from .replicate import ESTIMANDS
    from .result import PlanResult, summarise

    cut: dict[str, Any] = {}

    def make_tasks(workers: int) -> list:
        cut["chunk"] = chunk or default_chunk(spec, workers)
        cut["workers"] = workers
        cut["tasks"] = tasks(spec, cut["chunk"])
        return cut["tasks"]

    started = time.perf_counter()
    if scheduler is not None:
        results = run_dask(
            make_tasks, scheduler=scheduler, retries=retries, progress=progress, on_done=on_done
        )
        backend = "dask"
    else:
        results = run_local(make_tasks(jobs), jobs=jobs, progress=progress, on_done=on_done)
        backend = "local" if jobs <= 1 else f"process pool ({jobs})"
    seconds = time.perf_counter() - started
    replicates = pd.DataFrame([row for rows in results for row in rows])
    replicates = replicates.sort_values(["point", "replicate", "estimand"], ignore_index=True)
    replicates = replicates[
        ["point", "replicate", "seed", "estimand", "estimate", "se", "ci_low", "ci_high", "failure"]
    ]
    points = spec.points()
    truths = pd.DataFrame(
        [
            {"point": i, "estimand": "participation", "truth": p.true_participation_effect()}
            for i, p in enumerate(points)
        ]
        + [
            {"point": i, "estimand": "leverage", "truth": p.true_leverage_log_ratio()}
            for i, p in enumerate(points)
        ]
    ).set_index(["point", "estimand"])
    summary = summarise(replicates, truths)
    knobs = pd.DataFrame(
        [{k: getattr(p, k) for k in spec.grid} for p in points], index=range(len(points))
    )
    summary["estimand"] = pd.Categorical(summary.estimand, categories=ESTIMANDS, ordered=True)
    summary = summary.sort_values(["estimand", "point"], ignore_index=True)
    summary["estimand"] = summary.estimand.astype(str)
    table = knobs.loc[summary.point].reset_index(drop=True).join(summary)
    table = table[["point", *spec.grid, *[c for c in summary.columns if c != "point"]]]
    inputs = {
        "backend": backend,
        "workers": cut["workers"],
        "tasks": len(cut["tasks"]),
        "replicates_per_task": cut["chunk"],
        "seconds": round(seconds, 2),
    }
    return PlanResult(spec=spec, table=table, replicates=replicates, inputs=inputs)
