"""Report batch benchmark: ``impact run --all --force`` against a naive loop, same machine,
same run, same reports.

The batch is 12 reports on the embedded data (mid-term for every programme in both
languages, annual reports, exploration, comparison). The naive loop runs, for each report,
``papermill NOTEBOOK OUT -f PARAMS`` and then ``jupyter nbconvert --to html --no-input OUT``.
Both write their tables; the script checks that the tables are identical, then prints both
times, the ratio, and the time of a no-change rerun of ``impact run --all``.

    python bench/reports.py [--jobs 2]
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path.cwd()
BIN = Path(sys.executable).parent
REPORTS = (
    [
        {"kind": "midterm", "programme": p, "round": 4, "language": lang}
        for p in ("lishui_like", "fund_like", "contest_like")
        for lang in ("zh", "en")
    ]
    + [
        {"kind": "annual", "programme": p, "year": y, "language": "zh"}
        for p, y in (("lishui_like", 2021), ("fund_like", 2023), ("contest_like", 2019))
    ]
    + [
        {"kind": "annual", "programme": "lishui_like", "year": 2021, "language": "en"},
        {"kind": "explore", "language": "en"},
        {"kind": "compare", "language": "zh"},
    ]
)


def write_params(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    files = []
    for number, report in enumerate(REPORTS):
        path = folder / f"{number:02d}-{report['kind']}.yaml"
        path.write_text(yaml.safe_dump({"data": "data/sample", **report}), "utf-8")
        files.append(path)
    return files


def naive(files: list[Path], out: Path) -> float:
    """papermill, then nbconvert, one report after the other, as one would by hand."""
    start = time.perf_counter()
    for path in files:
        report = yaml.safe_load(path.read_text("utf-8"))
        folder = out / path.stem
        folder.mkdir(parents=True)
        parameters = folder / "parameters.yaml"
        parameters.write_text(
            yaml.safe_dump(
                {
                    "data": str((ROOT / "data" / "sample").resolve()),
                    "programme": report.get("programme"),
                    "round_no": report.get("round"),
                    "year": report.get("year"),
                    "language": report["language"],
                    "output_dir": str(folder),
                }
            ),
            "utf-8",
        )
        executed = folder / "report.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                f"notebooks/{report['kind']}.ipynb",
                str(executed),
                "-f",
                str(parameters),
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def impact_run(params_dir: Path, out: Path, jobs: int, force: bool = True) -> float:
    start = time.perf_counter()
    command = [
        str(BIN / "impact"),
        "run",
        "--all",
        "--params-dir",
        str(params_dir),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--quiet",
    ] + (["--force"] if force else [])
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def same_tables(files: list[Path], naive_out: Path, impact_out: Path) -> bool:
    """Every table the naive loop wrote equals the one impact published for that report."""
    for path in files:
        tables = naive_out / path.stem / "tables"
        for table in sorted(tables.glob("*.csv")):
            matches = list(impact_out.rglob(f"{table.name}"))
            report = yaml.safe_load(path.read_text("utf-8"))
            wanted = [
                m
                for m in matches
                if f"/{report['language']}/" in m.as_posix()
                and f"/{report['kind']}/" in m.as_posix()
                and (report.get("programme") or "all") in m.as_posix()
                and str(report.get("round") or report.get("year") or "all") in m.as_posix()
            ]
            if not wanted or not filecmp.cmp(table, wanted[0], shallow=False):
                print(f"differs: {path.stem} {table.name}")
                return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        files = write_params(work / "params")
        impact_s = impact_run(work / "params", work / "impact", args.jobs)
        naive_s = naive(files, work / "naive")
        rerun_s = impact_run(work / "params", work / "impact", args.jobs, force=False)
        identical = same_tables(files, work / "naive", work / "impact")
    print(f"reports: {len(files)}")
    print(
        f"naive papermill + nbconvert loop: {naive_s:7.1f} s ({naive_s / len(files):.1f} s "
        f"per report)"
    )
    print(f"impact run --all --force --jobs {args.jobs}: {impact_s:7.1f} s")
    print(f"ratio (naive / impact): {naive_s / impact_s:.2f}")
    print(f"no-change rerun: {rerun_s:.2f} s")
    print(f"identical tables: {identical}")


if __name__ == "__main__":
    main()
