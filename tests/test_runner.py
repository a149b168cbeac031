"""The runner for unattended use: warm kernels that leak nothing from one report to the next,
provenance that matches the bytes a report read, faults of the machine as one-line messages,
the index and log telling what happened, and no kernel noise."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from impact import cli
from impact.report import index, publish, runner
from impact.report.identical import report_text

ROOT = Path(__file__).resolve().parents[1]
PARAMETERS = (
    "data = None\\nprogramme = None\\nround_no = None\\nyear = None\\n"
    "language = 'zh'\\ntitle = None\\noptions = {}"
)


def notebook(folder: Path, *bodies: str, kind: str = "explore") -> Path:
    """A notebook of the given cells after the parameters cell."""
    folder.mkdir(parents=True, exist_ok=True)
    cells = [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {"tags": ["parameters"]},
            "outputs": [],
            "source": PARAMETERS.replace("\\n", "\n"),
            "id": "parameters",
        }
    ] + [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": b,
            "id": f"cell-{n}",
        }
        for n, b in enumerate(bodies)
    ]
    document = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    (folder / f"{kind}.ipynb").write_text(json.dumps(document), "utf-8")
    return folder


def params(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "data" / "clean", copy)
    return copy


def record(folder: str | Path) -> dict:
    return json.loads((Path(folder) / "run.json").read_text("utf-8"))


# ---------------------------------------------------------------- warm workers

LEAK_CHECK = """
import os, sys, types
import matplotlib
found = []
if "LEAKED_GLOBAL" in globals(): found.append("global")
if matplotlib.rcParams["lines.linewidth"] == 7: found.append("rcParams")
if "impact_leaked_module" in sys.modules: found.append("sys.modules")
if "IMPACT_LEAKED" in os.environ: found.append("environ")
assert not found, f"state leaked from the previous report: {found}"
LEAKED_GLOBAL = 1
matplotlib.rcParams["lines.linewidth"] = 7
sys.modules["impact_leaked_module"] = types.ModuleType("impact_leaked_module")
os.environ["IMPACT_LEAKED"] = "1"
print(os.getpid())
"""


def test_one_warm_kernel_runs_report_after_report_and_nothing_leaks(tmp_path, data):
    notebooks = notebook(tmp_path / "nb", LEAK_CHECK)
    files = [
        params(tmp_path, f"{n}.yaml", f"kind: explore\ndata: {data}\nlanguage: {lang}\n")
        for n, lang in enumerate(("en", "zh"))
    ]
    outcomes = runner.run(files, root=tmp_path / "out", notebooks=notebooks, progress=False)
    assert [o.status for o in outcomes] == ["ok", "ok"], [o.message for o in outcomes]
    pids = set()
    for outcome in outcomes:
        executed = json.loads((Path(outcome.folder) / "report.ipynb").read_text("utf-8"))
        pids.add("".join(executed["cells"][-1]["outputs"][0]["text"]).strip())
        # parameters, injected parameters, this cell: counts start afresh in every report
        assert executed["cells"][-1]["execution_count"] == 3
    assert len(pids) == 1  # the same kernel process ran both reports


def test_the_leak_test_catches_a_leak_when_the_reset_is_skipped(tmp_path, data, monkeypatch):
    monkeypatch.setattr(runner.WarmKernel, "reset", lambda self: None)
    notebooks = notebook(tmp_path / "nb", LEAK_CHECK)
    files = [
        params(tmp_path, f"{n}.yaml", f"kind: explore\ndata: {data}\nlanguage: {lang}\n")
        for n, lang in enumerate(("en", "zh"))
    ]
    outcomes = runner.run(files, root=tmp_path / "out", notebooks=notebooks, progress=False)
    assert [o.status for o in outcomes] == ["ok", "failed"]
    assert "state leaked from the previous report" in outcomes[1].message


def test_a_report_that_changes_the_package_gets_a_fresh_kernel(tmp_path, data):
    body = (
        "import os, impact.report.figures as s\n"
        "assert s.ON_TRACK == 0.45, 'package state leaked'\n"
        "s.ON_TRACK = 0.99\nprint(os.getpid())"
    )
    notebooks = notebook(tmp_path / "nb", body)
    notebook(tmp_path / "nb", body, kind="compare")
    files = [
        params(tmp_path, f"{n}.yaml", f"kind: {kind}\ndata: {data}\nlanguage: {lang}\n")
        for n, (kind, lang) in enumerate((("explore", "en"), ("explore", "zh"), ("compare", "en")))
    ]
    outcomes = runner.run(files, root=tmp_path / "out", notebooks=notebooks, progress=False)
    assert [o.status for o in outcomes] == ["ok"] * 3, [o.message for o in outcomes]
    assert record(outcomes[1].folder)["kernel"]["starts"] == 2
    assert record(outcomes[2].folder)["kernel"]["starts"] == 3  # and again after the fresh one
    assert "ON_TRACK" in record(outcomes[1].folder)["kernel"]["last_restart"]


def test_a_kernel_started_for_one_report_is_replaced_not_reset(tmp_path, data):
    """A one-report run's kernel imports nothing in advance, so its state cannot be put back
    by a reset: asked for a second report, it is replaced by a warmed-up kernel."""
    kernel = runner.WarmKernel(tmp_path / "kernel.log", str(ROOT))
    kernel.light = True
    try:
        kernel.start()
        assert kernel.started["light"] and "start_s" in kernel.started
        kernel.reset()  # the first report: nothing to reset
        first = kernel.pid
        kernel.run_code("import sys; sys.modules['impact_leaked_module'] = sys")
        kernel.reset()  # the second: a new kernel, warmed up
        assert kernel.pid != first and kernel.restarts == 1 and not kernel.light
        assert "one report" in kernel.last_restart
        kernel.run_code("import sys; assert 'impact_leaked_module' not in sys.modules")
        kernel.run_code(
            "import sys; assert 'statsmodels.genmod.generalized_linear_model' in sys.modules"
        )  # warmed up
    finally:
        kernel.stop()


def test_a_kernel_reset_from_another_thread_gets_a_client_of_that_thread(tmp_path, data):
    """The kept client belongs to its thread's event loop; a pool that runs each task in
    another thread must still be able to reset and run code (without hanging)."""
    import threading

    kernel = runner.WarmKernel(tmp_path / "kernel.log", str(ROOT))
    kernel.light = True
    try:
        kernel.start()
        first_client, errors = kernel.kc, []

        def elsewhere():
            try:
                kernel.reset()
                kernel.run_code("x = 1")
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        thread = threading.Thread(target=elsewhere, daemon=True)
        thread.start()
        thread.join(timeout=120)
        assert not thread.is_alive() and not errors, errors
        assert kernel.kc is not first_client and kernel.restarts == 0
    finally:
        kernel.stop()


# ---------------------------------------------------------------- provenance


def test_run_json_hashes_exactly_the_bytes_the_report_read(tmp_path, data):
    # The notebook changes the data file under the runner's feet, then hashes what it reads.
    body = (
        "import hashlib, pathlib\n"
        f"original = pathlib.Path({str(data / 'projects.csv')!r})\n"
        "original.write_bytes(original.read_bytes() + b'\\n')\n"
        "print(hashlib.sha256((pathlib.Path(data) / 'projects.csv').read_bytes()).hexdigest())"
    )
    before = hashlib.sha256((data / "projects.csv").read_bytes()).hexdigest()
    notebooks = notebook(tmp_path / "nb", body)
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    (outcome,) = runner.run([path], root=tmp_path / "out", notebooks=notebooks, progress=False)
    assert outcome.status == "ok", outcome.message
    executed = json.loads((Path(outcome.folder) / "report.ipynb").read_text("utf-8"))
    read = "".join(executed["cells"][-1]["outputs"][0]["text"]).strip()
    recorded = record(outcome.folder)
    assert recorded["data"][str(data / "projects.csv")] == read == before
    assert hashlib.sha256((data / "projects.csv").read_bytes()).hexdigest() != before
    assert (
        recorded["notebook_sha256"]
        == hashlib.sha256((notebooks / "explore.ipynb").read_bytes()).hexdigest()
    )
    assert recorded["parameters_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert recorded["code_sha256"] == publish.code_hash()


def test_published_figures_are_part_of_the_fingerprint(tmp_path, data):
    published = tmp_path / "published"
    shutil.copytree(ROOT / "data" / "published", published)
    notebooks = notebook(tmp_path / "nb", "print(options['published'])")
    path = params(
        tmp_path,
        "p.yaml",
        f"kind: explore\ndata: {data}\nlanguage: en\noptions: {{published: {published}}}\n",
    )
    out = tmp_path / "out"
    (first,) = runner.run([path], root=out, notebooks=notebooks, progress=False)
    assert first.status == "ok"
    assert str(published / "published.csv") in record(first.folder)["published"]
    assert runner.run([path], root=out, notebooks=notebooks, progress=False)[0].status == (
        "skipped"
    )
    with open(published / "published.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert runner.run([path], root=out, notebooks=notebooks, progress=False)[0].status == "ok"


# ---------------------------------------------------------------- faults of the machine


def test_a_full_disk_is_one_line_and_keeps_the_good_report(tmp_path, data, monkeypatch, capsys):
    notebooks = notebook(tmp_path / "nb", "print('fine')")
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp_path / "out"
    (good,) = runner.run([path], root=out, notebooks=notebooks, progress=False)
    before = (Path(good.folder) / "report.html").read_bytes()

    def full(folder, record):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "run.json"))

    monkeypatch.setattr(publish, "write_record", full)
    status = cli.main(
        ["run", str(path), "--out", str(out), "--notebooks", str(notebooks), "--quiet", "--force"]
    )
    err = capsys.readouterr().err
    assert status == 3
    assert "No space left on device (ENOSPC); previous report kept" in err
    assert len([line for line in err.splitlines() if line.strip()]) == 1
    assert (Path(good.folder) / "report.html").read_bytes() == before
    assert not (out / publish.STAGING).exists()


def test_a_read_only_output_folder_is_exit_3(tmp_path, data, monkeypatch, capsys):
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")

    def read_only(root):
        raise publish.OutputError("cannot write: Read-only file system (EROFS)")

    monkeypatch.setattr(publish, "run_staging", read_only)
    assert cli.main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 3
    err = capsys.readouterr().err
    assert "Read-only file system (EROFS)" in err and "Traceback" not in err


def test_another_run_holding_the_folder_is_exit_75(tmp_path, data, capsys):
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp_path / "out"
    out.mkdir()
    with publish.locked(out):
        assert cli.main(["run", str(path), "--out", str(out), "--quiet", "--wait", "0.3"]) == 75
    assert "another run" in capsys.readouterr().err


# ---------------------------------------------------------------- index, log and noise


def test_index_says_what_happened_and_a_fixed_report_clears_its_failure(tmp_path, data):
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out, log = tmp_path / "out", tmp_path / "runs.jsonl"
    bad = notebook(tmp_path / "bad", "raise ValueError('\\x1b[31mbroken\\x1b[0m')")
    good = notebook(tmp_path / "good", "print('fine')")

    (first,) = runner.run([path], root=out, notebooks=bad, progress=False, log=log)
    assert first.status == "failed" and "no report yet" in first.message
    index.write_index(out)
    page = (out / "index.en.html").read_text("utf-8")
    assert "failed, no report yet" in page and "previous kept" not in page
    assert "explore/all/all/en.failed/run.json" in page  # the details
    failed = record(out / "explore/all/all/en.failed")
    assert "\x1b" not in json.dumps(failed) and "broken" in failed["error"]["traceback"]

    (again,) = runner.run([path], root=out, notebooks=bad, progress=False)  # nothing changed
    assert again.status == "failed" and "unchanged since its failed build" in again.message

    (second,) = runner.run([path], root=out, notebooks=good, progress=False, log=log)
    assert second.status == "ok"
    assert not (out / "explore/all/all/en.failed").exists()
    index.write_index(out)
    page = (out / "index.en.html").read_text("utf-8")
    assert "failed" not in page and "explore/all/all/en/report.html" in page

    (third,) = runner.run([path], root=out, notebooks=bad, progress=False, log=log)
    assert "previous report kept" in third.message
    index.write_index(out)
    page = (out / "index.en.html").read_text("utf-8")
    assert "failed, previous kept" in page and "explore/all/all/en/report.html" in page

    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [line["status"] for line in lines] == ["failed", "ok", "failed"]
    assert {"time", "params", "status", "folder", "seconds", "message"} <= set(lines[0])


def test_a_rerun_that_finds_a_report_current_clears_its_stale_failure(tmp_path, data):
    """The notebook broke, then was put back as the published build had it: the report is
    current again, so its kept failure is stale and the index says ok."""
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp_path / "out"
    notebooks = notebook(tmp_path / "nb", "print('fine')")
    good = (notebooks / "explore.ipynb").read_bytes()
    (first,) = runner.run([path], root=out, notebooks=notebooks, progress=False)
    assert first.status == "ok"
    notebook(tmp_path / "nb", "raise ValueError('broken')")
    (broken,) = runner.run([path], root=out, notebooks=notebooks, progress=False)
    assert broken.status == "failed" and "previous report kept" in broken.message
    index.write_index(out)
    assert "failed, previous kept" in (out / "index.en.html").read_text("utf-8")
    (notebooks / "explore.ipynb").write_bytes(good)  # fixed back
    (again,) = runner.run([path], root=out, notebooks=notebooks, progress=False)
    assert again.status == "skipped"
    assert not (out / "explore/all/all/en.failed").exists()
    assert not list((out / "explore/all/all").glob(".en.f-*"))
    index.write_index(out)
    page = (out / "index.en.html").read_text("utf-8")
    assert "failed" not in page and "explore/all/all/en/report.html" in page
    assert [entry.status for entry in index.collect(out)] == ["ok"]


def test_a_failure_is_a_record_that_says_where(tmp_path, data):
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    bad = notebook(tmp_path / "bad", "x = 1", "raise ValueError('broken')")
    (failed,) = runner.run([path], root=tmp_path / "out", notebooks=bad, progress=False)
    error = record(f"{failed.folder}.failed")["error"]
    failure = runner.Failure.from_json(error)
    assert (failure.where, failure.error, failure.message) == ("notebook", "ValueError", "broken")
    assert failure.source == "raise ValueError('broken')" and not failure.retried
    assert error["summary"] == failure.summary and failure.summary.endswith("ValueError: broken")
    assert failure == runner.Failure.from_json(failure.to_json())


def impact_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "impact.cli", "run", *args]


def test_a_normal_run_prints_no_kernel_noise(tmp_path, data):
    notebooks = notebook(tmp_path / "nb", "import warnings; print('fine')")
    files = [
        params(tmp_path, f"{n}.yaml", f"kind: explore\ndata: {data}\nlanguage: {lang}\n")
        for n, lang in enumerate(("en", "zh"))
    ]
    run = subprocess.run(
        impact_command(
            *map(str, files),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
            "--notebooks",
            str(notebooks),
        ),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    for noise in ("IPKernelApp", "zmq", "Traceback", "ERROR", "WARNING"):
        assert noise not in run.stderr


def test_ctrl_c_stops_quietly_and_keeps_every_report(tmp_path, data):
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp_path / "out"
    (good,) = runner.run(
        [path], root=out, notebooks=notebook(tmp_path / "ok", "print(1)"), progress=False
    )
    before = (Path(good.folder) / "report.html").read_bytes()
    slow = notebook(
        tmp_path / "slow", "print('started', flush=True)", "import time; time.sleep(60)"
    )
    process = subprocess.Popen(
        impact_command(str(path), "--out", str(out), "--notebooks", str(slow), "--quiet"),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until the kernel is inside the slow cell
        if any(out.glob(".staging/run-*/explore_all_all_en/report.ipynb")) or any(
            out.glob(".staging/run-*/kernel-0.log")
        ):
            time.sleep(3)
            break
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip() == "impact: interrupted; published reports are unchanged", err
    assert (Path(good.folder) / "report.html").read_bytes() == before
    assert not (out / publish.STAGING).exists()


# ---------------------------------------------------------------- a real small disk


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2 MB tmpfs (skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_full_and_read_only_disks_keep_the_good_report(tmp_path, data, tiny_disk, capsys):
    notebooks = notebook(tmp_path / "nb", "print('fine')")
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tiny_disk / "reports"
    command = ["run", str(path), "--out", str(out), "--notebooks", str(notebooks), "--quiet"]
    assert cli.main(command) == 0
    folder = out / "explore/all/all/en"
    before = (folder / "report.html").read_bytes()
    with open(tiny_disk / "filler", "wb", buffering=0) as filler:  # fill it to the last block
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError:
            pass
    capsys.readouterr()
    assert cli.main([*command, "--force"]) == 3
    err = capsys.readouterr().err
    assert "No space left on device (ENOSPC)" in err and "Traceback" not in err
    assert (folder / "report.html").read_bytes() == before
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    assert cli.main([*command, "--force"]) == 3
    err = capsys.readouterr().err
    assert "Read-only file system (EROFS)" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert (folder / "report.html").read_bytes() == before


# ---------------------------------------------------------------- warm equals fresh


def test_a_report_built_warm_is_the_report_built_fresh(built_reports, tmp_path, monkeypatch):
    """A report built in a kernel that ran other reports before it (reset in between) has
    the same tables, byte for byte, and the same text as the same report built alone in a
    new kernel."""
    monkeypatch.chdir(ROOT)
    out, outcomes = built_reports
    warm = [
        (outcome, record(outcome.folder))
        for outcome in outcomes
        if outcome.status == "ok" and record(outcome.folder)["kernel"]["reports_before"] >= 1
    ]
    # one of each kind, each built after other reports in the same kernel
    chosen = {r["parameters"]["kind"]: (o, r) for o, r in warm}
    assert {"midterm", "annual"} <= set(chosen), sorted(chosen)
    for kind in ("midterm", "annual"):
        outcome, built = chosen[kind]
        (fresh,) = runner.run(
            [Path(built["params_file"])],
            root=tmp_path / kind,
            notebooks=ROOT / "notebooks",
            language=built["parameters"]["language"],
            progress=False,
        )
        assert fresh.status == "ok", fresh.message
        assert record(fresh.folder)["kernel"]["reports_before"] == 0
        warm_folder, fresh_folder = Path(outcome.folder), Path(fresh.folder)
        tables = sorted(p.name for p in (warm_folder / "tables").glob("*"))
        assert tables and tables == sorted(p.name for p in (fresh_folder / "tables").glob("*"))
        for name in tables:
            warm_bytes = (warm_folder / "tables" / name).read_bytes()
            assert warm_bytes == (fresh_folder / "tables" / name).read_bytes(), (kind, name)
        assert report_text(warm_folder / "report.ipynb") == report_text(
            fresh_folder / "report.ipynb"
        ), kind
