"""``reports/index.html``: every report with its date, status and link, in one page per
language: ``index.html`` lists the Chinese reports in Chinese, ``index.en.html`` the English
ones in English, each linking to the other where it has reports (an office reads one
language; a page of "报告 / Report" pairs reads as neither).

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

from ..dataset import round_label
from . import publish
from .catalogue import t
from .render.page import CSS
from .status import Shown, recorded

LANGUAGES = ("zh", "en")
PAGES = {"zh": "index.html", "en": "index.en.html"}

#: The catalogue key of each status the index shows.
STATUS: dict[Shown, str] = {
    "ok": "index_ok",
    "failed-kept": "index_failed_kept",
    "failed-none": "index_failed_none",
}

PAGE = jinja2.Template(
    """<!DOCTYPE html>
<html lang="{{ html_lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ heading }}</title>
<style>{{ css }}</style>
</head>
<body>
<h1>{{ heading }}</h1>
{% if other %}<p><a href="{{ other.href }}">{{ other.label }}</a></p>{% endif %}
{% if not groups %}<p>{{ empty }}</p>{% endif %}
{% for group in groups %}
<h2>{{ group.label }}</h2>
<table class="data">
<thead><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr></thead>
<tbody>{% for r in group.rows %}<tr>
<td data-label="{{ headers[0] }}">{% if r.link %}<a href="{{ r.link }}">{{ r.title }}</a>
{%- else %}{{ r.title }}{% endif %}</td>
<td data-label="{{ headers[1] }}">{{ r.kind }}</td>
<td data-label="{{ headers[2] }}">{{ r.period }}</td>
<td data-label="{{ headers[3] }}">{{ r.date }}</td>
<td data-label="{{ headers[4] }}"><span class="light light-{{ r.status_class }}">
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


def language_of(entry: Entry) -> str:
    """The language a report is written in (Chinese where its parameters do not say)."""
    language = entry.parameters.get("language") or "zh"
    return language if language in LANGUAGES else "zh"


def rows(entries: list[Entry], language: str = "zh") -> list[dict]:
    """What the page in ``language`` shows for each report written in that language."""
    shown = []
    for entry in entries:
        if language_of(entry) != language:
            continue
        parameters = entry.parameters
        record = entry.record
        failed_folder = entry.folder.with_name(entry.folder.name + ".failed")
        shown.append(
            {
                "title": record.get("title") or record.get("params_file"),
                "link": (entry.folder / "report.html").as_posix() if entry.good else None,
                "details": (failed_folder / "run.json").as_posix() if entry.failed else None,
                "kind": t(f"kind_{parameters.get('kind', '')}", language),
                "kind_key": parameters.get("kind", ""),
                "period": period_label(record, language),
                "date": (record.get("finished") or record.get("started") or "")[:10],
                "status": t(STATUS[entry.status], language),
                "status_class": "ok" if entry.status == "ok" else "behind",
                "mark": "●" if entry.status == "ok" else "■",
                "programme": parameters.get("programme"),
                "programme_names": record.get("programme_names") or {},
                "data": Path(parameters.get("data") or "").name,
                "language": language,
            }
        )
    return shown


def period_label(record: dict, language: str) -> str:
    """The report's period as its page names it (2020年第三期, 2021年), from its record;
    records written before the runner kept the label name the round or year by number."""
    if record.get("period_label"):
        return str(record["period_label"])
    parameters = record.get("parameters", {})
    if parameters.get("round") is not None:
        return round_label(int(parameters["round"]), language)
    if parameters.get("year") is not None:
        return t("year_label", language, year=int(parameters["year"]))
    return ""


def render(shown: list[dict], language: str = "zh", other: str | None = None) -> str:
    """The index page in ``language``; ``other`` is the file name of the other language's
    page, linked at the top when it lists reports."""
    headers = [t(k, language) for k in ("report", "kind", "period", "date", "status")]
    other_language = next(lang for lang in LANGUAGES if lang != language)
    return PAGE.render(
        html_lang="zh-CN" if language == "zh" else "en",
        heading=t("index_title", language),
        headers=headers,
        groups=group_by_programme(shown, language),
        details=t("index_details", language),
        empty=t("index_empty", language),
        other={"href": other, "label": t(f"index_other_{other_language}", language)}
        if other
        else None,
        css=Markup(CSS),
    )


def write_index(root: Path) -> Path:
    """Write ``index.html`` (the Chinese reports) and, where there are English reports,
    ``index.en.html``, listing the reports under ``root``; each page is atomically
    replaced. Returns the path of ``index.html``."""
    root = Path(root)
    entries = collect(root)
    present = {language_of(entry) for entry in entries}
    for language in LANGUAGES:
        path = root / PAGES[language]
        if language != "zh" and language not in present:
            path.unlink(missing_ok=True)  # no English reports (any more): no English page
            continue
        other = next(lang for lang in LANGUAGES if lang != language)
        page = render(rows(entries, language), language, PAGES[other] if other in present else None)
        _replace(path, page)
    return root / PAGES["zh"]


def _replace(path: Path, text: str) -> None:
    temporary = path.with_name(f".index.html.{os.getpid()}")
    try:
        temporary.write_text(text, "utf-8")
        publish.checkpoint("index")
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)  # a full disk leaves no half-written index
        raise


def group_by_programme(rows: list[dict], language: str = "zh") -> list[dict]:
    """Reports grouped by the programme they are about; a report on a whole data set
    (comparison, exploration) joins the group named like its data (the comparison of
    ``data/programmes/lishui`` sits with Lishui's reports). Rows in a stable order:
    mid-term, annual, comparison, exploration, then period and language."""
    kinds = ["midterm", "annual", "compare", "explore"]
    groups: dict[str, list] = {}
    for row in rows:
        key = row.get("programme") or row.get("data") or ""
        groups.setdefault(key, []).append(row)
    whole = [key for key, members in groups.items() if not any(r.get("programme") for r in members)]
    out = []
    for key, members in sorted(groups.items()):
        members.sort(
            key=lambda r: (
                next((i for i, k in enumerate(kinds) if r["kind_key"] == k), 9),
                str(r["period"]),
            )
        )
        if key in whole:  # reports on a whole data set that no programme's reports join
            label = t("index_whole_data", language)
            if len(whole) > 1:
                label += t("index_data_name", language, data=key)
        else:
            label = _group_label(key, members, language)
        out.append({"label": label, "rows": members})
    return out


def _group_label(key: str, members: list[dict], language: str) -> str:
    """A group's heading: the programme's name in the page's language from its reports'
    data (the other language's where the data have only that one); the programme id or data
    folder only where no report knows a name."""
    names: dict[str, str] = {}
    for row in members:
        if row.get("programme") == key or not row.get("programme"):
            names = (row.get("programme_names") or {}) | names
    if not key:
        return t("all", language)
    other = next(lang for lang in LANGUAGES if lang != language)
    return names.get(language) or names.get(other) or key


def publish_internal(record_path: Path, root: Path) -> bool:
    """True for records inside the staging area or a build version folder."""
    parts = record_path.relative_to(root).parts
    return any(part.startswith(".") for part in parts)
