"""The command line as a user meets it: exit codes, messages, no tracebacks."""

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ROOT


def impact(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "impact.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_console_script_is_installed():
    assert (Path(sys.executable).parent / "impact").exists()


def test_validate_clean_data_exits_0_with_table_counts():
    run = impact("validate", "data/sample", "data/published")
    assert run.returncode == 0, run.stderr
    assert "data/sample: ok, 0 warning(s); programmes 3, rounds 12, projects" in run.stdout
    assert "data/published: ok, 0 warning(s); programmes 5, sources 5, published 70" in run.stdout


def test_validate_broken_data_exits_2_with_every_problem_and_no_traceback(tmp_path):
    (tmp_path / "项目.csv").write_bytes(
        "项目编号,计划编号,届次,阶段,种子资金\nP1,demo,1,结项,abc\nP1,demo,1,立项,-5元\n".encode(
            "gbk"
        )
    )
    (tmp_path / "funding.csv").write_text("project_id,source,amount_yuan\nP9,捐款,100\n", "utf-8")
    run = impact("validate", str(tmp_path))
    assert run.returncode == 2
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stdout.splitlines() == [
        "funding.csv:2: project_id: not found in 项目.csv (project_id) (P9)",
        "项目.csv:2: grant_yuan: not a number (abc)",
        "项目.csv:3: grant_yuan: must not be negative (-5元)",
        "项目.csv:3: project_id: duplicate key (project_id); first at row 2 (P1)",
    ]
    assert "4 error(s), 0 warning(s)" in run.stderr


def test_validate_missing_folder_exits_2_without_traceback(tmp_path):
    run = impact("validate", str(tmp_path / "nowhere"))
    assert run.returncode == 2
    assert "no such file or folder" in run.stdout
    assert "Traceback" not in run.stderr


def test_validate_no_warnings_flag(tmp_path):
    run = impact("validate", "--no-warnings", str(DATA / "bad" / "warn_high_leverage"))
    assert run.returncode == 0
    assert "warning:" not in run.stdout


def test_summary_prints_each_programme():
    run = impact("summary", "data/sample")
    assert run.returncode == 0, run.stderr
    for programme in ("lishui_like", "fund_like", "contest_like"):
        assert programme in run.stdout
    assert "leverage_ratio" in run.stdout


def test_simulate_is_byte_identical_and_seeded(tmp_path):
    for folder in ("a", "b"):
        assert impact("simulate", "--seed", "5", "--out", str(tmp_path / folder)).returncode == 0
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "params.yaml" in files and "projects.csv" in files
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert "seed: 5" in (tmp_path / "a" / "params.yaml").read_text("utf-8")
    assert impact("validate", str(tmp_path / "a")).returncode == 0


def test_simulate_with_a_written_params_file_round_trips(tmp_path):
    assert impact("simulate", "--out", str(tmp_path / "a")).returncode == 0
    again = impact(
        "simulate", "--params", str(tmp_path / "a" / "params.yaml"), "--out", str(tmp_path / "b")
    )
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "a" / "projects.csv").read_bytes() == (
        tmp_path / "b" / "projects.csv"
    ).read_bytes()


@pytest.mark.parametrize(
    "text, message",
    [
        ("seed: 1\nwhat: 2\n", "unknown key 'what'"),
        ("- a list\n", "expected a mapping"),
        ("seed: [unclosed\n", "cannot read parameters"),
    ],
)
def test_simulate_bad_params_exit_2_with_the_file_named(tmp_path, text, message):
    params = tmp_path / "plan.yaml"
    params.write_text(text, "utf-8")
    run = impact("simulate", "--params", str(params), "--out", str(tmp_path / "out"))
    assert run.returncode == 2
    assert message in run.stderr and "plan.yaml" in run.stderr
    assert "Traceback" not in run.stderr


def test_usage_error_exits_2():
    run = impact("validate")
    assert run.returncode == 2
    assert "usage:" in run.stderr
