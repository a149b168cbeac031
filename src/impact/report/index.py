"""``reports/index.html``: every report with its date, status and link, in one page."""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
from markupsafe import Markup

from .catalogue import t
from .page import CSS

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
<span class="mark" aria-hidden="true">{{ r.mark }}</span> {{ r.status }}</span></td>
</tr>{% endfor %}</tbody>
</table>
{% endfor %}
</body>
</html>
""",
    autoescape=True,
)


def write_index(root: Path) -> Path:
    """Write ``index.html`` listing the published reports under ``root`` and the latest
    failures (whose previous good report, if any, is still linked)."""
    rows = []
    for record_path in sorted(root.rglob("run.json")):
        if publish_internal(record_path, root):
            continue
        record = json.loads(record_path.read_text("utf-8"))
        folder = record_path.parent
        failed_attempt = folder.name.endswith(".failed")
        published = folder.with_name(folder.name.removesuffix(".failed"))
        if not failed_attempt and published.with_name(published.name + ".failed").exists():
            continue  # shown once, through its failed attempt
        parameters = record.get("parameters", {})
        language = parameters.get("language", "zh")
        has_good = (published / "report.html").exists()
        rows.append(
            {
                "title": record.get("title") or record.get("params_file"),
                "link": (published / "report.html").relative_to(root).as_posix()
                if has_good
                else None,
                "kind": _both(f"kind_{parameters.get('kind', '')}"),
                "language": "中文" if language == "zh" else "English",
                "period": parameters.get("round") or parameters.get("year") or "",
                "date": (record.get("finished") or record.get("started") or "")[:10],
                "status": t("failed" if failed_attempt else "ok", "zh")
                + " / "
                + t("failed" if failed_attempt else "ok", "en"),
                "status_class": "behind" if failed_attempt else "ok",
                "mark": "■" if failed_attempt else "●",
                "programme": parameters.get("programme"),
                "data": Path(parameters.get("data") or "").name,
            }
        )
    headers = [
        f"{t(k, 'zh')} / {t(k, 'en')}"
        for k in ("report", "kind", "period", "language", "date", "status")
    ]
    path = root / "index.html"
    path.write_text(
        PAGE.render(
            heading=f"{t('index_title', 'zh')} / {t('index_title', 'en')}",
            headers=headers,
            groups=group_by_programme(rows),
            css=Markup(CSS),
        ),
        "utf-8",
    )
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
        out.append({"label": key or f"{t('all', 'zh')} / {t('all', 'en')}", "rows": members})
    return out


def publish_internal(record_path: Path, root: Path) -> bool:
    """True for records inside the staging area or a folder set aside during a swap."""
    parts = record_path.relative_to(root).parts
    return any(part.startswith(".") for part in parts)


def _both(key: str) -> str:
    return f"{t(key, 'zh')} / {t(key, 'en')}"
