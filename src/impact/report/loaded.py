"""Data sets a report kernel has already read, kept by the bytes of their files.

The runner builds report after report in one warm kernel (:mod:`.warm`), and most reports of
a batch read the same data folder and the same published figures: reading, parsing and
checking them is about a third of a small report's time. A :class:`Kept` store lives as
long as its kernel (the warm-up gives the kernel's shell one, :func:`for_this_kernel` finds
it); it reads a data set once and gives every report its own deep copy, so a report can
change its tables without touching the next one's. The key is a digest of every file's
relative name and bytes, so an edited, added or removed file is read afresh; a folder
larger than :data:`MAX_BYTES` is never kept. A kernel without a store (plain papermill,
JupyterLab) reads as before.
"""

from __future__ import annotations

import copy
import hashlib
import os
from collections import OrderedDict
from pathlib import Path

KEEP = 2  # data sets kept (a batch's data and its published figures)
MAX_BYTES = 256 * 1024 * 1024
SHELL_ATTRIBUTE = "impact_kept"  # where a warm kernel's shell holds its store


class Kept:
    """The data sets one kernel has read (at most ``keep``), by the digest of their files."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._sets: OrderedDict[bytes, object] = OrderedDict()

    def load(self, path):
        """``impact.load(path)``; a data set read before with the same files comes back as a
        deep copy of what was read then."""
        from ..dataset import load

        key = digest(Path(path))
        if key is None:
            return load(path)
        if key in self._sets:
            self._sets.move_to_end(key)
            return copy.deepcopy(self._sets[key])
        data = load(path)
        self._sets[key] = copy.deepcopy(data)
        while len(self._sets) > self.keep:
            self._sets.popitem(last=False)
        return data


def for_this_kernel() -> Kept | None:
    """The store of the kernel this runs in, if its warm-up gave it one."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return getattr(get_ipython(), SHELL_ATTRIBUTE, None)


def load_kept(path, kept: Kept | None = None):
    """Read ``path`` through ``kept`` (the kernel's own store by default), or afresh."""
    from ..dataset import load

    kept = kept or for_this_kernel()
    return kept.load(path) if kept is not None else load(path)


def digest(path: Path) -> bytes | None:
    """A digest of the names and bytes of ``path`` (a file, or every file under a folder);
    None when it cannot be read in full or is too large to keep."""
    try:
        path = path.resolve()
        if path.is_file():
            files = [path]
        elif path.is_dir():
            files = sorted(
                Path(folder) / name
                for folder, _, names in os.walk(path)
                for name in names
                if (Path(folder) / name).is_file()
            )
        else:
            return None
        if sum(f.stat().st_size for f in files) > MAX_BYTES:
            return None
        hasher = hashlib.blake2b(digest_size=20)
        hasher.update(str(path).encode())
        for file in files:
            hasher.update(str(file.relative_to(path) if file != path else file.name).encode())
            hasher.update(b"\0")
            hasher.update(file.read_bytes())
            hasher.update(b"\0")
        return hasher.digest()
    except OSError:
        return None
