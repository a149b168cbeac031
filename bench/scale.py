"""Scaling beyond one process: the same work locally and on a Dask LocalCluster, in one run.

- **Plan**: a 1,000-data-set ``impact plan`` (4 design points × 250 replicates, communities
  12, 24, 36, 48) run (a) in this process without Dask, (b) in a local process pool of 2,
  (c) on a LocalCluster with 1 worker process and (d) with 2. Prints wall time, CPU time of
  the in-process run, speed-up against (a) and efficiency (speed-up ÷ workers), and checks
  that every run gives the same table. Workers are warmed (modules imported) before timing,
  as a long-lived cluster's would be; cluster start-up is printed apart.
- **Overheads** for extrapolating to many workers (docs/scaling.md): round trip of no-op
  tasks through the scheduler and client, and the pickled size of a task and its result.
- **Reports**: 48 report builds on 1 and 2 workers. NOT YET: this needs ``impact run
  --scheduler`` (issue 12, item 1, with the runner work); see ``bench_reports`` below.

The machine's load average is printed before and after: on a shared machine, speed-up
measures the cores the run got, not what the code can do.

    python bench/scale.py [--datasets 1000] [--chunk 25] [--skip-pool]
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import resource
import time
import warnings

import pandas as pd

from impact.plan import read_plan, run_plan
from impact.plan.design import tasks


def plan_spec(datasets: int, seed: int = 2024):
    points = [12, 24, 36, 48]
    spec = read_plan(None, seed=seed, replicates=max(1, datasets // len(points)))
    return spec.model_copy(update={"grid": {"communities": points}})


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def line(label: str, seconds: float, baseline: float, workers: int, note: str = "") -> None:
    speedup = baseline / seconds
    print(
        f"  {label:34} {seconds:8.1f} s  speed-up {speedup:5.2f}×  "
        f"efficiency {speedup / workers:5.0%}  {note}"
    )


def bench_plan(datasets: int, chunk: int, pool: bool) -> dict:
    from dask.distributed import Client, LocalCluster

    spec = plan_spec(datasets)
    total = spec.replicates * len(spec.points())
    print(
        f"plan: {total:,} data sets ({len(spec.points())} points × {spec.replicates}), "
        f"{-(-spec.replicates // chunk) * len(spec.points())} tasks of ≤{chunk} replicates"
    )
    run_plan(plan_spec(4), chunk=1)  # imports and caches, as the workers get below
    local, local_wall, local_cpu = timed(lambda: run_plan(spec, chunk=chunk))
    print(
        f"  {'in this process, no Dask':34} {local_wall:8.1f} s  (CPU {local_cpu:.1f} s, "
        f"{1000 * local_cpu / total:.0f} ms CPU a data set)"
    )
    out = {"datasets": total, "local": local_wall, "local_cpu": local_cpu}
    if pool:
        before = _children_cpu()
        result, wall, _ = timed(lambda: run_plan(spec, chunk=chunk, jobs=2))
        cpu = _children_cpu() - before
        pd.testing.assert_frame_equal(result.table, local.table)
        line(
            "local process pool, 2 processes",
            wall,
            local_wall,
            2,
            f"(includes pool start; CPU {cpu:.1f} s = {cpu / wall:.2f} cores obtained)",
        )
        out["pool2"] = wall
    for workers in (1, 2):
        started = time.perf_counter()
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            worker_dashboard_address=None,
            silence_logs=logging.CRITICAL,  # workers' shutdown chatter
        )
        client = Client(cluster)
        run_plan(plan_spec(4 * workers), scheduler=client, chunk=1)  # warm every worker
        startup = time.perf_counter() - started
        try:
            before = sum(client.run(time.process_time).values())
            result, wall, _ = timed(lambda: run_plan(spec, scheduler=client, chunk=chunk))  # noqa: B023
            cpu = sum(client.run(time.process_time).values()) - before
            pd.testing.assert_frame_equal(result.table, local.table)
            line(
                f"Dask LocalCluster, {workers} worker(s)",
                wall,
                local_wall,
                workers,
                f"(start-up and warm-up {startup:.1f} s apart; workers' CPU {cpu:.1f} s = "
                f"{cpu / wall:.2f} cores obtained)",
            )
            out[f"dask{workers}"] = wall
            if workers == 2:
                out.update(bench_overheads(client, spec, chunk))
        finally:
            client.close()
            cluster.close()
    if "dask1" in out and "dask2" in out:
        print(f"  Dask 2 workers against Dask 1 worker: {out['dask1'] / out['dask2']:.2f}×")
    print("  every run gave the same table")
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _noop(index: int) -> int:
    return index


def bench_overheads(client, spec, chunk: int, count: int = 2000) -> dict:
    from dask.distributed import as_completed

    started = time.perf_counter()
    futures = client.map(_noop, range(count), pure=False)
    for future in as_completed(futures):
        future.result()
    per_task = (time.perf_counter() - started) / count
    work = tasks(spec, chunk)
    task_bytes = len(pickle.dumps(work[0]))
    replicate = run_plan(plan_spec(1), chunk=1).replicates.query("point == 0")
    result_bytes = len(pickle.dumps(replicate.to_dict("records"))) * chunk  # × replicates
    print(
        f"overheads: {count:,} no-op tasks through scheduler and client: "
        f"{1000 * per_task:.2f} ms a task ({1 / per_task:,.0f} tasks/s); "
        f"a task pickles to {task_bytes:,} bytes, its result to about {result_bytes:,} bytes"
    )
    return {"noop_ms": 1000 * per_task, "task_bytes": task_bytes, "result_bytes": result_bytes}


def bench_reports() -> None:
    # ------------------------------------------------------------------------------------
    # PLACE FOR THE 48-REPORT BATCH (issue 12, item 1): build 48 reports with `impact run`
    # locally (jobs 1 and 2) and with `--scheduler` on a LocalCluster of 1 and 2 workers,
    # printing time, speed-up and efficiency as bench_plan does. Filled in once the
    # runner work (warm workers, locking, crash-safe publishing) and `impact run
    # --scheduler` have landed.
    # ------------------------------------------------------------------------------------
    print("reports: 48-report batch not measured yet (needs `impact run --scheduler`)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=25, help="replicates per task")
    parser.add_argument("--skip-pool", action="store_true", help="no local process pool run")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # shutdown chatter
    print(f"machine: {os.cpu_count()} cores; load average before {os.getloadavg()}")
    bench_plan(args.datasets, args.chunk, pool=not args.skip_pool)
    bench_reports()
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
