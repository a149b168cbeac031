"""`impact plan` on a Dask LocalCluster of 2 worker processes: the same table as locally
with 2 workers and with 1, with a worker killed mid-task, through IMPACT_SCHEDULER, and
Ctrl-C cancelling the plan's tasks on the cluster."""

import os
import signal
import time

import pandas as pd
import pytest

from impact.cli import main
from impact.plan import read_plan, run_plan

distributed = pytest.importorskip("dask.distributed")

TINY = (
    "replicates: 4\ndesign:\n  projects_per_round: 6\n  years_before: 2\n"
    "grid:\n  communities: [12, 16]\n"
)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        worker_dashboard_address=None,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    path = tmp_path_factory.mktemp("plan") / "design.yaml"
    path.write_text(TINY, "utf-8")
    return read_plan(path, seed=99)


@pytest.fixture(scope="module")
def local(spec):
    return run_plan(spec)


def _same(result, local):
    pd.testing.assert_frame_equal(result.table, local.table)
    pd.testing.assert_frame_equal(result.replicates, local.replicates)


def test_two_workers_then_one_give_the_local_table(client, spec, local):
    done = []
    result = run_plan(spec, scheduler=client, chunk=1, on_done=done.append)
    assert sorted(done) == list(range(result.inputs["tasks"]))
    assert result.inputs["backend"] == "dask"
    _same(result, local)
    assert len(client.scheduler_info()["workers"]) == 2
    client.cluster.scale(1)
    deadline = time.monotonic() + 60
    while len(client.scheduler_info()["workers"]) != 1 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(client.scheduler_info()["workers"]) == 1
    try:
        _same(run_plan(spec, scheduler=client, chunk=3), local)
    finally:
        client.cluster.scale(2)
        client.wait_for_workers(2, timeout=60)


def test_a_worker_killed_mid_task_and_the_plan_completes(client, spec, local):
    pids = client.run(os.getpid)
    killed = []

    def kill_a_busy_worker(_index):
        if killed:
            return
        busy = [w for w, keys in client.processing().items() if keys and w in pids]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)  # the nanny starts a fresh worker
            killed.append(busy[0])

    result = run_plan(spec, scheduler=client, chunk=1, on_done=kill_a_busy_worker)
    assert killed
    _same(result, local)
    client.wait_for_workers(2, timeout=60)


def test_cli_through_the_environment_variable(client, spec, local, tmp_path, monkeypatch):
    design = tmp_path / "design.yaml"
    design.write_text(TINY, "utf-8")
    monkeypatch.setenv("IMPACT_SCHEDULER", client.scheduler.address)
    out = tmp_path / "out"
    assert main(["plan", str(design), "--seed", "99", "--out", str(out), "--quiet"]) == 0
    written = pd.read_csv(out / "replicates.csv", keep_default_na=False, na_values=[""])
    written["failure"] = written.failure.fillna("")
    pd.testing.assert_frame_equal(written, local.replicates, check_dtype=False)


def test_ctrl_c_cancels_the_plans_tasks(client, spec):
    def interrupt(_index):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_plan(spec, scheduler=client, chunk=1, on_done=interrupt)

    def plan_tasks(dask_scheduler):
        return [str(key) for key in dask_scheduler.tasks if "impact-plan" in str(key)]

    deadline = time.monotonic() + 20
    while client.run_on_scheduler(plan_tasks) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.run_on_scheduler(plan_tasks) == []


def test_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("IMPACT_SCHEDULER", "tcp://127.0.0.1:9")
    monkeypatch.setattr("impact.distributed.CONNECT_TIMEOUT", "1s")
    design = tmp_path / "design.yaml"
    design.write_text(TINY, "utf-8")
    assert main(["plan", str(design), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
