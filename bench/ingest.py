"""Ingestion benchmark: load + validate against the bare read of the same files.

Generates 1,000,000 projects and 3,000,000 funding lines (plus the programmes and rounds they
link to), writes them as CSV and as Parquet, then times, each in a fresh process:

- ``floor``: the bare read of the same files, ``pyarrow.csv.read_csv(...).to_pandas()`` for
  CSV and ``pandas.read_parquet`` for Parquet;
- ``impact``: ``impact.load(folder)``, which reads, parses every column and runs every check.

It prints both times, their ratio, and the peak memory each added (resident set size above
the process's size after imports); the last column is impact's peak as a multiple of the
loaded frames' in-memory size.
Goals (issue 2): ratio ≤ 2, memory ≤ 3×.

    python bench/ingest.py [--projects N] [--lines N] [--repeat R] [--keep DIR]
                           [--baseline SRC]

``--baseline SRC`` also times ``impact.load`` from another checkout's ``src`` folder (e.g. the
commit before a change, from ``git archive``), alternating the two runs on the same files,
and prints both: issue 7 asks that sheet-layout detection cost at most 10% over the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

SOURCES = ["seed_grant", "match", "donation", "in_kind", "business", "volunteer_time"]
STAGES = ["idea", "shortlisted", "approved", "signed", "completed", "withdrawn"]


def generate(folder: Path, n_projects: int, n_lines: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    programmes = pa.table({"programme_id": ["p1", "p2", "p3"], "kind": ["competition"] * 3})
    rounds = pa.table(
        {
            "programme_id": np.repeat(["p1", "p2", "p3"], 4),
            "round": np.tile(np.arange(1, 5), 3),
            "year": np.tile(np.arange(2019, 2023), 3),
        }
    )
    ids = np.char.add("P", np.char.zfill(np.arange(n_projects).astype(str), 7))
    stage = rng.choice(STAGES, n_projects, p=[0.3, 0.1, 0.05, 0.15, 0.38, 0.02])
    funded = np.isin(stage, ["approved", "signed", "completed"])
    grant = np.where(funded, rng.integers(4, 21, n_projects) * 500.0, np.nan)
    projects = pa.table(
        {
            "project_id": ids,
            "programme_id": rng.choice(["p1", "p2", "p3"], n_projects),
            "round": rng.integers(1, 5, n_projects),
            "community_id": np.char.add("C", rng.integers(0, 2000, n_projects).astype(str)),
            "title": np.char.add("社区项目", rng.integers(0, 10_000, n_projects).astype(str)),
            "application_type": rng.choice(["standard", "matched"], n_projects, p=[0.8, 0.2]),
            "stage": stage,
            "team_size": rng.integers(3, 20, n_projects),
            "grant_yuan": pa.array(grant, from_pandas=True),
        }
    )
    funding = pa.table(
        {
            "project_id": ids[rng.integers(0, n_projects, n_lines)],
            "source": rng.choice(SOURCES, n_lines),
            "amount_yuan": np.round(rng.lognormal(7.5, 1.0, n_lines), 2),
            "form": rng.choice(["cash", "in_kind"], n_lines, p=[0.7, 0.3]),
            "date": (np.datetime64("2020-01-01") + rng.integers(0, 1500, n_lines)).astype(
                "datetime64[D]"
            ),
        }
    )
    tables = {"programmes": programmes, "rounds": rounds, "projects": projects, "funding": funding}
    for fmt in ("csv", "parquet"):
        (folder / fmt).mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            if fmt == "csv":
                pacsv.write_csv(table, folder / fmt / f"{name}.csv")
            else:
                pq.write_table(table, folder / fmt / f"{name}.parquet")


# Run in a child process so that each measurement starts from the same empty state.
CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import pandas as pd, pyarrow.csv as pacsv
import impact

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024

mode, fmt, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
before = rss_mb()
start = time.perf_counter()
if mode == "floor":
    files = sorted(folder.glob(f"*.{fmt}"))
    if fmt == "csv":
        frames = [pacsv.read_csv(f).to_pandas() for f in files]
    else:
        frames = [pd.read_parquet(f) for f in files]
else:
    data = impact.load(folder)
    frames = list(data.tables.values())
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
size = sum(int(f.memory_usage(deep=True).sum()) for f in frames) / 2**20
print(json.dumps({"seconds": seconds, "peak_added_mb": peak - before, "frames_mb": size}))
"""


def measure(mode: str, fmt: str, folder: Path, src: Path | None = None) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    run = subprocess.run(
        [sys.executable, "-c", CHILD, mode, fmt, str(folder / fmt)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; best kept")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--baseline", type=Path, help="src folder of the checkout to compare")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        start = time.perf_counter()
        generate(folder, args.projects, args.lines)
        print(
            f"generated {args.projects:,} projects and {args.lines:,} funding lines in "
            f"{time.perf_counter() - start:.1f} s"
        )
        print(
            f"{'format':8} {'floor s':>8} {'impact s':>9} {'ratio':>6} {'frames MB':>10} "
            f"{'floor peak MB':>14} {'impact peak MB':>15} {'peak/frames':>12}"
        )
        for fmt in ("csv", "parquet"):
            floor = min(
                (measure("floor", fmt, folder) for _ in range(args.repeat)),
                key=lambda m: m["seconds"],
            )
            ours = min(
                (measure("impact", fmt, folder) for _ in range(args.repeat)),
                key=lambda m: m["seconds"],
            )
            print(
                f"{fmt:8} {floor['seconds']:8.2f} {ours['seconds']:9.2f} "
                f"{ours['seconds'] / floor['seconds']:6.2f} {ours['frames_mb']:10.0f} "
                f"{floor['peak_added_mb']:14.0f} {ours['peak_added_mb']:15.0f} "
                f"{ours['peak_added_mb'] / ours['frames_mb']:12.2f}"
            )
        if args.baseline:
            compare(folder, args.baseline, args.repeat)


def compare(folder: Path, baseline: Path, repeat: int) -> None:
    """Best of ``repeat`` alternating runs of impact.load from this checkout and from
    ``baseline``, so both meet the same machine load."""
    print(f"\n{'format':8} {'baseline s':>11} {'this s':>8} {'change':>8}")
    for fmt in ("csv", "parquet"):
        base, ours = [], []
        for _ in range(repeat):
            base.append(measure("impact", fmt, folder, baseline)["seconds"])
            ours.append(measure("impact", fmt, folder)["seconds"])
        change = min(ours) / min(base) - 1
        print(f"{fmt:8} {min(base):11.2f} {min(ours):8.2f} {change:+8.1%}")


if __name__ == "__main__":
    main()
