"""Whether two builds of one report say the same thing: every table byte for byte, and
every text a reader sees. Used to check a report built on a Dask cluster against the same
report built locally (tests, ``bench/scale.py``) and a warm run against papermill
(``bench/reports.py``)."""

from __future__ import annotations

import filecmp
import json
import re
from pathlib import Path


def report_text(executed: Path) -> list[str]:
    """Every text a reader sees, cell by cell: text, HTML, Markdown and plain outputs, and
    the words inside SVG figures (their drawing ids and dates differ from run to run)."""
    document = json.loads(Path(executed).read_text("utf-8"))
    texts = []
    for cell in document["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "code" or {"parameters", "injected-parameters"} & set(tags):
            continue
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                texts.append("".join(output["text"]))
            for kind, value in sorted(output.get("data", {}).items()):
                value = "".join(value) if isinstance(value, list) else str(value)
                if kind == "image/svg+xml":
                    value = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", value))
                elif kind.startswith("image/"):
                    value = "<image>"
                texts.append(f"{kind}: {value}")
            if output["output_type"] == "error":
                texts.append(f"error: {output['ename']}")
    return texts


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
