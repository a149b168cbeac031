"""``reports/index.html``: every report with its date, status and link, in one page.

Built in three steps so that each can be extended on its own: :func:`collect` finds the
reports under the output folder (one :class:`Entry` per report, its published build and its
kept failure read together), :func:`rows` turns entries into what the page shows, and
:func:`render` writes the page. The page is replaced atomically.

A report's status says what happened: ``ok``; ``failed, previous kept`` (the last build
failed and the previous good report is still linked); ``failed, no report yet`` (a build
failed and there has never been a good one). Each failure links to its details
(``<folder>.failed/run.json``). A good build removes its failure, so a fixed report reads
``ok`` again.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import publish
from .catalogue import t
from .render.page import CSS
from .status import Shown, recorded

STATUS: dict[Shown, tuple[str, str]] = {
    "ok": ("成功", "ok"),
    "failed-kept": ("失败，保留上一版", "failed, previous kept"),
    "failed-none": ("失败，尚无报告", "failed, no report yet"),
}
DETAILS = ("详情", "details")

PAGE = jinja2.Template(
    """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ heading }}</title>
<style>{{ css }}</style>
</head>
<body>
<h1>{{ heading }}</h1>
{% for group in groups %}
<h2>{{ group.label }}</h2>
<table class="data">
<thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in group.rows %}<tr>
<td data-label="{{ headers[0] }}">{% if r.link %}<a href="{{ r.link }}">{{ r.title }}</a>
{%- else %}{{ r.title }}{% endif %}</td>
<td data-label="{{ headers[1] }}">{{ r.kind }}</td>
<td data-label="{{ headers[2] }}">{{ r.period }}</td>
<td data-label="{{ headers[3] }}">{{ r.language }}</td>
<td data-label="{{ headers[4] }}">{{ r.date }}</td>
<td data-label="{{ headers[5] }}"><span class="light light-{{ r.status_class }}">
<span class="mark" aria-hidden="true">{{ r.mark }}</span> {{ r.status }}</span>{% if r.details %}
 (<a href="{{ r.details }}">{{ details }}</a>){% endif %}</td>
</tr>{% endfor %}</tbody>
</table>
{% endfor %}
</body>
</html>
""",
    autoescape=True,
)


@dataclass(frozen=True)
class Entry:
    """One report folder: its published build's record and its kept failure's, if any."""

    folder: Path  # relative to the output root, e.g. midterm/lishui_like/round-4/zh
    good: dict | None
    failed: dict | None

    @property
    def record(self) -> dict:
        return self.failed or self.good or {}

    @property
    def parameters(self) -> dict:
        return self.record.get("parameters", {})

    @property
    def status(self) -> Shown:
        if self.failed is None:
            return "ok"
        return "failed-kept" if self.good is not None else "failed-none"


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def collect(root: Path) -> list[Entry]:
    """Every report under ``root``, in folder order. Hidden folders (staging, build versions)
    are not reports; a report is a folder (or a link to one) holding ``run.json``, or the
    ``.failed`` folder of one that has none yet."""
    root = Path(root)
    found: dict[Path, Entry] = {}
    for folder, names, _files in os.walk(root):
        names[:] = sorted(n for n in names if not n.startswith("."))
        here = Path(folder)
        for name in list(names):
            path = here / name
            is_failed = name.endswith(".failed")
            report = path.with_name(name.removesuffix(".failed"))
            record = _read(path / "run.json")
            if record is None:
                continue
            if path.is_symlink() or is_failed:
                names.remove(name)  # a report folder: nothing further inside
            key = report.relative_to(root)
            if key in found:
                continue
            good = _read(report / "run.json") if (report / "report.html").exists() else None
            failed = _read(report.with_name(report.name + ".failed") / "run.json")
            found[key] = Entry(key, good if recorded(good) == "ok" else None, failed)
    return [found[key] for key in sorted(found)]


def rows(entries: list[Entry]) -> list[dict]:
    """What the page shows for each report."""
    shown = []
    for entry in entries:
        parameters = entry.parameters
        record = entry.record
        zh, en = STATUS[entry.status]
        failed_folder = entry.folder.with_name(entry.folder.name + ".failed")
        shown.append(
            {
                "title": record.get("title") or record.get("params_file"),
                "link": (entry.folder / "report.html").as_posix() if entry.good else None,
                "details": (failed_folder / "run.json").as_posix() if entry.failed else None,
                "kind": _both(f"kind_{parameters.get('kind', '')}"),
                "language": "中文" if parameters.get("language", "zh") == "zh" else "English",
                "period": parameters.get("round") or parameters.get("year") or "",
                "date": (record.get("finished") or record.get("started") or "")[:10],
                "status": f"{zh} / {en}",
                "status_class": "ok" if entry.status == "ok" else "behind",
                "mark": "●" if entry.status == "ok" else "■",
                "programme": parameters.get("programme"),
                "programme_names": record.get("programme_names") or {},
                "data": Path(parameters.get("data") or "").name,
            }
        )
    return shown


def render(shown: list[dict]) -> str:
    headers = [
        f"{t(k, 'zh')} / {t(k, 'en')}"
        for k in ("report", "kind", "period", "language", "date", "status")
    ]
    return PAGE.render(
        heading=f"{t('index_title', 'zh')} / {t('index_title', 'en')}",
        headers=headers,
        groups=group_by_programme(shown),
        details=" / ".join(DETAILS),
        css=Markup(CSS),
    )


def write_index(root: Path) -> Path:
    """Write ``index.html`` listing the reports under ``root`` (atomically replaced)."""
    path = Path(root) / "index.html"
    temporary = path.with_name(f".index.html.{os.getpid()}")
    try:
        temporary.write_text(render(rows(collect(root))), "utf-8")
        publish.checkpoint("index")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a full disk leaves no half-written index
        raise
    return path


def group_by_programme(rows: list[dict]) -> list[dict]:
    """Reports grouped by the programme they are about; a report on a whole data set
    (comparison, exploration) joins the group named like its data (the comparison of
    ``data/programmes/lishui`` sits with Lishui's reports). Rows in a stable order:
    mid-term, annual, comparison, exploration, then period and language."""
    kinds = ["kind_midterm", "kind_annual", "kind_compare", "kind_explore"]
    groups: dict[str, list] = {}
    for row in rows:
        key = row.get("programme") or row.get("data") or ""
        groups.setdefault(key, []).append(row)
    out = []
    for key, members in sorted(groups.items()):
        members.sort(
            key=lambda r: (
                next((i for i, k in enumerate(kinds) if r["kind"] == _both(k)), 9),
                str(r["period"]),
                r["language"],
            )
        )
        out.append({"label": _group_label(key, members), "rows": members})
    return out


def _group_label(key: str, members: list[dict]) -> str:
    """A group's heading: the programme's names from its reports' data, Chinese and English
    as the rest of the index ("丽水… / Lishui …", one name where the data have one); the
    programme id or data folder only where no report knows a name."""
    names: dict[str, str] = {}
    for row in members:
        if row.get("programme") == key or not row.get("programme"):
            names = (row.get("programme_names") or {}) | names
    if not key:
        return f"{t('all', 'zh')} / {t('all', 'en')}"
    shown = list(dict.fromkeys(names[language] for language in ("zh", "en") if language in names))
    return " / ".join(shown) if shown else key


def publish_internal(record_path: Path, root: Path) -> bool:
    """True for records inside the staging area or a build version folder."""
    parts = record_path.relative_to(root).parts
    return any(part.startswith(".") for part in parts)


def _both(key: str) -> str:
    return f"{t(key, 'zh')} / {t(key, 'en')}"
