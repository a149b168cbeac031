"""Scaling beyond one process: the same work locally and on a Dask LocalCluster, in one run.

- **Plan**: a 1,000-data-set ``impact plan`` (4 design points × 250 replicates, communities
  12, 24, 36, 48) run (a) in this process without Dask, (b) in a local process pool of 2,
  (c) on a LocalCluster with 1 worker process and (d) with 2. Prints wall time, CPU time of
  the in-process run, speed-up against (a) and efficiency (speed-up ÷ workers), and checks
  that every run gives the same table. Workers are warmed (modules imported) before timing,
  as a long-lived cluster's would be; cluster start-up is printed apart.
- **Overheads** for extrapolating to many workers (docs/scaling.md): round trip of no-op
  tasks through the scheduler and client, and the pickled size of a task and its result.
- **Reports**: 48 report builds of the sample (mid-term and annual reports of every round
  and year of its three programmes, in zh and en; ``options: {pdf: false, docx: false}``)
  with ``impact run --jobs 1`` and ``--jobs 2`` and with ``--scheduler`` on a LocalCluster
  of 1 and 2 worker processes (kernels warmed first, start-up printed apart), each cluster
  build checked against the local one; the bytes a report sends back and the client's time
  to publish it.

The machine's load average is printed before and after: on a shared machine, speed-up
measures the cores the run got, not what the code can do.

    python bench/scale.py [--datasets 1000] [--chunk 25] [--skip-pool] [--reports 48]
                          [--skip-plan] [--skip-reports]
"""

from __future__ import annotations

import argparse
import logging
import os
import pickle
import resource
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd
import yaml

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


PROGRAMMES = ("lishui_like", "fund_like", "contest_like")
YEARS = {"lishui_like": 2019, "fund_like": 2021, "contest_like": 2017}  # round 1's year


def report_params(folder: Path, count: int) -> list[Path]:
    """``count`` (at most 48) different reports of the sample: mid-term reports of rounds
    1-4 and annual reports of those rounds' years, for the three programmes, in zh and en,
    interleaved so that a shorter batch has every kind. No PDF or Word (``options: {pdf:
    false, docx: false}``): HTML, tables and workbook only."""
    midterm, annual = [], []
    for number in range(4):
        for programme in PROGRAMMES:
            for language in ("zh", "en"):
                common = {"data": "data/sample", "programme": programme, "language": language}
                midterm.append({"kind": "midterm", "round": number + 1, **common})
                annual.append({"kind": "annual", "year": YEARS[programme] + number, **common})
    reports = [r for pair in zip(midterm, annual, strict=True) for r in pair][:count]
    folder.mkdir(parents=True)
    files = []
    for number, report in enumerate(reports):
        path = folder / f"{number:02d}-{report['kind']}.yaml"
        options = {"options": {"pdf": False, "docx": False}}
        path.write_text(yaml.safe_dump(report | options), "utf-8")
        files.append(path)
    return files


def bench_reports(count: int) -> dict:
    """The same batch of report builds: `impact run --jobs 1` and `--jobs 2` (kernels
    started by the run, as always locally), then `--scheduler` on a LocalCluster of 1 and 2
    worker processes whose kernels are warm (a long-lived cluster's would be; start-up is
    printed apart). Every cluster build is checked against the local one (tables byte for
    byte, report text); the client's time per publish and the bytes a report sends back are
    measured for docs/scaling.md."""
    from dask.distributed import Client, LocalCluster

    from impact.report import runner
    from impact.report.identical import differences
    from impact.report.runner import build as building
    from impact.report.runner.backends import dask as remote
    from impact.report.runner.kernel import preimport

    out: dict = {"reports": count}
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        files = report_params(work / "params", count)
        print(f"reports: {count} builds of the sample (mid-term, annual; zh, en; no PDF, Word)")

        def build(root: Path, **how):
            outcomes = runner.run(
                files, root=root, notebooks=Path("notebooks"), force=True, progress=False, **how
            )
            failed = [o.message for o in outcomes if o.status != "ok"]
            assert not failed, failed
            return outcomes

        preimport()  # papermill and nbconvert: imported once per process, not timed
        local = {}
        for jobs in (1, 2):
            outcomes, wall, _ = timed(lambda: build(work / f"local{jobs}", jobs=jobs))  # noqa: B023
            local[jobs] = outcomes
            out[f"local{jobs}"] = wall
            line(f"impact run --jobs {jobs}", wall, out["local1"], jobs, "(kernel starts included)")
        published = []
        real = building.settle

        def timed_publish(built):
            started = time.perf_counter()
            sent = sum(p.stat().st_size for p in built.stage.rglob("*") if p.is_file())
            outcome = real(built)
            published.append((time.perf_counter() - started, sent))
            return outcome

        building.settle = timed_publish
        try:
            for workers in (1, 2):
                started = time.perf_counter()
                cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    worker_dashboard_address=None,
                    silence_logs=logging.CRITICAL,
                )
                client = Client(cluster)
                try:
                    remote.warm_workers(client)
                    startup = time.perf_counter() - started
                    published.clear()
                    outcomes, wall, cpu = timed(
                        lambda: build(work / f"dask{workers}", scheduler=client)  # noqa: B023
                    )
                    for mine, theirs in zip(local[1], outcomes, strict=True):
                        found = differences(Path(mine.folder), Path(theirs.folder))
                        assert not found, (mine.params, found)
                    line(
                        f"--scheduler, {workers} warm Dask worker(s)",
                        wall,
                        out["local1"],
                        workers,
                        f"(start-up and warm-up {startup:.1f} s apart; client CPU {cpu:.1f} s)",
                    )
                    out[f"dask{workers}"] = wall
                    out[f"publish_ms{workers}"] = 1000 * sum(s for s, _ in published) / count
                    out[f"result_kb{workers}"] = sum(b for _, b in published) / count / 1024
                finally:
                    client.close()
                    cluster.close()
        finally:
            building.settle = real
        data_kb = sum(p.stat().st_size for p in Path("data/sample").iterdir()) / 1024
        print(
            f"  every cluster build equals the local one (tables byte for byte, report text); "
            f"a built report comes back as {out['result_kb2']:.0f} KB (its files and run "
            f"record), and the client takes {out['publish_ms2']:.0f} ms to write and "
            f"publish it; the sample's data is {data_kb:.0f} KB (scattered to the cluster "
            f"once when sent as bytes)"
        )
        if "dask1" in out and "dask2" in out:
            print(f"  Dask 2 workers against Dask 1 worker: {out['dask1'] / out['dask2']:.2f}×")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=25, help="replicates per task")
    parser.add_argument("--skip-pool", action="store_true", help="no local process pool run")
    parser.add_argument("--reports", type=int, default=48, help="report builds (at most 48)")
    parser.add_argument("--skip-plan", action="store_true", help="only the reports")
    parser.add_argument("--skip-reports", action="store_true", help="only the plan")
    parser.add_argument(
        "--worker-profiler",
        action="store_true",
        help="keep Dask's statistical profiler on in the workers (off by default here, as "
        "docs/scaling.md advises for compute-bound batches: it samples every thread each "
        "10 ms and cost about 9%% of the plan's CPU)",
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # shutdown chatter
    print(f"machine: {os.cpu_count()} cores; load average before {os.getloadavg()}")
    import dask

    profiler = bool(args.worker_profiler)
    print(f"Dask workers' statistical profiler: {'on' if profiler else 'off'}")
    # LocalCluster hands this configuration to the worker processes it starts
    with dask.config.set({"distributed.worker.profile.enabled": profiler}):
        if not args.skip_plan:
            bench_plan(args.datasets, args.chunk, pool=not args.skip_pool)
        if not args.skip_reports:
            bench_reports(min(args.reports, 48))
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
