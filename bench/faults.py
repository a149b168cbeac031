"""A catalogue of run-level faults and hostile parameters against ``impact run``.

Each case runs the real console script in a subprocess, the way cron, systemd or Airflow
would meet it, and checks what the issue asks of every case: every good report kept, a
clear message (no traceback, no kernel noise), the documented exit status, nothing
published half, and no leftovers after a normal rerun.

    PYTHONPATH=src .venv/bin/python bench/faults.py            # every group
    PYTHONPATH=src .venv/bin/python bench/faults.py params env  # some groups
    PYTHONPATH=src .venv/bin/python bench/faults.py -k gbk      # cases whose name has gbk

Some cases need root (mounts of a small or read-only tmpfs) and run the command as the
user ``nobody`` where file permissions matter (root ignores them); they are skipped
otherwise. Prints one line per case (held / FAILED / skipped) and exits 1 if any failed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
IMPACT = str(BIN / "impact")
NOISE = ("Traceback", "zmq.error", "[IPKernelApp]", "KeyboardInterrupt caught", "Warning:")
CHEAP = ROOT / "params" / "midterm-lishui-4.yaml"  # one of the quickest reports
DOCUMENTED = {0, 1, 2, 3, 75, 130}


@dataclass
class Case:
    group: str
    name: str
    expect: str
    run: Callable[[Path], list[str]]
    root_only: bool = False


@dataclass
class Result:
    rc: int | None
    out: str
    err: str
    seconds: float
    problems: list[str] = field(default_factory=list)


CASES: list[Case] = []


def case(group: str, expect: str, root_only: bool = False):
    def register(function):
        CASES.append(Case(group, function.__name__, expect, function, root_only))
        return function

    return register


# --------------------------------------------------------------------------- helpers


def env(**changes) -> dict:
    base = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for key, value in changes.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def impact(
    *args, cwd=ROOT, environ=None, timeout=300, user: str | None = None, stdin=None
) -> Result:
    command = [IMPACT, "run", *map(str, args)]
    if user == "nobody":
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    began = time.monotonic()
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            env=environ or env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        return Result(
            None, str(exc.stdout or ""), str(exc.stderr or ""), time.monotonic() - began, ["hang"]
        )
    return Result(done.returncode, done.stdout, done.stderr, time.monotonic() - began)


def started(*args, cwd=ROOT, environ=None) -> subprocess.Popen:
    return subprocess.Popen(
        [IMPACT, "run", *map(str, args)],
        cwd=cwd,
        env=environ or env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def finish(process: subprocess.Popen, timeout=300) -> Result:
    began = time.monotonic()
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        return Result(None, out, err, time.monotonic() - began, ["hang"])
    return Result(process.returncode, out, err, time.monotonic() - began)


def expect(result: Result, codes, *, says: str | None = None, lines: int | None = None):
    """The exit status is one of ``codes``, stderr holds no traceback or kernel noise,
    mentions ``says`` and each message names a place."""
    problems = list(result.problems)
    codes = {codes} if isinstance(codes, int) else set(codes)
    if result.rc not in codes:
        problems.append(f"exit {result.rc}, expected {sorted(codes)}")
    for word in NOISE:
        if word in result.err or word in result.out:
            problems.append(f"prints {word!r}")
    if says and says.lower() not in (result.err + result.out).lower():
        problems.append(f"does not say {says!r}")
    if lines is not None:
        messages = [line for line in result.err.splitlines() if line.startswith("impact:")]
        if len(messages) > lines:
            problems.append(f"{len(messages)} messages, expected at most {lines}")
    if problems:
        tail = (result.err.strip().splitlines() or [""])[-1][:200]
        problems.append(f"stderr: {tail}")
    return problems


def published(out: Path) -> dict[str, str]:
    """Every published report (a link or folder holding report.html) and its hash."""
    found = {}
    if not out.exists():
        return found
    for folder, names, files in os.walk(out, followlinks=False):
        names[:] = [n for n in names if not n.startswith(".")]
        base = Path(folder)
        for name in [*names, *files]:
            entry = base / name
            if name.startswith(".") or name.endswith(".failed"):
                continue
            html = entry / "report.html"
            if entry.is_symlink() or entry.is_dir():
                if html.is_file():
                    found[str(entry.relative_to(out))] = hashlib.sha256(
                        html.read_bytes()
                    ).hexdigest()
    return found


def leftovers(out: Path) -> list[str]:
    """Debris: staging, temporary links or index files, versions nothing points at."""
    found = []
    if not out.exists():
        return found
    if (out / ".staging").exists():
        found.append(".staging")
    for folder, names, files in os.walk(out, followlinks=False):
        base = Path(folder)
        linked = {os.readlink(base / n) for n in [*names, *files] if (base / n).is_symlink()}
        for name in [*names, *files]:
            if ".link-" in name or name.startswith(".index.html"):
                found.append(str((base / name).relative_to(out)))
            elif name.startswith(".") and (".v-" in name or ".f-" in name or ".old-" in name):
                if name not in linked:
                    found.append(str((base / name).relative_to(out)))
        names[:] = [n for n in names if not n.startswith(".")]
    return found


def intact(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Every report published before is still published (the same or a rebuilt one)."""
    return [f"report lost: {key}" for key in before if key not in after]


_TEMPLATE: dict[str, Path] = {}


def good_out(tmp: Path, params=(CHEAP,), name="out") -> Path:
    """An output folder with good reports published (built once, then copied)."""
    key = ",".join(map(str, params))
    if key not in _TEMPLATE:
        template = Path(tempfile.mkdtemp(prefix="impact-faults-template-"))
        result = impact(*params, "--out", template / "out", "--quiet")
        assert result.rc == 0, result.err
        _TEMPLATE[key] = template / "out"
    out = tmp / name
    shutil.copytree(_TEMPLATE[key], out, symlinks=True)
    return out


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def params_file(folder: Path, name: str, body: str) -> Path:
    return write(folder / name, textwrap.dedent(body))


def rerun_clean(out: Path, before: dict[str, str], *args) -> list[str]:
    """After a fault: a normal rerun succeeds, keeps every report, leaves no debris."""
    result = impact(*(args or (CHEAP,)), "--out", out, "--quiet")
    problems = [f"rerun: {p}" for p in expect(result, 0)]
    problems += intact(before, published(out))
    problems += [f"leftover after rerun: {x}" for x in leftovers(out)]
    problems += index_true(out)
    return problems


def index_true(out: Path) -> list[str]:
    page = out / "index.html"
    if not page.exists():
        return ["no index.html"]
    text = page.read_text("utf-8")
    problems = []
    for key in published(out):
        if key.split("/")[1] not in text:
            problems.append(f"index misses {key}")
    if "failed" in text.lower() and not any(out.rglob("*.failed")):
        problems.append("index says failed but no failure is kept")
    return problems


@contextlib.contextmanager
def tmpfs(folder: Path, size="2m", options=""):
    folder.mkdir(parents=True, exist_ok=True)
    extra = f",{options}" if options else ""
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}{extra}", "tmpfs", str(folder)], check=True
    )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount_ro(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def orphans(marker: str) -> list[str]:
    """Processes still running whose command line names ``marker`` (a kernel left behind)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            text = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if "ipykernel" in text and marker in (text + cwd):
            found.append(proc.name)
    return found


def wait_for(predicate, timeout=60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def kernel_started(out: Path) -> Callable[[], bool]:
    return lambda: any((out / ".staging").glob("run-*/kernel-*.log"))


def stage_has(out: Path, pattern: str) -> Callable[[], bool]:
    return lambda: any((out / ".staging").glob(f"run-*/*/{pattern}"))


# --------------------------------------------------------------------------- hostile parameters

MIDTERM = """\
kind: midterm
data: data/programmes/lishui
programme: lishui
round: 4
language: zh
"""


def _refused(tmp: Path, body: str | bytes, *, says=None, name="p.yaml", code=2) -> list[str]:
    """A parameters file that must be refused with exit 2, one message naming it, and the
    good report beside it untouched, nothing written outside --out."""
    out = good_out(tmp)
    before = published(out)
    path = write(tmp / "params" / name, body)
    outside = set(os.listdir(tmp))
    result = impact(path, "--out", out, "--quiet", timeout=60)
    problems = expect(result, code, says=says)
    if str(path) not in result.err and path.name not in result.err:
        problems.append("message does not name the file")
    problems += intact(before, published(out))
    if published(out) != before:
        problems.append("a report changed")
    added = set(os.listdir(tmp)) - outside
    if added:
        problems.append(f"wrote outside --out: {sorted(added)}")
    problems += [f"leftover: {x}" for x in leftovers(out)]
    return problems


def _field_cases():
    base = dict(kind="midterm", data="data/programmes/lishui", programme="lishui", round=4)
    hostile = {
        "traversal": "../../../escaped",
        "absolute": "/tmp/escaped",
        "nul": "a\0b",
        "newline": "a\nb",
        "long": "x" * 300,
        "rtl": "lishui\u202egpj.exe",
        "dot": "..",
        "windows": "CON",
        "empty": "",
    }
    for key in ("programme", "language", "kind", "year", "round", "data"):
        for label, value in hostile.items():
            fields = dict(base)
            fields[key] = value

            def run(tmp, fields=fields, key=key):
                body = json.dumps(fields, ensure_ascii=False)  # JSON is YAML
                return _refused(tmp, body, says=key)

            run.__name__ = f"{key}_{label}"
            CASES.append(Case("params", run.__name__, f"{key}: {label} → exit 2, one line", run))


_field_cases()


@case("params", "YAML alias bomb → exit 2 in < 5 s, no memory blow-up")
def yaml_alias_bomb(tmp):
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    began = time.monotonic()
    problems = _refused(tmp, bomb, says="alias")
    if time.monotonic() - began > 15:
        problems.append("slow")
    return problems


@case("params", "deep nesting (10000 levels) → exit 2")
def yaml_deep(tmp):
    return _refused(tmp, "a: " + "[" * 10000 + "]" * 10000, says="nested")


@case("params", "huge file (10 MB) → exit 2 at once")
def yaml_huge(tmp):
    return _refused(tmp, MIDTERM + "title: '" + "x" * 10_000_000 + "'\n", says="KiB")


@case("params", "!!python/object tag → exit 2, nothing executed")
def yaml_python_tag(tmp):
    marker = tmp / "pwned"
    body = MIDTERM + f'title: !!python/object/apply:os.system ["touch {marker}"]\n'
    problems = _refused(tmp, body)
    if marker.exists():
        problems.append("the tag was executed")
    return problems


@case("params", "duplicate keys → exit 2 naming the key")
def yaml_duplicate(tmp):
    return _refused(tmp, MIDTERM + "round: 3\n", says="round")


@case("params", "a list instead of a mapping → exit 2")
def yaml_list(tmp):
    return _refused(tmp, "- kind: midterm\n", says="mapping")


@case("params", "a scalar instead of a mapping → exit 2")
def yaml_scalar(tmp):
    return _refused(tmp, "just words\n", says="mapping")


@case("params", "empty file → exit 2")
def yaml_empty(tmp):
    return _refused(tmp, "", says="empty")


@case("params", "huge int round 10**100 → exit 2")
def huge_round(tmp):
    return _refused(tmp, MIDTERM.replace("round: 4", "round: " + "9" * 100), says="round")


@case("params", "float round 4.5 → exit 2")
def float_round(tmp):
    return _refused(tmp, MIDTERM.replace("round: 4", "round: 4.5"), says="round")


@case("params", "huge seed 10**100 → exit 0 (numpy takes any integer seed) or exit 2")
def huge_seed(tmp):
    path = write(tmp / "p.yaml", MIDTERM + "options:\n  seed: " + "9" * 100 + "\n")
    return expect(impact(path, "--out", tmp / "out", "--quiet"), {0, 2})


@case("params", "ci .nan → exit 2")
def nan_ci(tmp):
    return _refused(tmp, MIDTERM + "options:\n  ci: .nan\n", says="ci")


@case("params", "UTF-16 file → exit 2 'save it as UTF-8'")
def utf16(tmp):
    return _refused(tmp, MIDTERM.encode("utf-16"), says="UTF-16")


@case("params", "mixed UTF-8 and Latin-1 bytes → exit 2")
def mixed_encoding(tmp):
    raw = MIDTERM.encode() + "title: 里水".encode() + " caf\xe9\n".encode("latin-1")
    return _refused(tmp, raw, says="UTF-8")


@case("params", "GBK file with a Chinese title is read (exit 0)")
def gbk_ok(tmp):
    out = tmp / "out"
    path = write(tmp / "p.yaml", (MIDTERM + "title: 里水第四届中期报告\n").encode("gbk"))
    result = impact(path, "--out", out, "--quiet")
    problems = expect(result, 0)
    html = out / "midterm/lishui/round-4/zh/report.html"
    if html.exists() and "里水第四届中期报告" not in html.read_text("utf-8"):
        problems.append("title not shown")
    return problems


@case("params", "data: /, /etc, /proc, ~, /dev/zero, /dev/urandom → exit 2 each, at once")
def data_system_paths(tmp):
    problems = []
    for n, data in enumerate(
        ("/", "/etc", "/proc", "~", "/dev/zero", "/dev/urandom", "/proc/self/mem")
    ):
        body = MIDTERM.replace("data/programmes/lishui", data)
        where = tmp / f"{n}"
        where.mkdir()
        problems += [f"{data}: {p}" for p in _refused(where, body, says="data")]
    return problems


@case("params", "data: a FIFO → exit 2, no hang")
def data_fifo(tmp):
    fifo = tmp / "fifo.csv"
    os.mkfifo(fifo)
    return _refused(tmp, MIDTERM.replace("data/programmes/lishui", str(fifo)), says="data")


@case("params", "data: a symlink to /dev/zero named projects.csv in a folder → exit 2, no hang")
def data_zero_link(tmp):
    folder = tmp / "d"
    shutil.copytree(ROOT / "data/sample", folder)
    (folder / "projects.csv").unlink()
    (folder / "projects.csv").symlink_to("/dev/zero")
    body = "kind: explore\ndata: " + str(folder) + "\n"
    return _refused(tmp, body, says="data")


@case("params", "data: a FIFO named funding.csv inside a data folder → exit 2, no hang")
def data_fifo_inside(tmp):
    folder = tmp / "d"
    shutil.copytree(ROOT / "data/sample", folder)
    (folder / "funding.csv").unlink()
    os.mkfifo(folder / "funding.csv")
    return _refused(tmp, "kind: explore\ndata: " + str(folder) + "\n", says="data")


@case("params", "options.published: /proc → exit 2 or ignored, no hang")
def published_proc(tmp):
    return _refused(tmp, MIDTERM + "options:\n  published: /proc\n", says="published")


@case("params", "data relative to a different cwd: refused with the path, exit 2")
def data_relative_cwd(tmp):
    out = tmp / "out"
    path = write(tmp / "p.yaml", MIDTERM)
    result = impact(
        ROOT / "params/midterm-lishui-4.yaml", "--out", out, "--quiet", cwd=tmp, timeout=60
    )
    problems = expect(result, 2, says="data/programmes/lishui")
    del path
    return problems


@case("params", "batch mixing good and bad files: nothing built, every problem of every file")
def batch_mixed(tmp):
    folder = tmp / "params"
    shutil.copy(CHEAP, folder / "a-good.yaml") if folder.exists() else None
    folder.mkdir()
    shutil.copy(CHEAP, folder / "a-good.yaml")
    write(folder / "b-bad.yaml", MIDTERM.replace("round: 4", "round: 99") + "colour: red\n")
    write(
        folder / "c-bad.yaml",
        MIDTERM.replace("data/programmes/lishui", "data/nowhere") + "year: 1800\n",
    )
    write(folder / "d-bomb.yaml", "a: &a [1]\nb: *a\n")
    out = tmp / "out"
    result = impact("--all", "--params-dir", folder, "--out", out, "--quiet", timeout=120)
    problems = expect(result, 2)
    for needle in (
        "colour",
        "b-bad.yaml: round",
        "c-bad.yaml: data",
        "c-bad.yaml: year",
        "d-bomb.yaml",
    ):
        if needle not in result.err:
            problems.append(f"does not report {needle!r}")
    if published(out):
        problems.append("a report was built although the batch had problems")
    return problems


@case("params", "params-dir with README, subfolder named x.yaml, symlink to /etc/passwd → exit 2")
def params_dir_odd(tmp):
    folder = tmp / "params"
    folder.mkdir()
    shutil.copy(CHEAP, folder / "good.yaml")
    write(folder / "README.md", "# not params\n")
    (folder / "sub.yaml").mkdir()
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    out = good_out(tmp)
    before = published(out)
    result = impact("--all", "--params-dir", folder, "--out", out, "--quiet", timeout=120)
    problems = expect(result, 2)
    for needle in ("sub.yaml", "passwd.yaml"):
        if needle not in result.err:
            problems.append(f"does not report {needle!r}")
    problems += intact(before, published(out))
    return problems


@case("params", "params-dir holding a FIFO named f.yaml → exit 2, no hang")
def params_dir_fifo(tmp):
    folder = tmp / "params"
    folder.mkdir()
    shutil.copy(CHEAP, folder / "good.yaml")
    os.mkfifo(folder / "f.yaml")
    result = impact("--all", "--params-dir", folder, "--out", tmp / "out", "--quiet", timeout=60)
    return expect(result, 2, says="f.yaml")


@case("params", "title with NUL, RTL marks and 300 bytes builds (exit 0), shown escaped")
def title_hostile(tmp):
    body = json.dumps(
        {
            "kind": "midterm",
            "data": "data/programmes/lishui",
            "programme": "lishui",
            "round": 4,
            "title": "<script>x</script>\u202e" + "长" * 100 + "\0end",
        },
        ensure_ascii=False,
    )
    path = write(tmp / "p.yaml", body)
    result = impact(path, "--out", tmp / "out", "--quiet")
    problems = expect(result, {0, 2})
    html = tmp / "out/midterm/lishui/round-4/zh/report.html"
    if html.exists() and "<script>x</script>" in html.read_text("utf-8"):
        problems.append("title not escaped")
    return problems


# --------------------------------------------------------------------------- signals, publishing

FAILING_NOTEBOOK = json.dumps(
    {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": "data = None",
                "outputs": [],
                "execution_count": None,
            },
            {
                "cell_type": "code",
                "metadata": {},
                "source": "raise ValueError('boom')",
                "outputs": [],
                "execution_count": None,
            },
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
)


def failing_notebooks(tmp: Path) -> Path:
    folder = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    (folder / "midterm.ipynb").write_text(FAILING_NOTEBOOK, "utf-8")
    return folder


TAG = "IMPACT_FAULTS_CASE"


def tagged(tag: str, **changes) -> dict:
    return env(**{TAG: tag}, **changes)


def kernels_of(tag: str) -> list[int]:
    """Kernel processes started by a run tagged ``tag`` that are still alive."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            environ = (proc / "environ").read_bytes()
            cmd = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if f"{TAG}={tag}".encode() in environ and b"ipykernel" in cmd:
            found.append(int(proc.name))
    return found


def _publish_fault(step: str, failing: bool):
    def run(tmp):
        out = good_out(tmp)
        before = published(out)
        extra = ["--notebooks", failing_notebooks(tmp)] if failing else []
        result = impact(
            CHEAP, "--out", out, "--force", "--quiet", *extra, environ=env(IMPACT_FAULT=step)
        )
        problems = (
            []
            if result.rc == 70
            else [f"injected fault at {step} did not fire (exit {result.rc}: {result.err[-200:]})"]
        )
        problems += intact(before, published(out))
        problems += rerun_clean(out, before)
        return problems

    run.__name__ = f"publish_killed_at_{step}"
    return run


for _step in ("legacy", "moved", "linked", "swapped", "replaced", "cleared", "index"):
    CASES.append(
        Case(
            "publish",
            f"publish_killed_at_{_step}",
            "old or new report complete; the rerun repairs, no leftovers",
            _publish_fault(_step, False),
        )
    )
for _step in ("failed-moved", "failed-linked", "failed-swapped"):
    CASES.append(
        Case(
            "publish",
            f"publish_killed_at_{_step}",
            "good report untouched; the rerun repairs, no leftovers",
            _publish_fault(_step, True),
        )
    )


def _legacy_out(tmp: Path) -> Path:
    """An output folder whose report is a plain folder (an older layout)."""
    out = good_out(tmp)
    link = out / "midterm/lishui/round-4/zh"
    target = link.resolve()
    link.unlink()
    shutil.move(target, link)
    return out


def _legacy_case(tmp):
    out = _legacy_out(tmp)
    before = published(out)
    result = impact(CHEAP, "--out", out, "--force", "--quiet", environ=env(IMPACT_FAULT="legacy"))
    problems = [] if result.rc == 70 else [f"fault did not fire (exit {result.rc})"]
    problems += rerun_clean(out, before)
    return problems


CASES[[c.name for c in CASES].index("publish_killed_at_legacy")].run = _legacy_case

MOMENTS = {
    "locked": lambda out: any((out / ".staging").glob("run-*")),
    "kernel-starting": lambda out: any((out / ".staging").glob("run-*/kernel-*.log")),
    "building": lambda out: any((out / ".staging").glob("run-*/midterm_*")),
    "notebook-saved": lambda out: any((out / ".staging").glob("run-*/midterm_*/report.ipynb")),
    "exporting": lambda out: any((out / ".staging").glob("run-*/midterm_*/report.html")),
    "at-2s": None,
    "at-5s": None,
}


def _signal_case(sig: signal.Signals, moment: str):
    def run(tmp):
        out = good_out(tmp)
        before = published(out)
        tag = f"{tmp.name}-{sig.name}-{moment}"
        process = started(CHEAP, "--out", out, "--force", "--quiet", environ=tagged(tag))
        began = time.monotonic()
        if MOMENTS[moment] is None:
            time.sleep(float(moment[3:-1]))
            reached = True
        else:
            reached = wait_for(lambda: MOMENTS[moment](out) or process.poll() is not None, 120)
            reached = reached and process.poll() is None
        process.send_signal(sig)
        result = finish(process, 120)
        problems = []
        if not reached:
            problems.append(
                f"moment {moment} not reached before the run ended "
                f"({time.monotonic() - began:.1f} s, exit {process.returncode})"
            )
        if sig == signal.SIGKILL:
            problems += [] if result.rc in (-9, 0) else [f"exit {result.rc}"]
        elif result.rc != 0:  # a run that finished before the signal is fine
            problems += expect(result, 130, says="interrupted", lines=1)
        problems += intact(before, published(out))
        time.sleep(3 if sig == signal.SIGKILL else 1)
        if alive := kernels_of(tag):
            problems.append(f"kernels left running: {alive}")
            for pid in alive:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        if sig != signal.SIGKILL and result.rc == 130:
            problems += [f"leftover after 130: {x}" for x in leftovers(out)]
        problems += rerun_clean(out, before)
        return problems

    run.__name__ = f"{sig.name.lower()}_{moment}"
    return run


for _sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
    for _moment in MOMENTS:
        CASES.append(
            Case(
                "signals",
                f"{_sig.name.lower()}_{_moment}",
                "old report intact; 130 (TERM/INT) one line, no noise; "
                "no kernels left; the rerun is clean",
                _signal_case(_sig, _moment),
            )
        )


# --------------------------------------------------------------------------- concurrency


def _batch_dir(tmp: Path) -> Path:
    folder = tmp / "params"
    folder.mkdir()
    shutil.copy(CHEAP, folder / "a.yaml")
    shutil.copy(ROOT / "params/midterm-lishui_like-4.yaml", folder / "b.yaml")
    return folder


def _overlap(count: int, wait: float | None):
    def run(tmp):
        folder = _batch_dir(tmp)
        out = tmp / "out"
        args = ["--all", "--params-dir", folder, "--out", out, "--quiet", "--force"]
        if wait is not None:
            args += ["--wait", str(wait)]
        processes = []
        for _ in range(count):
            processes.append(started(*args))
            time.sleep(0.3)
        results = [finish(p) for p in processes]
        problems = []
        codes = [r.rc for r in results]
        if wait is None:
            if codes.count(0) < 1 or any(c not in (0, 75) for c in codes):
                problems.append(f"exit statuses {codes}, expected one 0 and the others 75")
            for r in results:
                if r.rc == 75 and "another run" not in r.err:
                    problems.append("75 without saying another run holds the folder")
        elif codes != [0] * count:
            problems.append(f"exit statuses {codes}, expected all 0 with --wait")
        for r in results:
            problems += [p for p in expect(r, {0, 75}, lines=1) if not p.startswith("stderr")]
        problems += [f"leftover: {x}" for x in leftovers(out)]
        if len(published(out)) != 2:
            problems.append(f"published {sorted(published(out))}")
        problems += index_true(out)
        return problems

    run.__name__ = f"overlap_{count}_{'wait' if wait else 'nowait'}"
    return run


for _count in (2, 3):
    for _wait in (None, 300):
        _f = _overlap(_count, _wait)
        CASES.append(
            Case(
                "concurrency",
                _f.__name__,
                "one run at a time: 0 and 75 (or all 0 with --wait); no leftovers",
                _f,
            )
        )


@case("concurrency", "a stale lock file from a killed run does not block (exit 0)")
def stale_lock(tmp):
    out = good_out(tmp)
    (out / ".lock").write_text("99999 2020-01-01T00:00:00\n")
    return expect(impact(CHEAP, "--out", out, "--quiet", timeout=120), 0)


@case("concurrency", "a run killed (SIGKILL) frees the lock: the next run starts at once")
def killed_frees_lock(tmp):
    out = good_out(tmp)
    process = started(CHEAP, "--out", out, "--force", "--quiet")
    wait_for(MOMENTS["kernel-starting"], 60) if False else wait_for(
        lambda: MOMENTS["kernel-starting"](out), 60
    )
    process.kill()
    process.wait()
    return expect(impact(CHEAP, "--out", out, "--quiet", timeout=120), 0)


@case("concurrency", "a run started while another recovers: 75 at once, or waits with --wait")
def while_recovering(tmp):
    out = good_out(tmp)
    folder = out / "midterm/lishui/round-4"
    for n in range(300):  # debris that takes the first run a while to remove
        junk = folder / f".zh.v-{n:016x}-dead{n:02x}"
        junk.mkdir()
        for m in range(30):
            (junk / f"f{m}").write_text("x")
    first = started(CHEAP, "--out", out, "--quiet")
    time.sleep(0.5)
    second = impact(CHEAP, "--out", out, "--quiet", timeout=120)
    third = impact(CHEAP, "--out", out, "--quiet", "--wait", "300", timeout=300)
    result = finish(first)
    problems = expect(result, 0)
    problems += [f"second: {p}" for p in expect(second, {0, 75})]
    problems += [f"third: {p}" for p in expect(third, 0)]
    problems += [f"leftover: {x}" for x in leftovers(out)]
    return problems


@case("concurrency", "--out/.lock a folder → exit 3 one line")
def lock_is_folder(tmp):
    out = good_out(tmp)
    (out / ".lock").unlink()
    (out / ".lock").mkdir()
    return expect(impact(CHEAP, "--out", out, "--quiet", timeout=60), 3, says=".lock", lines=1)


@case("concurrency", "--out/.lock a symlink to another file: that file is not touched")
def lock_is_symlink(tmp):
    out = good_out(tmp)
    victim = write(tmp / "victim.txt", "precious\n")
    (out / ".lock").unlink()
    (out / ".lock").symlink_to(victim)
    result = impact(CHEAP, "--out", out, "--quiet", timeout=60)
    problems = expect(result, {0, 3})
    if victim.read_text() != "precious\n":
        problems.append("the lock's symlink target was overwritten")
    return problems


@case("concurrency", "--out on /proc (no locking possible) → exit 3 one line")
def out_on_proc(tmp):
    return expect(impact(CHEAP, "--out", "/proc/impact-out", "--quiet", timeout=60), 3, lines=1)


# --------------------------------------------------------------------------- machine faults


def _as_nobody_out(tmp: Path) -> Path:
    """A good output folder owned by nobody, with the tmp folder reachable."""
    out = good_out(tmp)
    os.chmod(tmp, 0o755)
    subprocess.run(["chown", "-R", "65534:65534", str(out)], check=True)
    return out


@case(
    "machine",
    "read-only output folder (chmod, as nobody) → exit 3, one line, report kept",
    root_only=True,
)
def readonly_chmod(tmp):
    out = _as_nobody_out(tmp)
    before = published(out)
    for folder, _names, _files in os.walk(out):
        os.chmod(folder, 0o555)
    result = impact(CHEAP, "--out", out, "--force", "--quiet", user="nobody", cwd=ROOT)
    problems = expect(result, 3, says="permission denied", lines=2)
    problems += intact(before, published(out))
    for folder, _names, _files in os.walk(out):
        os.chmod(folder, 0o755)
    return problems


@case(
    "machine", "the report's folder read-only (ro bind mount) → exit 3, report kept", root_only=True
)
def readonly_report_folder(tmp):
    out = good_out(tmp)
    before = published(out)
    folder = out / "midterm/lishui/round-4"
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        result = impact(CHEAP, "--out", out, "--force", "--quiet")
        # a bind mount is another mount: the move from staging meets EXDEV before EROFS
        problems = expect(result, 3)
        if "read-only" not in result.err.lower() and "EXDEV" not in result.err:
            problems.append("says neither read-only nor EXDEV")
        problems += intact(before, published(out))
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
    problems += [f"leftover: {x}" for x in leftovers(out)]
    return problems


@case(
    "machine",
    "read-only mount (tmpfs remounted ro) → exit 3, one line, report kept",
    root_only=True,
)
def readonly_mount(tmp):
    with tmpfs(tmp / "mnt", "20m") as mnt:
        out = mnt / "out"
        shutil.copytree(good_out(tmp), out, symlinks=True)
        before = published(out)
        remount_ro(mnt)
        result = impact(CHEAP, "--out", out, "--force", "--quiet")
        problems = expect(result, 3, says="read-only", lines=2)
        problems += intact(before, published(out))
    return problems


def _fill(folder: Path) -> None:
    with contextlib.suppress(OSError), open(folder / "filler", "wb") as handle:
        while True:
            handle.write(b"\0" * 65536)


@case(
    "machine",
    "full disk (small tmpfs) → exit 3, one line, report kept; rerun after freeing",
    root_only=True,
)
def full_disk(tmp):
    with tmpfs(tmp / "mnt", "20m") as mnt:
        out = mnt / "out"
        shutil.copytree(good_out(tmp), out, symlinks=True)
        before = published(out)
        _fill(mnt)
        result = impact(CHEAP, "--out", out, "--force", "--quiet")
        problems = expect(result, 3, says="no space", lines=2)
        problems += intact(before, published(out))
        (mnt / "filler").unlink()
        problems += rerun_clean(out, before)
    return problems


@case("machine", "full disk during the build (1 MB left) → exit 3, report kept", root_only=True)
def full_disk_midway(tmp):
    with tmpfs(tmp / "mnt", "20m") as mnt:
        out = mnt / "out"
        shutil.copytree(good_out(tmp), out, symlinks=True)
        before = published(out)
        _fill(mnt)
        size = (mnt / "filler").stat().st_size
        os.truncate(mnt / "filler", size - 300_000)
        result = impact(CHEAP, "--out", out, "--force", "--quiet")
        problems = expect(result, {1, 3}, says="space")
        problems += intact(before, published(out))
        (mnt / "filler").unlink()
        problems += rerun_clean(out, before)
    return problems


@case("machine", "out of inodes (tmpfs nr_inodes) → exit 3, report kept", root_only=True)
def no_inodes(tmp):
    with tmpfs(tmp / "mnt", "50m", "nr_inodes=400") as mnt:
        out = mnt / "out"
        shutil.copytree(good_out(tmp), out, symlinks=True)
        before = published(out)
        n = 0
        with contextlib.suppress(OSError):
            while True:
                (mnt / f"i{n}").touch()
                n += 1
        result = impact(CHEAP, "--out", out, "--force", "--quiet")
        problems = expect(result, 3, says="space", lines=2)
        problems += intact(before, published(out))
        for m in range(n):
            (mnt / f"i{m}").unlink()
        problems += rerun_clean(out, before)
    return problems


@case("machine", "permission denied on a data file (as nobody) → exit 2 naming it", root_only=True)
def data_denied(tmp):
    os.chmod(tmp, 0o755)
    data = tmp / "data"
    shutil.copytree(ROOT / "data/sample", data)
    os.chmod(data / "funding.csv", 0o000)
    path = write(tmp / "p.yaml", f"kind: explore\ndata: {data}\n")
    out = tmp / "out"
    out.mkdir()
    os.chown(out, 65534, 65534)
    result = impact(path, "--out", out, "--quiet", user="nobody")
    return expect(result, 2, says="funding.csv")


@case(
    "machine", "permission denied on the data folder (as nobody) → exit 2 naming it", root_only=True
)
def data_folder_denied(tmp):
    os.chmod(tmp, 0o755)
    data = tmp / "data"
    shutil.copytree(ROOT / "data/sample", data)
    os.chmod(data, 0o000)
    path = write(tmp / "p.yaml", f"kind: explore\ndata: {data}\n")
    out = tmp / "out"
    out.mkdir()
    os.chown(out, 65534, 65534)
    result = impact(path, "--out", out, "--quiet", user="nobody")
    os.chmod(data, 0o755)
    return expect(result, 2, says="permission denied")


@case("machine", "data changed mid-run: run.json hashes the bytes the report read")
def data_changed_midrun(tmp):
    data = tmp / "data"
    shutil.copytree(ROOT / "data/sample", data)
    original = hashlib.sha256((data / "funding.csv").read_bytes()).hexdigest()
    path = write(tmp / "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    out = tmp / "out"
    process = started(path, "--out", out, "--quiet")
    wait_for(lambda: MOMENTS["kernel-starting"](out) or process.poll() is not None, 120)
    with open(data / "funding.csv", "a") as handle:
        handle.write("garbage,row\n")
    (data / "panel.csv").unlink()
    result = finish(process)
    problems = expect(result, 0)
    record = json.loads(next(out.rglob("run.json")).read_text("utf-8"))
    hashes = {Path(k).name: v for k, v in record["data"].items()}
    if hashes.get("funding.csv") != original:
        problems.append("run.json does not hash the bytes read")
    again = impact(path, "--out", out, "--quiet")
    problems += [f"rerun: {p}" for p in expect(again, {0, 2})]
    if again.rc == 0 and "skipped" in again.out:
        problems.append("rerun skipped although the data changed")
    return problems


@case("machine", "a data folder of 100k other files: refused or built, in reasonable time")
def data_many_files(tmp):
    data = tmp / "data"
    shutil.copytree(ROOT / "data/sample", data)
    scans = data / "scans"
    for n in range(100_000):
        (data / f"scan{n:06d}.jpg").write_bytes(b"x")
    del scans
    path = write(tmp / "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    result = impact(path, "--out", tmp / "out", "--quiet", timeout=300)
    problems = expect(result, {0, 2})
    if result.seconds > 120:
        problems.append(f"took {result.seconds:.0f} s")
    return problems


@case("machine", "a 1 GB file beside the data (not a table): not read into memory")
def data_huge_other_file(tmp):
    data = tmp / "data"
    shutil.copytree(ROOT / "data/sample", data)
    with open(data / "video.mp4", "wb") as handle:
        handle.truncate(1 << 30)
    path = write(tmp / "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    result = impact(path, "--out", tmp / "out", "--quiet", timeout=300)
    problems = expect(result, {0, 2})
    if result.seconds > 60:
        problems.append(f"took {result.seconds:.0f} s")
    return problems


@case("machine", "--out is a file → exit 3 one line")
def out_is_file(tmp):
    out = write(tmp / "out", "a file\n")
    return expect(impact(CHEAP, "--out", out, "--quiet", timeout=60), 3, lines=1)


@case("machine", "--out is a symlink to a folder → exit 0, report under the target")
def out_is_symlink(tmp):
    real = good_out(tmp, name="real")
    (tmp / "out").symlink_to(real)
    before = published(real)
    result = impact(CHEAP, "--out", tmp / "out", "--quiet", "--force", timeout=120)
    return expect(result, 0) + intact(before, published(real))


@case("machine", "--out inside the data folder → built, rerun skipped (reports are not data)")
def out_inside_data(tmp):
    data = tmp / "data"
    shutil.copytree(ROOT / "data/sample", data)
    path = write(tmp / "p.yaml", f"kind: explore\ndata: {data}\nlanguage: en\n")
    first = impact(path, "--out", data / "reports", "--quiet", timeout=120)
    second = impact(path, "--out", data / "reports", "--quiet", timeout=120)
    problems = expect(first, 0) + [f"rerun: {p}" for p in expect(second, 0)]
    if "skipped" not in second.out:
        problems.append("rerun not skipped")
    return problems


# --------------------------------------------------------------------------- environment


@case("env", "no HOME → exit 0")
def no_home(tmp):
    return expect(impact(CHEAP, "--out", tmp / "out", "--quiet", environ=env(HOME=None)), 0)


@case("env", "read-only HOME (a ro tmpfs) → exit 0", root_only=True)
def readonly_home(tmp):
    with tmpfs(tmp / "home", "1m") as home:
        remount_ro(home)
        result = impact(
            CHEAP,
            "--out",
            tmp / "out",
            "--quiet",
            environ=env(
                HOME=str(home), JUPYTER_RUNTIME_DIR=None, XDG_RUNTIME_DIR=None, IPYTHONDIR=None
            ),
        )
    return expect(result, 0, lines=0)


@case("env", "JUPYTER_RUNTIME_DIR unwritable → exit 0")
def runtime_unwritable(tmp):
    result = impact(
        CHEAP, "--out", tmp / "out", "--quiet", environ=env(JUPYTER_RUNTIME_DIR="/proc/nowhere")
    )
    return expect(result, 0, lines=0)


@case("env", "TMPDIR unwritable → exit 0 or one line (exit 3)")
def tmpdir_unwritable(tmp):
    result = impact(CHEAP, "--out", tmp / "out", "--quiet", environ=env(TMPDIR="/proc/nowhere"))
    return expect(result, {0, 3}, lines=1)


@case("env", "TMPDIR full → exit 0 or one line (exit 3)", root_only=True)
def tmpdir_full(tmp):
    with tmpfs(tmp / "mnt", "64k") as mnt:
        _fill(mnt)
        result = impact(CHEAP, "--out", tmp / "out", "--quiet", environ=env(TMPDIR=str(mnt)))
    return expect(result, {0, 3}, lines=1)


@case("env", "no chromium on PATH → exit 0, PDF skipped with a note")
def no_chromium(tmp):
    bindir = tmp / "bin"
    bindir.mkdir()
    for tool in ("python", "python3", "git"):
        found = shutil.which(tool, path=str(BIN) + ":/usr/bin")
        if found:
            (bindir / tool).symlink_to(found)
    result = impact(CHEAP, "--out", tmp / "out", "--quiet", environ=env(PATH=f"{BIN}:{bindir}"))
    problems = expect(result, 0)
    if list((tmp / "out").rglob("report.pdf")):
        problems.append("a PDF without chromium?")
    if "pdf" not in (result.err + result.out).lower():
        problems.append("no note about the PDF")
    return problems


@case("env", "LANG=C, LC_ALL=C: Chinese paths and messages work")
def c_locale(tmp):
    data = tmp / "里水数据"
    shutil.copytree(ROOT / "data/programmes/lishui", data)
    path = write(
        tmp / "中期评估.yaml",
        MIDTERM.replace("data/programmes/lishui", str(data)) + "title: 里水第四届\n",
    )
    result = impact(
        path,
        "--out",
        tmp / "报告",
        "--quiet",
        environ=env(LANG="C", LC_ALL="C", PYTHONUTF8=None, PYTHONIOENCODING=None),
    )
    problems = expect(result, 0)
    bad = write(tmp / "错误.yaml", MIDTERM.replace("round: 4", "round: 99"))
    result = impact(
        bad,
        "--out",
        tmp / "报告",
        "--quiet",
        environ=env(LANG="C", LC_ALL="C", PYTHONUTF8=None, PYTHONIOENCODING=None),
    )
    problems += [f"bad file: {p}" for p in expect(result, 2, says="错误.yaml")]
    return problems


@case("env", "a cwd that was deleted, absolute paths → exit 0 or one line")
def deleted_cwd(tmp):
    gone = tmp / "gone"
    gone.mkdir()
    process = subprocess.Popen(
        [
            "sh",
            "-c",
            f"cd {gone} && rmdir {gone} && exec {IMPACT} run {CHEAP} --out "
            f"{tmp / 'out'} --notebooks {ROOT / 'notebooks'} --quiet",
        ],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    result = finish(process, 120)
    return expect(result, {0, 2, 3}, lines=1)


# --------------------------------------------------------------------------- command-line options


def _option_case(args: list[str], codes, says: str | None):
    def run(tmp):
        out = good_out(tmp)
        before = published(out)
        fixed = [a.replace("TMP", str(tmp)) for a in args]
        result = impact(CHEAP, "--out", out, "--quiet", *fixed, timeout=120)
        return expect(result, codes, says=says) + intact(before, published(out))

    return run


for _label, _args, _codes, _says in [
    ("jobs_0", ["--jobs", "0", "--force"], 2, "--jobs"),
    ("jobs_negative", ["--jobs", "-3", "--force"], 2, "--jobs"),
    ("wait_negative", ["--wait", "-5"], {0, 2}, None),
    ("wait_nan", ["--wait", "nan"], 2, "--wait"),
    ("wait_inf", ["--wait", "inf"], {0, 2}, None),
    ("log_in_missing_folder", ["--log", "TMP/logs/deep/runs.jsonl"], 0, None),
    ("log_unwritable", ["--log", "/proc/runs.jsonl"], 3, "runs.jsonl"),
    ("log_is_folder", ["--log", "TMP"], 3, "--log"),
    ("notebooks_missing", ["--notebooks", "TMP/none", "--force"], 2, "notebook"),
    ("params_dir_missing", ["--all", "--params-dir", "TMP/none"], 2, "params-dir"),
]:
    CASES.append(
        Case(
            "cli",
            _label,
            f"{' '.join(_args)} → exit {_codes}, one line",
            _option_case(_args, _codes, _says),
        )
    )


@case("cli", "--log written in the run's folder structure: one JSON line per report")
def log_lines(tmp):
    log = tmp / "logs" / "runs.jsonl"
    result = impact(CHEAP, "--out", tmp / "out", "--quiet", "--log", log, timeout=120)
    problems = expect(result, 0)
    if log.exists():
        lines = [json.loads(x) for x in log.read_text("utf-8").splitlines()]
        if [x["status"] for x in lines] != ["ok"]:
            problems.append(f"log {lines}")
    else:
        problems.append("no log written")
    return problems


@case("signals", "Ctrl-C twice (impatient user) → 130, one line, no traceback; rerun clean")
def sigint_twice(tmp):
    out = good_out(tmp)
    before = published(out)
    tag = f"{tmp.name}-twice"
    process = started(CHEAP, "--out", out, "--force", "--quiet", environ=tagged(tag))
    wait_for(lambda: MOMENTS["building"](out) or process.poll() is not None, 120)
    process.send_signal(signal.SIGINT)
    time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)
    result = finish(process, 120)
    problems = expect(result, 130, says="interrupted", lines=1)
    problems += intact(before, published(out))
    time.sleep(1)
    if alive := kernels_of(tag):
        problems.append(f"kernels left running: {alive}")
    problems += rerun_clean(out, before)
    return problems


@case("signals", "SIGTERM during recovery of a big leftover → 130 one line; rerun clean")
def sigterm_recovering(tmp):
    out = good_out(tmp)
    before = published(out)
    folder = out / "midterm/lishui/round-4"
    for n in range(300):
        junk = folder / f".zh.v-{n:016x}-dead{n:02x}"
        junk.mkdir()
        for m in range(30):
            (junk / f"f{m}").write_text("x")
    process = started(CHEAP, "--out", out, "--quiet")

    def holding():  # the lock file names this run: it is recovering now
        return (out / ".lock").read_text().startswith(f"{process.pid} ")

    wait_for(lambda: holding() or process.poll() is not None, 60)
    process.send_signal(signal.SIGTERM)
    result = finish(process, 120)
    problems = expect(result, {0, 130}, lines=1)
    problems += intact(before, published(out))
    problems += rerun_clean(out, before)
    return problems


@case("machine", "--out /, ~, /etc or the data folder itself → exit 2 at once, nothing written")
def out_not_reports(tmp):
    home = tmp / "home"
    write(home / "notes.txt", "mine\n")
    data = tmp / "data"
    shutil.copytree(ROOT / "data/sample", data)
    problems = []
    for out in ("/", "~", "/etc", str(data)):
        began = time.monotonic()
        result = impact(
            CHEAP, "--out", out, "--quiet", "--force", timeout=60, environ=env(HOME=str(home))
        )
        problems += [f"{out}: {p}" for p in expect(result, 2, says="not a reports folder", lines=1)]
        if time.monotonic() - began > 20:
            problems.append(f"{out}: slow")
    for where in (Path("/"), home, Path("/etc"), data):
        if (where / ".lock").exists() or (where / "index.html").exists():
            problems.append(f"wrote into {where}")
    return problems


# ---- CASES ----


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*")
    parser.add_argument("-k", dest="keyword")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON")
    args = parser.parse_args()
    chosen = [
        c
        for c in CASES
        if (not args.groups or c.group in args.groups)
        and (not args.keyword or args.keyword in c.name)
    ]
    failed = 0
    report = []
    for item in chosen:
        if item.root_only and os.geteuid() != 0:
            print(f"skipped  {item.group:12} {item.name}: needs root")
            continue
        with tempfile.TemporaryDirectory(prefix="impact-faults-") as tmp:
            began = time.monotonic()
            try:
                problems = item.run(Path(tmp))
            except Exception as exc:  # noqa: BLE001 - a case that cannot run is a failure
                problems = [f"case error: {type(exc).__name__}: {exc}"]
            seconds = time.monotonic() - began
        status = "held" if not problems else "FAILED"
        failed += bool(problems)
        print(f"{status:8} {item.group:12} {item.name} ({seconds:.1f} s): {item.expect}")
        for problem in problems:
            print(f"           - {problem}")
        sys.stdout.flush()
        report.append(
            {
                "case": item.name,
                "group": item.group,
                "status": status,
                "expect": item.expect,
                "problems": problems,
            }
        )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")
    print(f"{len(report) - failed} held, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
