"""`impact run --scheduler` on a Dask LocalCluster of 2 worker processes: the same reports as
a local run, a worker killed mid-build, data sent as bytes when a worker does not see the
client's files, a report whose worker keeps dying failing on its own, Ctrl-C, and no Dask
without a scheduler. The last two of these are marked slow (about 35 s together)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from impact.report import publish, runner
from impact.report.identical import differences
from impact.report.runner.plan import same_failure

from .test_runner import ROOT, notebook, params, record

distributed = pytest.importorskip("dask.distributed")
dask = pytest.importorskip("dask")


@pytest.fixture(scope="module")
def client():
    # one retry after a worker dies, then KilledWorker (the default, 3, takes longer to test)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            worker_dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "tests" / "data" / "clean", copy)
    return copy


def versions(destination: Path) -> list[Path]:
    """Every published version of a report (a report published once has one)."""
    return sorted(destination.parent.glob(f".{destination.name}.v-*"))


SAMPLE = (
    "kind: midterm\ndata: data/sample\nprogramme: lishui_like\nround: 4\nlanguage: zh\n",
    "kind: annual\ndata: data/sample\nprogramme: fund_like\nyear: 2023\nlanguage: en\n",
)


def test_a_batch_on_the_cluster_equals_the_same_batch_built_here(client, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    files = [
        params(tmp_path, f"{n}.yaml", text + "options: {pdf: false, docx: false}\n")
        for n, text in enumerate(SAMPLE)
    ]
    notebooks = ROOT / "notebooks"
    here = runner.run(files, root=tmp_path / "here", notebooks=notebooks, progress=False)
    log = tmp_path / "runs.jsonl"
    there = runner.run(
        files,
        root=tmp_path / "there",
        notebooks=notebooks,
        progress=False,
        scheduler=client,
        log=log,
    )
    assert [o.status for o in here] == ["ok", "ok"], [o.message for o in here]
    assert [o.status for o in there] == ["ok", "ok"], [o.message for o in there]
    for mine, theirs in zip(here, there, strict=True):
        assert differences(Path(mine.folder), Path(theirs.folder)) == []
        local, remote = record(mine.folder), record(theirs.folder)
        for key in ("fingerprint", "data", "published", "notebook_sha256", "title"):
            assert remote[key] == local[key]
        assert remote["cluster"]["inputs"]["data"] == "path"  # the same machine sees the files
        assert remote["cluster"]["worker"].startswith("tcp://")
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert all("data by path" in line["via"] for line in lines)
    # unchanged: skipped, as locally, without a task
    again = runner.run(
        files, root=tmp_path / "there", notebooks=notebooks, progress=False, scheduler=client
    )
    assert [o.status for o in again] == ["skipped", "skipped"]


KILL_ONCE = """
import os, pathlib
marker = pathlib.Path({marker!r})
if not marker.exists():
    marker.write_text("killed")
    os.kill(os.getppid(), 9)  # the kernel's parent: the Dask worker building this report
print("built")
"""


def test_a_worker_killed_mid_build_and_every_report_is_published_once(client, tmp_path, data):
    notebooks = notebook(tmp_path / "nb", KILL_ONCE.format(marker=str(tmp_path / "marker")))
    files = [
        params(tmp_path, f"{n}.yaml", f"kind: explore\ndata: {data}\nlanguage: {lang}\n")
        for n, lang in enumerate(("en", "zh"))
    ]
    outcomes = runner.run(
        files, root=tmp_path / "out", notebooks=notebooks, progress=False, scheduler=client
    )
    assert (tmp_path / "marker").exists()  # a worker did die mid-build
    assert [o.status for o in outcomes] == ["ok", "ok"], [o.message for o in outcomes]
    for outcome in outcomes:
        assert len(versions(Path(outcome.folder))) == 1
        executed = json.loads((Path(outcome.folder) / "report.ipynb").read_text("utf-8"))
        assert "built" in "".join(executed["cells"][-1]["outputs"][0]["text"])
    client.wait_for_workers(2, timeout=60)


def test_data_go_as_bytes_when_the_worker_sees_other_files(client, tmp_path, data, monkeypatch):
    (data / "projects.csv").write_bytes((data / "projects.csv").read_bytes() + b"\n")
    notebooks = notebook(
        tmp_path / "nb",
        "import pandas as pd, pathlib\n"
        "print(len(pd.read_csv(pathlib.Path(data) / 'projects.csv')))\n"
        "print(data)",
    )
    files = [
        params(tmp_path, f"{n}.yaml", f"kind: explore\ndata: {data}\nlanguage: {lang}\n")
        for n, lang in enumerate(("en", "zh"))
    ]
    here = runner.run(files, root=tmp_path / "here", notebooks=notebooks, progress=False)
    original = (data / "projects.csv").read_bytes()
    from impact.report.runner.backends import dask as cluster

    real_run = cluster._Batch.run

    def change_the_data_then_run(self):
        # after the client read and hashed it: the worker sees other bytes at the same path
        (data / "projects.csv").write_text("project_id\nnot the data the client read\n", "utf-8")
        return real_run(self)

    monkeypatch.setattr(cluster._Batch, "run", change_the_data_then_run)
    log = tmp_path / "runs.jsonl"
    there = runner.run(
        files,
        root=tmp_path / "there",
        notebooks=notebooks,
        progress=False,
        scheduler=client,
        log=log,
        force=True,
    )
    assert [o.status for o in there] == ["ok", "ok"], [o.message for o in there]
    for local, remote in zip(here, there, strict=True):
        built = record(remote.folder)
        assert built["cluster"]["inputs"]["data"] == "bytes"
        assert "differs from the client's" in built["cluster"]["why_bytes"]["data"]
        assert built["data"][str(data / "projects.csv")] == hashlib.sha256(original).hexdigest()
        assert differences(Path(local.folder), Path(remote.folder)) == []
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert all("data as bytes" in line["via"] for line in lines)


@pytest.mark.slow  # two worker deaths / a subprocess on the cluster
def test_a_report_whose_worker_keeps_dying_fails_alone(client, tmp_path, data):
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp_path / "out"
    (good,) = runner.run(
        [path], root=out, notebooks=notebook(tmp_path / "ok", "print(1)"), progress=False
    )
    before = (Path(good.folder) / "report.html").read_bytes()
    dying = notebook(tmp_path / "dying", "import os; os.kill(os.getppid(), 9)")
    (lost,) = runner.run([path], root=out, notebooks=dying, progress=False, scheduler=client)
    assert lost.status == "failed" and lost.fault is None
    assert "its worker died while building it" in lost.message
    assert "previous report kept" in lost.message
    assert (Path(good.folder) / "report.html").read_bytes() == before
    assert record(f"{good.folder}.failed")["error"]["ename"] == "ClusterError"
    # a cluster's fault is retried by the next run, not remembered as the report's
    failed = record(f"{good.folder}.failed")
    assert same_failure(Path(good.folder), failed["fingerprint"]) == ""
    client.wait_for_workers(2, timeout=60)


def impact_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "impact.cli", "run", *args]


@pytest.mark.slow  # two worker deaths / a subprocess on the cluster
def test_ctrl_c_cancels_the_builds_on_the_cluster(client, tmp_path, data):
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp_path / "out"
    (good,) = runner.run(
        [path], root=out, notebooks=notebook(tmp_path / "ok", "print(1)"), progress=False
    )
    before = (Path(good.folder) / "report.html").read_bytes()
    started = tmp_path / "started"
    slow = notebook(
        tmp_path / "slow",
        f"import pathlib; pathlib.Path({str(started)!r}).write_text('1')",
        "import time; time.sleep(120)",
    )
    process = subprocess.Popen(
        impact_command(str(path), "--out", str(out), "--notebooks", str(slow), "--quiet"),
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "IMPACT_SCHEDULER": client.scheduler.address,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert started.exists()
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip() == "impact: interrupted; published reports are unchanged", err
    assert (Path(good.folder) / "report.html").read_bytes() == before
    assert not (out / publish.STAGING).exists()

    def report_tasks(dask_scheduler):
        return [str(key) for key in dask_scheduler.tasks if "impact-report" in str(key)]

    deadline = time.monotonic() + 30
    while client.run_on_scheduler(report_tasks) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.run_on_scheduler(report_tasks) == []


def test_without_a_scheduler_dask_is_not_imported(tmp_path, data):
    notebooks = notebook(tmp_path / "nb", "print(1)")
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    script = (
        "import sys\nfrom impact.cli import main\n"
        f"status = main(['run', {str(path)!r}, '--out', {str(tmp_path / 'out')!r}, "
        f"'--notebooks', {str(notebooks)!r}, '--quiet'])\n"
        "print(status, sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "IMPACT_SCHEDULER"}
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout.strip().splitlines()[-1] == "0 []", run.stdout + run.stderr


def test_an_unreachable_scheduler_is_one_line_and_nothing_changes(
    tmp_path, data, monkeypatch, capsys
):
    from impact import cli

    monkeypatch.setattr("impact.distributed.CONNECT_TIMEOUT", "1s")
    monkeypatch.setenv("IMPACT_SCHEDULER", "tcp://127.0.0.1:9")
    path = params(tmp_path, "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp_path / "out"
    notebooks = str(notebook(tmp_path / "nb", "print(1)"))
    status = cli.main(["run", str(path), "--out", str(out), "--notebooks", notebooks, "--quiet"])
    assert status == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("impact: cannot reach the Dask scheduler at tcp://127.0.0.1:9"), err
    assert len(err.splitlines()) == 1
    assert not (out / publish.STAGING).exists() and not (out / "explore").exists()
