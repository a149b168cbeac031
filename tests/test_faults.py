"""Run-level faults found by the fault catalogue (``bench/faults.py``), each kept as a test:
a stop in the command's first instant, a kernel that cannot start, a mount inside the output
folder. The catalogue's slow cases (signals at moments of a real run, a full disk, two runs
at once) run here too, marked slow."""

from __future__ import annotations

import errno
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from impact import cli
from impact.errors import ParamsError
from impact.report import publish, runner
from impact.report.runner import driver

ROOT = Path(__file__).resolve().parents[1]


def test_importing_the_command_line_does_not_load_pandas():
    """The window in which a Ctrl-C or SIGTERM meets Python's default handling (a traceback,
    or death by the signal) is the interpreter's start and this import: keep it short."""
    code = "import sys, impact.cli; print('pandas' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
    import impact

    assert impact.load.__module__ == "impact.dataset"  # the public API is still there
    from impact import Dataset, validate  # noqa: F401

    assert callable(impact.validate) and callable(validate)  # the function, not the module


def test_a_stop_while_the_command_starts_is_exit_130_one_line(monkeypatch, capsys):
    def stopped_while_parsing():
        os.kill(os.getpid(), signal.SIGTERM)
        raise AssertionError("SIGTERM did not interrupt")

    previous = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(cli, "build_parser", stopped_while_parsing)
    try:
        assert cli.main(["run", "--all"]) == cli.EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
    err = capsys.readouterr().err
    assert err == "impact: interrupted; published reports are unchanged\n"


def test_a_kernel_that_cannot_start_is_exit_3_one_line(tmp_path, monkeypatch, capsys):
    def no_kernel(*args, **kwargs):
        raise runner.KernelError("cannot start a Python kernel (python3): Permission denied")

    monkeypatch.setattr(runner, "run", no_kernel)
    params = ROOT / "params" / "explore-sample.yaml"
    assert cli.main(["run", str(params), "--out", str(tmp_path / "o"), "--quiet"]) == 3
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("impact: cannot start a Python kernel") and "unchanged" in line


def test_a_mount_inside_the_output_folder_is_explained():
    error = OSError(errno.EXDEV, "Invalid cross-device link", "reports/.staging/run-1/x")
    text = publish.describe_os_error(error)
    assert "(EXDEV)" in text and "another file system" in text and "\n" not in text


def _catalogue():
    spec = importlib.util.spec_from_file_location("faults", ROOT / "bench" / "faults.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("faults", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


SLOW_CASES = [
    "publish_killed_at_swapped",
    "publish_killed_at_index",
    "publish_killed_at_failed-linked",
    "sigterm_building",
    "sigint_exporting",
    "sigkill_notebook-saved",
    "overlap_2_nowait",
    "lock_is_symlink",
    "params_dir_fifo",
    "data_fifo_inside",
    "title_hostile",
    "full_disk",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", SLOW_CASES)
def test_catalogue_case_holds(tmp_path, name):
    catalogue = _catalogue()
    (item,) = [c for c in catalogue.CASES if c.name == name]
    if item.root_only and os.geteuid() != 0:
        pytest.skip("needs root (mounts)")
    assert item.run(tmp_path) == []


@pytest.mark.parametrize(
    "option, says",
    [
        (["--jobs", "0"], "--jobs must be at least 1 (0)"),
        (["--jobs", "-2"], "--jobs must be at least 1 (-2)"),
        (["--wait", "nan"], "--wait must be 0 or more seconds (nan)"),
        (["--wait", "-1"], "--wait must be 0 or more seconds (-1.0)"),
    ],
)
def test_impossible_options_are_one_line_and_exit_2(tmp_path, capsys, option, says):
    params = ROOT / "params" / "explore-sample.yaml"
    status = cli.main(["run", str(params), "--out", str(tmp_path / "o"), "--quiet", *option])
    assert status == 2
    assert capsys.readouterr().err == f"impact: {says}\n"
    assert not (tmp_path / "o").exists()  # refused before anything


def test_the_log_folder_is_made_and_an_unwritable_log_stops_the_run_at_once(
    tmp_path, monkeypatch, capsys
):
    started = []
    monkeypatch.setattr(runner, "run", lambda *a, **k: started.append(1) or [])
    params = str(ROOT / "params" / "explore-sample.yaml")
    out = str(tmp_path / "o")
    for log in ("/proc/runs.jsonl", str(tmp_path)):
        assert cli.main(["run", params, "--out", out, "--quiet", "--log", log]) == 3
        (line,) = capsys.readouterr().err.splitlines()
        assert "--log: cannot write" in line and log in line
    assert not started
    log = tmp_path / "logs" / "nightly" / "runs.jsonl"
    Path(out).mkdir()
    monkeypatch.setattr(
        runner, "run", lambda *a, **k: k["after"]() or [runner.Outcome(params, "skipped")]
    )
    assert cli.main(["run", params, "--out", out, "--quiet", "--log", str(log)]) == 0
    assert log.parent.is_dir()


def test_the_index_is_written_holding_the_lock(tmp_path, monkeypatch):
    """Written after the lock is released, a slower run's index could replace a newer one."""
    out = tmp_path / "o"
    held = []

    def write_index(root):
        with pytest.raises(publish.BusyError):  # another run could not take the lock now
            with publish.locked(root):
                pass
        held.append(root)
        return root / "index.html"

    monkeypatch.setattr("impact.report.index.write_index", write_index)
    params = str(ROOT / "params" / "explore-sample.yaml")
    monkeypatch.setattr(driver, "run_batch", lambda *args: [runner.Outcome(params, "skipped")])
    assert cli.main(["run", params, "--out", str(out), "--quiet"]) == 0
    assert held == [out]


def test_files_beside_the_data_that_the_loader_does_not_read_are_not_copied(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "data" / "clean", data)
    (data / "README.md").write_text("notes")
    (data / "scan.jpg").write_bytes(b"\xff" * 1000)
    (data / "old.xls").write_bytes(b"x")
    (data / ".hidden.csv").write_text("a\n1\n")
    inputs = runner.Inputs(tmp_path / "copies")
    copy, hashes = inputs.snapshot(data)
    names = sorted(Path(name).name for name in hashes)
    assert "scan.jpg" not in names and "README.md" not in names and ".hidden.csv" not in names
    assert "old.xls" in names  # the loader reads it to say "save it as .xlsx"
    assert sorted(p.name for p in copy.iterdir()) == names
    assert {"projects.csv", "funding.csv"} <= set(names)


def test_an_output_folder_holding_something_else_is_refused(tmp_path, capsys):
    """``--out /``, ``--out ~`` or a data folder: a run would lock, tidy and write there."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    params = str(ROOT / "params" / "explore-sample.yaml")
    assert cli.main(["run", params, "--out", str(folder), "--quiet"]) == 2
    assert "not a reports folder (it holds notes.txt)" in capsys.readouterr().err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    for fine in ("new", "empty"):  # a new or empty folder, or a reports folder, is fine
        (tmp_path / "empty").mkdir(exist_ok=True)
        cli._check_out(tmp_path / fine)
    (folder / "index.html").write_text("")
    cli._check_out(folder)
    project = tmp_path / "reports"  # the repository's reports/, where `make report` writes
    project.mkdir()
    (project / "README.md").write_text("# reports/")
    (project / ".gitignore").write_text("*")
    cli._check_out(project)
    (project / "old-notes.docx").write_text("")
    with pytest.raises(ParamsError, match="it holds old-notes.docx"):
        cli._check_out(project)
    cli._check_out(ROOT / "reports")  # `make report` and the deploy recipes write there
