"""Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM (to the run's
process alone, as a scheduler sends it) at any moment of a ``--jobs 2`` batch: the run exits
130 within 5 seconds, no kernel or browser it started is left, and every published report is
the one published before or a complete build published before the signal, never one cut
short. Slow: about two minutes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# six reports of four kinds, with PDFs (the kept browser) and Word documents
BATCH = (
    "annual-gangwan-2024.yaml",
    "annual-longgang-2019.yaml",
    "midterm-lishui-4.yaml",
    "midterm-weifang_xincun-2024.yaml",
    "compare-weifang_xincun.yaml",
    "compare-gangwan.yaml",
)
STOP_SECONDS = 5


def command(out: Path, *extra: str) -> list[str]:
    files = [str(ROOT / "params" / name) for name in BATCH]
    return [sys.executable, "-m", "impact.cli", "run", *files, "--jobs", "2", "--out", str(out)]


def environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def published(root: Path) -> dict[str, dict[str, str]]:
    """Every report folder (through its link) and the SHA-256 of each of its files."""
    found = {}
    for folder, names, files in os.walk(root, followlinks=True):
        names[:] = [n for n in names if not n.startswith(".") and not n.endswith(".failed")]
        if "run.json" in files:
            here = Path(folder)
            found[str(here.relative_to(root))] = {
                str(f.relative_to(here)): hashlib.sha256(f.read_bytes()).hexdigest()
                for f in sorted(here.rglob("*"))
                if f.is_file()
            }
    return found


def left_in_session(session: int) -> list[str]:
    """Processes still running in the run's session (zombies are dead: not counted)."""
    import psutil

    left = []
    for process in psutil.process_iter(["pid", "name", "status"]):
        try:
            if os.getsid(process.pid) == session and process.status() != psutil.STATUS_ZOMBIE:
                left.append(f"{process.pid} {process.name()}")
        except (OSError, psutil.Error):
            continue
    return left


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("interrupt") / "reports"
    began = time.monotonic()
    run = subprocess.run(
        [*command(out), "--quiet"],
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return out, published(out), time.monotonic() - began


@pytest.mark.slow
@pytest.mark.parametrize("at", [0.15, 0.5, 0.85])  # of the batch's time on this machine
@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM"])
def test_a_stopped_run_stops_within_seconds_and_publishes_nothing_half(built, tmp_path, how, at):
    base, before, seconds = built
    out = tmp_path / "reports"
    shutil.copytree(base, out, symlinks=True)
    process = subprocess.Popen(
        [*command(out), "--force", "--quiet"],
        cwd=ROOT,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(at * seconds)
    assert process.poll() is None, "the batch ended before the signal"
    sent, sent_at = time.monotonic(), datetime.now(UTC)
    if how == "SIGINT":
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the group
    else:
        os.kill(process.pid, signal.SIGTERM)  # a scheduler stops the run's process only
    try:
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    took = time.monotonic() - sent
    time.sleep(0.5)
    left = left_in_session(process.pid)
    for line in left:  # never leave them to the next test
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert process.returncode == 130, err
    assert took < STOP_SECONDS, f"stopped {took:.1f} s after {how}"
    assert left == []
    assert "published reports are unchanged" in err
    after = published(out)
    assert set(after) == set(before)
    for folder, files in after.items():
        if files == before[folder]:
            continue
        record = json.loads((out / folder / "run.json").read_text("utf-8"))
        assert record["status"] == "ok" and (out / folder / "report.html").exists()
        finished = datetime.fromisoformat(record["finished"])
        assert finished.timestamp() <= sent_at.timestamp() + 1, (folder, "published after")
    assert not (out / ".staging").exists()
