"""Turning an executed notebook into a self-contained HTML page a town official can read on a
phone: no code, no scripts, figures inline as SVG with their text kept as text (so Chinese
renders with the reader's fonts), tables as HTML.

Only two kinds of output are inserted as markup: ``text/html`` and ``image/svg+xml`` from the
workbench's own sections, which escape every value that comes from data. Everything else
(``text/plain``, errors) is escaped here. The page carries no JavaScript.
"""

from __future__ import annotations

import html
from pathlib import Path

import jinja2
import nbformat
from markupsafe import Markup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

PAGE = jinja2.Template(
    """<!DOCTYPE html>
<html lang="{{ 'zh-CN' if language == 'zh' else 'en' }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", "WenQuanYi Micro Hei", system-ui, sans-serif;
       max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.6; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.9rem; display: block; overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
svg, img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; background: #f8f8f8; padding: 0.5rem; font-size: 0.85rem; }
.light-green { color: #1a7f37; } .light-amber { color: #9a6700; } .light-red { color: #cf222e; }
.note { color: #666; font-size: 0.9rem; }
footer { margin-top: 2rem; color: #666; font-size: 0.8rem; }
</style>
</head>
<body>
{% for block in blocks %}{{ block }}
{% endfor %}
<footer>{{ footer }}</footer>
</body>
</html>
""",
    autoescape=True,
)


def notebook_html(notebook: Path, *, title: str, language: str, footer: str) -> str:
    """The report page of an executed notebook."""
    document = nbformat.read(notebook, as_version=4)
    blocks: list[Markup] = []
    for cell in document.cells:
        if (
            "remove" in cell.metadata.get("tags", [])
            or "parameters" in cell.metadata.get("tags", [])
            or "injected-parameters" in cell.metadata.get("tags", [])
        ):
            continue
        if cell.cell_type == "markdown":
            blocks.append(Markup(markdown2html_mistune(cell.source)))
            continue
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            blocks.append(_output_html(output))
    return PAGE.render(title=title, language=language, blocks=blocks, footer=footer)


def _output_html(output) -> Markup:
    kind = output.get("output_type")
    if kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        if "image/svg+xml" in data:
            return Markup(_text(data["image/svg+xml"]))
        if "text/html" in data:
            return Markup(_text(data["text/html"]))
        if "text/markdown" in data:
            return Markup(markdown2html_mistune(_text(data["text/markdown"])))
        if "text/plain" in data:
            return Markup(f"<pre>{html.escape(_text(data['text/plain']))}</pre>")
    if kind == "stream" and output.get("name") == "stdout":
        return Markup(f"<pre>{html.escape(_text(output.get('text', '')))}</pre>")
    return Markup("")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)
