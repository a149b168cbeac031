"""Whether two builds of one report say the same thing: every table byte for byte, and
every text a reader sees. Used to check a report built on a Dask cluster against the same
report built locally (tests, ``bench/scale.py``) and a warm run against papermill
(``bench/reports.py``)."""

from __future__ import annotations

import filecmp
from pathlib import Path


def report_text(executed: Path) -> list[str]:
    """Every text a reader sees, block by block: headings, sentences, table headers and
    cells, and the words inside figures (their drawing ids differ from run to run)."""
    from .export import read

    return read(Path(executed)).text()


def differences(one: Path, other: Path) -> list[str]:
    """What differs between two report folders: the set of tables, any table's bytes, the
    report's text. Empty when they agree."""
    one, other = Path(one), Path(other)
    found = []
    names = sorted(p.name for p in (one / "tables").glob("*"))
    if names != sorted(p.name for p in (other / "tables").glob("*")):
        found.append("the set of tables")
    for name in names:
        theirs = other / "tables" / name
        if theirs.exists() and not filecmp.cmp(one / "tables" / name, theirs, shallow=False):
            found.append(f"table {name}")
    if report_text(one / "report.ipynb") != report_text(other / "report.ipynb"):
        found.append("the report's text")
    return found
