"""Papermill stays the way notebooks are parameterised and executed: a plain ``papermill``
call, without the workbench's runner, still works on every notebook."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CALLS = {
    "midterm": ["-p", "programme", "lishui_like", "-p", "round_no", "4"],
    "annual": ["-p", "programme", "lishui_like", "-p", "year", "2021"],
    "explore": [],
    "compare": [],
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(CALLS))
def test_plain_papermill_runs_every_notebook(tmp_path, kind):
    papermill = Path(sys.executable).parent / "papermill"
    run = subprocess.run(
        [
            str(papermill),
            f"notebooks/{kind}.ipynb",
            str(tmp_path / "out.ipynb"),
            "-p",
            "data",
            str(ROOT / "data" / "sample"),
            *CALLS[kind],
            "--no-progress-bar",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "out.ipynb").stat().st_size > 10_000
