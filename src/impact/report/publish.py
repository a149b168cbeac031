"""Publishing a report folder so that a reader never sees a half-written report.

A report is built in a staging folder beside its destination, on the same file system, and
only a complete, successful build is moved into place: the old folder is renamed aside, the
new one renamed in, the old one deleted. Both renames are atomic, so at every moment the
destination holds either the previous good report or the new one. A failed or interrupted
build leaves the previous report untouched; the failed attempt is kept in ``<folder>.failed``
for inspection.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import subprocess
import uuid
from importlib import metadata
from pathlib import Path

from .. import __version__

STAGING = ".staging"
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
    return bool(record) and record.get("status") == "ok" and record.get("fingerprint") == print_


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


def staging_folder(root: Path, destination: Path) -> Path:
    """A fresh folder on the same file system as ``destination``."""
    stage = (
        root / STAGING / f"{destination.relative_to(root).as_posix().replace('/', '_')}"
        f"-{uuid.uuid4().hex[:8]}"
    )
    stage.mkdir(parents=True)
    return stage


def publish(stage: Path, destination: Path) -> None:
    """Move a complete build into place (see the module's description)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    aside = destination.with_name(f".{destination.name}.old-{uuid.uuid4().hex[:8]}")
    had_previous = destination.exists()
    if had_previous:
        os.rename(destination, aside)
    try:
        os.rename(stage, destination)
    except OSError:
        if had_previous:
            os.rename(aside, destination)  # put the good report back
        raise
    if had_previous:
        shutil.rmtree(aside, ignore_errors=True)
    shutil.rmtree(destination.with_name(destination.name + ".failed"), ignore_errors=True)


def keep_failure(stage: Path, destination: Path) -> Path:
    """Keep a failed build beside the destination, replacing an older failed one."""
    failed = destination.with_name(destination.name + ".failed")
    shutil.rmtree(failed, ignore_errors=True)
    failed.parent.mkdir(parents=True, exist_ok=True)
    os.rename(stage, failed)
    return failed


def clean_staging(root: Path) -> None:
    """Remove what interrupted runs left in the staging area."""
    shutil.rmtree(root / STAGING, ignore_errors=True)
