"""Report batch benchmark: ``impact run`` against the naive papermill + nbconvert loop, same
machine, same run, same reports, each figure printed beside the naive loop's.

The batch is 12 reports on the embedded data (mid-term for every programme in both
languages, annual reports, exploration, comparison). The naive loop runs, for each report,
``papermill NOTEBOOK OUT -f PARAMS`` with the same parameters impact passes (data, programme,
period, language, title, options) and then, in a new process, the package's own export
(:func:`impact.report.export.export_report`, as ``nbconvert`` would be run after papermill):
an executed notebook, the HTML page, the tables and the workbook. Notebooks write nothing
while they run (the sections write blocks; every file is rendered from them afterwards), so
the export step is what makes the naive loop's tables.

Like for like: the headline rows run impact with the same outputs, its parameters files
saying ``options: {pdf: false, docx: false}``. A second batch makes every hand-over format
impact makes by default (HTML, PDF, Word and the Excel workbook) and is printed beside the
same naive figure, which makes less, so that nobody reads it as the like-for-like ratio.

The script checks that every table is byte-identical and that the report text (every text,
HTML and plain output of every cell, and the text inside every figure) is identical, then
prints:

- the 12-report batch: ``impact run --all --force --jobs N`` against the naive loop;
- the same batch making every hand-over format;
- a no-change rerun of ``impact run --all`` (nothing to rebuild) against the same naive loop;
- one cold report (a new process, a new output folder) against the naive loop's time for
  that report, with the same outputs and with every format;
- where impact's time goes: the mean per report of each phase recorded in ``run.json``
  (reset of the warm kernel, execution, export) and the kernel's CPU seconds;
- the machine's load average before and after, since the figures depend on it.

A report that fails in the naive loop (a content error, not the runner's) is left out of the
comparison and named.

    python bench/reports.py [--jobs 2]
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

import yaml

from impact.report import identical

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
COLD = 0  # the report timed cold: mid-term, lishui_like, zh


SAME_OUTPUTS = {"pdf": False, "docx": False}  # what the naive loop makes: notebook + HTML


def write_params(folder: Path, options: dict | None = None) -> list[Path]:
    folder.mkdir(parents=True)
    files = []
    for number, report in enumerate(REPORTS):
        path = folder / f"{number:02d}-{report['kind']}.yaml"
        settings = {"data": "data/sample", **report} | ({"options": options} if options else {})
        path.write_text(yaml.safe_dump(settings), "utf-8")
        files.append(path)
    return files


def folder_of(path: Path, out: Path) -> Path:
    """The folder of the report impact built for the parameters file ``path`` under ``out``
    (or of its failed build), found by its run.json."""
    found = [
        record_path.parent
        for record_path in sorted(out.glob("**/run.json"))
        if ".staging" not in record_path.parts
        and json.loads(record_path.read_text("utf-8")).get("params_file") == str(path)
    ]
    built = [folder for folder in found if (folder / "report.html").exists()]
    return (built or found or [out / "missing" / path.stem])[0]


def naive_one(path: Path, out: Path, impact_out: Path) -> tuple[float, bool]:
    """papermill, then nbconvert, for one report, with the parameters impact used."""
    report = yaml.safe_load(path.read_text("utf-8"))
    record = json.loads((folder_of(path, impact_out) / "run.json").read_text("utf-8"))
    folder = out / path.stem
    folder.mkdir(parents=True)
    parameters = folder / "parameters.yaml"
    options = dict(record["parameters"]["options"])
    options["published"] = str((ROOT / options["published"]).resolve())
    parameters.write_text(
        yaml.safe_dump(
            {
                "data": str((ROOT / "data" / "sample").resolve()),
                "programme": report.get("programme"),
                "round_no": report.get("round"),
                "year": report.get("year"),
                "language": report["language"],
                "title": record["title"],
                "options": options,
            },
            allow_unicode=True,
        ),
        "utf-8",
    )
    executed = folder / "report.ipynb"
    start = time.perf_counter()
    run = subprocess.run(
        [
            str(BIN / "papermill"),
            f"notebooks/{report['kind']}.ipynb",
            str(executed),
            "-f",
            str(parameters),
            "--no-progress-bar",
        ],
        capture_output=True,
    )
    if run.returncode == 0:
        export = (
            "import sys; from pathlib import Path; from impact.report.export import export_report;"
            " export_report(Path(sys.argv[1]), Path(sys.argv[2]), title=sys.argv[3],"
            " language=sys.argv[4], record={}, pdf=False, docx=False)"
        )
        subprocess.run(
            [
                str(BIN / "python"),
                "-c",
                export,
                str(executed),
                str(folder),
                record["title"],
                report["language"],
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start, run.returncode == 0


def impact_run(params: list[str], out: Path, jobs: int, force: bool = True) -> float:
    command = [str(BIN / "impact"), "run", *params, "--out", str(out), "--jobs", str(jobs)]
    command += ["--quiet"] + (["--force"] if force else [])
    start = time.perf_counter()
    subprocess.run(command, capture_output=True)  # exit 1 if a report fails: compared below
    return time.perf_counter() - start


PHASES = (
    "reset_s",
    "execute_s",
    "execute_kernel_cpu_s",
    "export_s",
    "export_html_s",
    "export_pdf_s",
    "export_docx_s",
)


def phases(out: Path) -> dict[str, float]:
    """The mean per report of each phase ``run.json`` records (built reports only)."""
    records = [json.loads(p.read_text("utf-8")) for p in out.glob("**/run.json")]
    timings = [r.get("timings") or {} for r in records if r.get("status") == "ok"]
    return {
        phase: sum(t[phase] for t in timings if phase in t) / len(timings)
        for phase in PHASES
        if any(phase in t for t in timings)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        files = write_params(work / "params", SAME_OUTPUTS)
        every_format = write_params(work / "params-all")
        everything = ["--all", "--params-dir", str(work / "params")]
        impact_s = impact_run(everything, work / "impact", args.jobs)
        phases_same = phases(work / "impact")
        all_s = impact_run(
            ["--all", "--params-dir", str(work / "params-all")], work / "impact-all", args.jobs
        )
        phases_all = phases(work / "impact-all")
        naive_each = [naive_one(path, work / "naive", work / "impact") for path in files]
        naive_s = sum(seconds for seconds, _ in naive_each)
        rerun_s = impact_run(everything, work / "impact", args.jobs, force=False)
        cold_s = impact_run([str(files[COLD])], work / "cold", 1)
        cold_all_s = impact_run([str(every_format[COLD])], work / "cold-all", 1)
        failed = [f.stem for f, (_, ok) in zip(files, naive_each, strict=True) if not ok]
        differences = []
        for path, (_, ok) in zip(files, naive_each, strict=True):
            if not ok:
                continue
            mine, theirs = folder_of(path, work / "impact"), work / "naive" / path.stem
            if not (mine / "report.html").exists():
                differences.append(f"{path.stem}: impact built no report")
                continue
            differences += [f"{path.stem}: {d}" for d in identical.differences(theirs, mine)]
    load_after = os.getloadavg()
    compared = len(files) - len(failed)
    print(f"reports: {len(files)}; compared: {compared}")
    if failed:
        print(f"left out (they fail in the naive loop too, a content error): {', '.join(failed)}")
    width = 52
    print(f"{'':{width}}{'naive loop':>12}{'impact':>10}{'ratio':>8}")

    def row(label: str, naive: float, mine: float) -> None:
        print(f"{label:{width}}{naive:10.1f} s{mine:8.2f} s{naive / mine:7.1f}x")

    row(f"batch of {len(files)} (--jobs {args.jobs}), same outputs", naive_s, impact_s)
    row("no-change rerun", naive_s, rerun_s)
    cold_naive = naive_each[COLD][0]
    row(f"one cold report ({files[COLD].stem}), same outputs", cold_naive, cold_s)
    print("not like for like (impact makes more than the naive loop):")
    row("batch, all hand-over formats (HTML+PDF+Word+Excel)", naive_s, all_s)
    row("one cold report, all hand-over formats", cold_naive, cold_all_s)
    print(f"identical tables and report text: {not differences}")
    for difference in differences:
        print(f"  differs: {difference}")
    print("impact's mean seconds per report, by phase (run.json):")
    for label, measured in (("same outputs", phases_same), ("all formats", phases_all)):
        print(f"  {label + ':':14}" + "; ".join(f"{k[:-2]} {v:.2f}" for k, v in measured.items()))
    print(
        "load average (1, 5, 15 min) before: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after: "
        + ", ".join(f"{x:.2f}" for x in load_after)
        + f"; cores: {os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
