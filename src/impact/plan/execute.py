"""Running a plan's tasks: in this process, in a local process pool, or on a Dask cluster.

Every backend runs the same task function on the same tasks and returns their rows in task
order, so the numbers never depend on where they were computed. Dask is imported only when
a scheduler is given.

On a cluster (``dask.distributed``): tasks are submitted with ``client.map(pure=False)`` and
explicit keys (one run token per plan, so two plans on one cluster never share results);
the progress bar follows ``as_completed``; a task whose worker dies is rescheduled on
another worker by the scheduler, and a task that raises is retried ``retries`` times; on
Ctrl-C the plan's tasks are cancelled on the cluster and the client is closed.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed as futures_completed
from typing import Any

from ..distributed import connect
from ..errors import ImpactError
from .design import Task
from .replicate import run_task

SCHEDULER_ENV = "IMPACT_SCHEDULER"
Rows = list[dict[str, Any]]


def _quiet_task(task: Task) -> Rows:
    # statsmodels warns on nearly-separated small samples; the row records what matters.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run_task(task)


def _bar(total: int, progress: bool, where: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="task", desc=where, disable=not progress, leave=False)


def run_local(
    tasks: Sequence[Task],
    *,
    jobs: int = 1,
    progress: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> list[Rows]:
    """Run tasks here (``jobs`` 1) or in a pool of ``jobs`` processes; results in task
    order."""
    results: list[Rows | None] = [None] * len(tasks)
    bar = _bar(len(tasks), progress, "plan")
    try:
        if jobs <= 1:
            for index, task in enumerate(tasks):
                results[index] = _quiet_task(task)
                bar.update()
                if on_done:
                    on_done(index)
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(_quiet_task, task): i for i, task in enumerate(tasks)}
                try:
                    for future in futures_completed(futures):
                        index = futures[future]
                        results[index] = future.result()
                        bar.update()
                        if on_done:
                            on_done(index)
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
    finally:
        bar.close()
    return results  # type: ignore[return-value]


def run_dask(
    tasks: Sequence[Task] | Callable[[int], Sequence[Task]],
    *,
    scheduler: str | Any,
    retries: int = 2,
    progress: bool = False,
    on_done: Callable[[int], None] | None = None,
) -> list[Rows]:
    """Run tasks on a Dask cluster. ``scheduler`` is an address (``tcp://host:8786``) or an
    open ``dask.distributed.Client`` (left open). ``tasks`` may be a function of the
    number of workers, to cut the work to the cluster's size."""
    client, own = connect(scheduler)
    from dask.distributed import as_completed

    if callable(tasks):
        tasks = tasks(max(1, len(client.scheduler_info()["workers"])))
    token = uuid.uuid4().hex[:12]
    keys = [f"impact-plan-{token}-{i:06d}" for i in range(len(tasks))]
    futures = []
    bar = _bar(len(tasks), progress, f"plan on {client.scheduler.address}")
    try:
        futures = client.map(_quiet_task, list(tasks), key=keys, pure=False, retries=retries)
        index_of = {future.key: i for i, future in enumerate(futures)}
        results: list[Rows | None] = [None] * len(tasks)
        for future in as_completed(futures):
            index = index_of[future.key]
            if future.status == "error":
                error = future.exception()
                first = str(error).splitlines()[0] if str(error) else ""
                hint = (
                    "; the scheduler and every worker need the same impact installed as here"
                    if isinstance(error, ImportError | ModuleNotFoundError) or "deserializ" in first
                    else ""
                )
                raise ImpactError(
                    f"task {index} failed on the cluster after {retries} retries: "
                    f"{type(error).__name__}: {first}{hint}"
                )
            results[index] = future.result()
            future.release()
            bar.update()
            if on_done:
                on_done(index)
        return results  # type: ignore[return-value]
    except BaseException:
        if futures:
            client.cancel(futures)  # Ctrl-C or a failure: stop the plan's tasks on the cluster
        raise
    finally:
        bar.close()
        if own:
            client.close()


def scheduler_address(option: str | None) -> str | None:
    """The scheduler to use: the option, else ``IMPACT_SCHEDULER``, else None (local)."""
    return option or os.environ.get(SCHEDULER_ENV) or None
