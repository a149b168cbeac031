"""The scheduling recipes in deploy/ are well-formed and call commands that exist: systemd
units parse (configparser), the timer is persistent and names the service, the Airflow DAG
compiles (without importing Airflow), and every ``impact run`` they contain parses with the
real command line and uses the lock and the log."""

from __future__ import annotations

import ast
import configparser
import py_compile
import re
import shlex
import tomllib
from pathlib import Path

from impact.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(path.read_text("utf-8"))
    return parser


def check_impact_command(command: str) -> None:
    """The command calls the `impact` console script with a `run --all` the CLI accepts,
    waiting for the lock and writing the log."""
    words = shlex.split(command)
    (position,) = [i for i, w in enumerate(words) if Path(w).name == "impact"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert "impact" in scripts  # the console script the recipes call is installed
    arguments = build_parser().parse_args(words[position + 1 :])
    assert arguments.command == "run" and arguments.all
    assert arguments.wait > 0 and arguments.log


def test_systemd_service_and_timer_parse_and_call_impact():
    service = unit(DEPLOY / "systemd" / "impact-reports.service")
    timer = unit(DEPLOY / "systemd" / "impact-reports.timer")
    assert service["Service"]["Type"] == "oneshot"
    assert "75" in service["Service"]["SuccessExitStatus"].split()
    assert service["Service"]["WorkingDirectory"].startswith("/")
    check_impact_command(service["Service"]["ExecStart"])
    assert timer["Timer"]["Persistent"] == "true"
    assert timer["Timer"]["OnCalendar"]
    assert (DEPLOY / "systemd" / timer["Timer"]["Unit"]).exists()
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_airflow_dag_compiles_and_calls_impact(tmp_path):
    path = DEPLOY / "airflow" / "impact_dag.py"
    py_compile.compile(str(path), cfile=str(tmp_path / "dag.pyc"), doraise=True)
    tree = ast.parse(path.read_text("utf-8"))
    constants = {
        target.id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    check_impact_command(constants["COMMAND"])
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and hasattr(n.func, "id")]
    assert "DAG" in calls and "BashOperator" in calls
    assert "max_active_runs=1" in path.read_text("utf-8")


def test_cron_file_and_the_guide_call_impact():
    lines = [
        line
        for line in (DEPLOY / "cron" / "impact-reports").read_text("utf-8").splitlines()
        if line and not line.startswith("#") and "=" not in line.split()[0]
    ]
    assert lines
    for line in lines:
        fields = line.split(None, 6)
        assert len(fields) == 7  # five time fields, the user, the command
        check_impact_command(fields[6].split("&&")[-1])
    guide = (ROOT / "docs" / "scheduling.md").read_text("utf-8")
    for status in ("0", "1", "2", "3", "75", "130"):
        assert re.search(rf"^\| {status} \|", guide, re.MULTILINE), status
    for recipe in ("cron", "systemd", "Persistent=true", "Airflow", "--log", "--wait"):
        assert recipe in guide


def test_cli_help_documents_the_exit_statuses():
    text = build_parser()._subparsers._group_actions[0].choices["run"].description
    for status in ("0", "1", "2", "3", "75", "130"):
        assert re.search(rf"\b{status}\b", text)
