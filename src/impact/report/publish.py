"""Publishing a report folder so that a reader never sees a half-written report, and one
run at a time per output folder.

A report is built in its run's own staging folder (``<out>/.staging/<run>/``) on the same
file system as its destination. Publishing a complete build takes these steps:

1. ``moved``: the build is renamed to a hidden version folder beside the destination,
   ``.<name>.v-<id>``;
2. ``linked``: a temporary symbolic link to it is made, ``.<name>.link-<id>``;
3. ``swapped``: the link is renamed over ``<name>`` (``rename(2)`` replaces a link
   atomically), so ``<name>/report.html`` resolves to the old build until this instant and
   to the new one after it;
4. ``replaced``: the previous version folder is removed;
5. ``cleared``: any kept failure is removed.

The index is written to a temporary file and renamed over ``index.html`` (step ``index``
between the two).

A destination that is still a plain folder (made by an older version of the workbench) is
first renamed to a version folder and linked (step ``legacy``): a folder cannot be replaced
by a link in one step, so between those two calls, once per report, the destination is
missing; :func:`recover` repairs that. Every run, before it builds anything, calls
:func:`recover` under the lock: leftover links and staging are removed, a destination whose
link is missing or broken is pointed at its newest complete version, and versions nothing
points at are removed. So a run killed at any step leaves either the complete old or the
complete new report, and the next run tidies up. A failed build is kept as
``<name>.failed`` (a link to ``.<name>.f-<id>``) for inspection; the next good build removes
it.

:func:`locked` holds ``<out>/.lock`` with ``flock(2)`` for the whole run: a second run waits
up to its ``wait`` seconds, then raises :class:`BusyError`. The kernel releases the lock when
a run dies, however it dies.

``IMPACT_FAULT=<step>`` in the environment makes a run stop dead (``os._exit(70)``) at that
step of publishing; the tests use it to kill the runner at each step.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import platform
import shutil
import stat
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..errors import ImpactError
from .status import recorded

STAGING = ".staging"
LOCK = ".lock"
STEPS = (
    "legacy",
    "moved",
    "linked",
    "swapped",
    "replaced",
    "cleared",
    "failed-moved",
    "failed-linked",
    "failed-swapped",
    "index",
)
FAULT_EXIT = 70


class OutputError(ImpactError):
    """The output folder cannot be written (read-only, full, permission denied)."""


class BusyError(ImpactError):
    """Another run holds the output folder."""


def describe_os_error(exc: OSError, what: str = "") -> str:
    """One line: where, what failed and why, in words (``ENOSPC`` → no space left)."""
    where = exc.filename or what
    code = errno.errorcode.get(exc.errno or 0, "")
    reason = exc.strerror or str(exc)
    hint = HINTS.get(exc.errno or 0, "")
    return f"{where}: {reason}" + (f" ({code})" if code else "") + (f"; {hint}" if hint else "")


HINTS = {
    errno.EXDEV: "a folder under the output folder is on another file system (a mount); "
    "reports are built in the output folder's .staging and moved into place, so they must "
    "share one file system",
}


def _checkpoint(step: str) -> None:
    if step and os.environ.get("IMPACT_FAULT") == step:
        os._exit(FAULT_EXIT)


checkpoint = _checkpoint  # for the index's write


def _new_id() -> str:
    """Sortable by time, unique across runs."""
    return f"{time.time_ns():016x}-{uuid.uuid4().hex[:6]}"


PACKAGES = (
    "impact",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "scikit-learn",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "pyarrow",
)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_regular(path: Path) -> bytes:
    """A regular file's bytes; a pipe or device (which could block or never end) raises
    OSError instead of hanging the run."""
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise OSError(errno.EINVAL, "not a regular file (a pipe or device)", str(path))
        with os.fdopen(os.dup(handle), "rb") as stream:
            return stream.read()
    finally:
        os.close(handle)


def data_hashes(path: Path) -> dict[str, str]:
    """SHA-256 of every file of a data set (one file, or a folder's files)."""
    files = (
        sorted(p for p in Path(path).rglob("*") if p.is_file())
        if Path(path).is_dir()
        else [Path(path)]
    )
    return {str(f): file_hash(f) for f in files}


def code_hash() -> str:
    """Hash of the installed package's source: a changed estimator changes every report, even
    before the version number moves."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode())
    for source in sorted(root.rglob("*.py")) + sorted(root.rglob("*.yaml")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def fingerprint(notebook: Path, params: dict, data: dict[str, str], code: str) -> str:
    """What makes a report what it is: notebook, parameters, data and code."""
    digest = hashlib.sha256()
    digest.update(file_hash(notebook).encode())
    digest.update(json.dumps(params, sort_keys=True, default=str).encode())
    digest.update(json.dumps(data, sort_keys=True).encode())
    digest.update(code.encode())
    return digest.hexdigest()


def is_current(folder: Path, print_: str) -> bool:
    """True if ``folder`` holds a successful report with this fingerprint."""
    record = read_record(folder)
    return recorded(record) == "ok" and record.get("fingerprint") == print_


def read_record(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "run.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None


def git_state(cwd: Path | None = None) -> dict:
    """The commit of the working tree and whether it had uncommitted changes."""

    def git(*args):
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)

    try:
        commit = git("rev-parse", "HEAD")
        if commit.returncode != 0:
            return {"commit": None, "dirty": None}
        dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip() != ""
        return {"commit": commit.stdout.strip(), "dirty": dirty}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return found


def write_record(folder: Path, record: dict) -> None:
    (folder / "run.json").write_text(
        json.dumps(record, indent=2, ensure_ascii=False, default=str), "utf-8"
    )


@contextmanager
def locked(root: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold ``root/.lock`` for the duration; wait up to ``wait`` seconds for another run."""
    path = Path(root) / LOCK
    try:
        # never through a link (the lock file is truncated), never a pipe or folder
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            exc = OSError(errno.ELOOP, "is a symbolic link, not the run's lock file", str(path))
        raise OutputError(f"cannot lock the output folder: {describe_os_error(exc)}") from None
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise OutputError(f"cannot lock the output folder: {path}: not a regular file")
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK):
                    raise OutputError(  # ENOLCK (some network file systems), EBADF …
                        f"cannot lock the output folder: {describe_os_error(exc, str(path))}"
                    ) from None
                if time.monotonic() >= deadline:
                    holder = _holder(handle)
                    raise BusyError(
                        f"{root}: another run{holder} is writing this output folder; "
                        f"try again later or give --wait SECONDS"
                        + (f" (waited {wait:g} s)" if wait else "")
                    ) from None
                time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))
        try:
            os.ftruncate(handle, 0)
            os.pwrite(handle, f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n".encode(), 0)
        except OSError:
            pass  # who holds it is a courtesy for the message, not needed for the lock
        yield path
    finally:
        os.close(handle)  # releases the lock


def _holder(handle: int) -> str:
    try:
        pid, since = os.pread(handle, 100, 0).decode().split()
        return f" (process {pid}, since {since})"
    except (OSError, ValueError):
        return ""


def run_staging(root: Path) -> Path:
    """This run's own staging folder."""
    stage = Path(root) / STAGING / f"run-{_new_id()}"
    try:
        stage.mkdir(parents=True)
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder: {describe_os_error(exc)}") from None
    return stage


def staging_folder(run_stage: Path, destination: Path, root: Path) -> Path:
    """A fresh folder for one build inside the run's staging folder."""
    stage = run_stage / (destination.relative_to(root).as_posix().replace("/", "_"))
    stage.mkdir(parents=True)
    return stage


def _stamp(version: Path) -> int:
    try:
        return int(version.name.split("-")[-2], 16)
    except (IndexError, ValueError):
        return 0  # an older layout's folder: older than anything stamped


def _version(destination: Path, kind: str = "v", stamp: int | None = None) -> Path:
    identity = _new_id() if stamp is None else f"{stamp:016x}-{uuid.uuid4().hex[:6]}"
    return destination.with_name(f".{destination.name}.{kind}-{identity}")


def _point(link_name: Path, target: Path, steps: tuple[str, str]) -> None:
    """Atomically make ``link_name`` a relative link to ``target`` (a sibling)."""
    temporary = link_name.with_name(f".{link_name.name}.link-{_new_id()}")
    os.symlink(target.name, temporary)
    _checkpoint(steps[0])
    os.replace(temporary, link_name)
    _checkpoint(steps[1])


def _target(link: Path) -> Path | None:
    """The version folder a destination link points at (None for a missing link or a plain
    folder)."""
    if not link.is_symlink():
        return None
    return link.with_name(os.readlink(link))


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def publish(stage: Path, destination: Path) -> None:
    """Put a complete build in place (see the module's description)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists() and not destination.is_symlink():
        # A plain folder from an older layout becomes a version behind a link first; a
        # folder cannot be replaced by a link in one step, so this once-per-report moment
        # is what recover() repairs.
        legacy = _version(destination, stamp=0)  # older than any stamped build
        os.rename(destination, legacy)
        _checkpoint("legacy")
        _point(destination, legacy, ("", ""))
    previous = _target(destination)
    version = _version(destination)
    os.rename(stage, version)
    _checkpoint("moved")
    try:
        _point(destination, version, ("linked", "swapped"))
    except OSError:
        os.rename(version, stage)  # leave the old report as it was; the build stays staged
        raise
    if previous is not None and previous != version:
        _remove(previous)
    _checkpoint("replaced")
    clear_failure(destination)
    _checkpoint("cleared")


def keep_failure(stage: Path, destination: Path) -> Path:
    """Keep a failed build as ``<name>.failed``, replacing an older failed one."""
    failed = destination.with_name(destination.name + ".failed")
    failed.parent.mkdir(parents=True, exist_ok=True)
    if failed.exists() and not failed.is_symlink():
        shutil.rmtree(failed)  # an older layout's plain folder; only diagnostics
    previous = _target(failed)
    version = _version(destination, "f")
    os.rename(stage, version)
    _checkpoint("failed-moved")
    _point(failed, version, ("failed-linked", "failed-swapped"))
    if previous is not None:
        _remove(previous)
    return failed


def clear_failure(destination: Path) -> None:
    failed = destination.with_name(destination.name + ".failed")
    previous = _target(failed)
    _remove(failed)
    if previous is not None:
        _remove(previous)


def _complete(folder: Path) -> bool:
    record = read_record(folder)
    return recorded(record) == "ok" and (folder / "report.html").exists()


def recover(root: Path) -> list[str]:
    """Repair what interrupted runs left under ``root`` (call it holding the lock). Returns
    one line per repair."""
    root = Path(root)
    done: list[str] = []
    for temporary in root.glob(".index.html.*"):  # an index write that was cut short
        temporary.unlink(missing_ok=True)
        done.append(f"removed a half-written index: {temporary}")
    staging = root / STAGING
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)
        done.append(f"removed staging left by an interrupted run: {staging}")
    for folder, names, _files in os.walk(root):
        folder_path = Path(folder)
        if folder_path == root:
            names[:] = [n for n in names if n != STAGING]
        names[:] = [n for n in names if not n.startswith(".")]
        done += _recover_folder(folder_path)
    return done


def _recover_folder(folder: Path) -> list[str]:
    done = []
    entries = list(folder.iterdir())
    for entry in entries:
        if entry.name.startswith(".") and ".link-" in entry.name and entry.is_symlink():
            entry.unlink(missing_ok=True)
    versions: dict[tuple[str, str], list[Path]] = {}
    for entry in entries:
        name = entry.name
        if not name.startswith(".") or entry.is_symlink():
            continue
        for kind in ("v", "f", "old"):
            marker = f".{kind}-"
            if marker in name:
                versions.setdefault((name[1 : name.rindex(marker)], kind), []).append(entry)
                break
    for (name, kind), found in versions.items():
        link = folder / (name if kind != "f" else name + ".failed")
        if kind == "old":  # an older workbench's swap, interrupted
            for aside in sorted(found):
                if not link.exists() and not link.is_symlink() and _complete(aside):
                    os.rename(aside, link)
                    done.append(f"restored {link} from {aside.name}")
                else:
                    shutil.rmtree(aside, ignore_errors=True)
            continue
        current = _target(link) if link.is_symlink() else None
        if current is not None and not current.exists():
            link.unlink()  # broken link: point it at the newest complete version below
            current = None
        if current is None and not link.exists():
            candidates = [v for v in sorted(found, reverse=True) if kind == "f" or _complete(v)]
            if candidates:
                _point(link, candidates[0], ("", ""))
                current = candidates[0]
                done.append(f"restored {link} -> {current.name}")
        for version in found:
            if version != current:
                shutil.rmtree(version, ignore_errors=True)
                done.append(f"removed unfinished or replaced build {version}")
    for (name, kind), _found in versions.items():
        # a good build published after the kept failure: the failure is over
        failed, good = _target(folder / f"{name}.failed"), _target(folder / name)
        if kind == "f" and failed and good and good.exists() and _stamp(good) > _stamp(failed):
            clear_failure(folder / name)
            done.append(f"cleared {name}.failed: a newer report was published")
    return done


def clean_staging(run_stage: Path) -> None:
    """Remove this run's staging folder (and the staging area if it is now empty)."""
    shutil.rmtree(run_stage, ignore_errors=True)
    try:
        run_stage.parent.rmdir()
    except OSError:
        pass
