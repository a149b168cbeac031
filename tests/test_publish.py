"""Publishing has no window: the runner is killed (``os._exit`` by fault injection, not by
timing luck) at every step of publishing, and the output folder still shows the complete
old or the complete new report; the next run's recovery leaves exactly one of them and no
debris. Also: the lock admits one run at a time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from impact.report import index, publish

ROOT = Path(__file__).resolve().parents[1]


def build(folder: Path, text: str, status: str = "ok") -> Path:
    """A complete report build, as the runner stages it."""
    folder.mkdir(parents=True)
    (folder / "report.html").write_text(text, "utf-8")
    (folder / "tables").mkdir()
    (folder / "tables" / "t.csv").write_text(text, "utf-8")
    record = {"status": status, "title": text, "parameters": {"kind": "explore"}}
    (folder / "run.json").write_text(json.dumps(record), "utf-8")
    return folder


def shown(destination: Path) -> str | None:
    """What a reader of the destination sees: the whole report's text, or None."""
    try:
        html = (destination / "report.html").read_text("utf-8")
        table = (destination / "tables" / "t.csv").read_text("utf-8")
        record = json.loads((destination / "run.json").read_text("utf-8"))
    except OSError:
        return None
    assert html == table == record["title"], "a mixture of two builds"
    return html


def publish_in_subprocess(stage: Path, destination: Path, step: str, failed=False) -> int:
    call = "keep_failure" if failed else "publish"
    code = (
        "import sys; from pathlib import Path; from impact.report import publish; "
        f"publish.{call}(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    env = {**os.environ, "IMPACT_FAULT": step, "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run(
        [sys.executable, "-c", code, str(stage), str(destination)], env=env, timeout=60
    )
    return run.returncode


def debris(root: Path) -> list[str]:
    """Anything besides the link, its one version and (if kept) the failure."""
    names = sorted(p.name for p in (root / "r").iterdir())
    return [n for n in names if ".link-" in n or n.count(".v-") + n.count(".f-") > 0]


@pytest.mark.parametrize("step", ["moved", "linked", "swapped", "replaced", "cleared"])
@pytest.mark.parametrize("previous", ["link", "legacy", None])
def test_killed_at_each_step_shows_old_or_new_and_recovers(tmp_path, step, previous):
    root = tmp_path / "out"
    destination = root / "r" / "zh"
    if previous == "link":
        publish.publish(build(tmp_path / "old", "OLD"), destination)
    elif previous == "legacy":  # a plain folder made by an earlier version
        build(destination, "OLD")
    publish.keep_failure(build(tmp_path / "bad", "BAD", "failed"), destination)
    stage = build(root / publish.STAGING / "run-x" / "r_zh", "NEW")

    code = publish_in_subprocess(stage, destination, step)
    assert code == publish.FAULT_EXIT  # killed at that step
    seen = shown(destination)
    if previous is None and step in ("moved", "linked"):
        assert seen is None  # nothing published yet, and nothing half
    else:
        assert seen in ({"OLD", "NEW"} if previous else {"NEW"})

    publish.recover(root)
    after = shown(destination)
    # a complete build that was never linked may be linked by the recovery; else unchanged
    assert after == seen or (seen is None and after == "NEW")
    assert not (root / publish.STAGING).exists()
    versions = [n for n in os.listdir(root / "r") if ".v-" in n]
    assert len(versions) == (1 if after else 0)
    assert not [n for n in os.listdir(root / "r") if ".link-" in n]
    if after == "NEW":  # the good build cleared the earlier failure
        assert not (root / "r" / "zh.failed").exists()
        assert not [n for n in os.listdir(root / "r") if ".f-" in n]
    entries = index.collect(root)
    assert [e.status for e in entries] == (
        ["ok"] if after == "NEW" else ["failed-kept" if after else "failed-none"]
    )


def test_killed_while_moving_aside_a_legacy_folder_is_restored(tmp_path):
    root = tmp_path / "out"
    destination = root / "r" / "zh"
    build(destination, "OLD")
    stage = build(tmp_path / "stage", "NEW")
    assert publish_in_subprocess(stage, destination, "legacy") == publish.FAULT_EXIT
    assert shown(destination) is None  # the one moment of the older layout's migration
    publish.recover(root)
    assert shown(destination) == "OLD" and destination.is_symlink()


@pytest.mark.parametrize("step", ["failed-moved", "failed-linked", "failed-swapped"])
def test_killed_while_keeping_a_failure_never_touches_the_report(tmp_path, step):
    root = tmp_path / "out"
    destination = root / "r" / "zh"
    publish.publish(build(tmp_path / "old", "OLD"), destination)
    publish.keep_failure(build(tmp_path / "bad1", "BAD1", "failed"), destination)
    stage = build(tmp_path / "bad2", "BAD2", "failed")
    assert publish_in_subprocess(stage, destination, step, failed=True) == publish.FAULT_EXIT
    assert shown(destination) == "OLD"
    publish.recover(root)
    assert shown(destination) == "OLD"
    failed = json.loads((root / "r" / "zh.failed" / "run.json").read_text("utf-8"))
    assert failed["title"] in {"BAD1", "BAD2"}
    assert len([n for n in os.listdir(root / "r") if ".f-" in n]) == 1


def test_an_older_layouts_interrupted_swap_is_restored(tmp_path):
    root = tmp_path / "out"
    build(root / "r" / ".zh.old-1234abcd", "OLD")  # killed between its two renames
    publish.recover(root)
    assert shown(root / "r" / "zh") == "OLD"
    assert os.listdir(root / "r") == ["zh"]


def test_second_run_is_refused_while_the_first_holds_the_lock(tmp_path):
    root = tmp_path / "out"
    root.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from impact.report import publish\n"
            "with publish.locked(Path(sys.argv[1])):\n"
            "    print('held', flush=True); time.sleep(3)",
            str(root),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(publish.BusyError, match=r"another run \(process \d+"):
            with publish.locked(root, wait=0):
                pass
        began = time.monotonic()
        with publish.locked(root, wait=30):  # waits for the holder to finish
            assert time.monotonic() - began > 0.5
    finally:
        holder.wait(timeout=30)


def test_a_read_only_output_folder_is_one_message(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError(30, "Read-only file system", str(tmp_path / ".lock"))

    monkeypatch.setattr(publish.os, "open", refuse)
    with pytest.raises(publish.OutputError, match=r"Read-only file system \(EROFS\)"):
        with publish.locked(tmp_path):
            pass


# Found by the fault catalogue (bench/faults.py).


def test_a_lock_file_that_is_a_link_is_never_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    root = tmp_path / "out"
    root.mkdir()
    (root / publish.LOCK).symlink_to(victim)
    with pytest.raises(publish.OutputError, match=r"\.lock: is a symbolic link"):
        with publish.locked(root):
            pass
    assert victim.read_text() == "precious\n"


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_lock_that_is_not_a_file_is_one_message(tmp_path, kind):
    root = tmp_path / "out"
    root.mkdir()
    (root / publish.LOCK).mkdir() if kind == "folder" else os.mkfifo(root / publish.LOCK)
    with pytest.raises(publish.OutputError, match=r"cannot lock the output folder: .*\.lock"):
        with publish.locked(root):
            pass


def test_killed_while_writing_the_index_keeps_the_old_one_and_recovers(tmp_path):
    root = tmp_path / "out"
    publish.publish(build(tmp_path / "old", "OLD"), root / "r" / "zh")
    index.write_index(root)
    before = (root / "index.html").read_text("utf-8")
    code = (
        "import sys; from pathlib import Path; from impact.report import index; "
        "index.write_index(Path(sys.argv[1]))"
    )
    env = {**os.environ, "IMPACT_FAULT": "index", "PYTHONPATH": str(ROOT / "src")}
    run = subprocess.run([sys.executable, "-c", code, str(root)], env=env, timeout=60)
    assert run.returncode == publish.FAULT_EXIT
    assert (root / "index.html").read_text("utf-8") == before
    assert list(root.glob(".index.html.*"))  # the half-made one, until recovery
    publish.recover(root)
    assert not list(root.glob(".index.html.*"))
