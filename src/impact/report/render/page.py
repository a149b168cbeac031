"""``report.html``: the report page, phone first, without scripts.

At phone width (below 40rem) every table row becomes a card, each value beside its header
(``data-label``), so no column is hidden in a horizontal scroll; long tables show their
first rows with the rest one tap away (``<details>``). Figures keep their natural size
(their text is set at body size, see :data:`~impact.report.charts.FIGURE_RC`), shrinking
only on screens narrower than the figure. Text is left-aligned, numbers right-aligned.
Status is a colour from the Okabe–Ito palette (safe for colour-blind readers), a shape and
always its word. The same page prints to A4: headings kept with what follows, and a table
kept on one page with the figure that follows it where they fit.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from .. import format as fmt
from ..blocks import Document, Figure, Heading, Table, Text
from ..catalogue import t

CSS = """
:root { --ok: #009E73; --watch: #E69F00; --behind: #D55E00; --line: #d0d7de; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", "WenQuanYi Micro Hei", "Noto Sans", "Helvetica Neue", Arial,
       "Liberation Sans", "DejaVu Sans", sans-serif;
       font-size: 16px; max-width: 60rem; margin: 0 auto; padding: 1rem; line-height: 1.6;
       color: #222; overflow-wrap: anywhere; text-align: left; }
h1 { font-size: 1.5rem; line-height: 1.3; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.1rem; }
table { border-collapse: collapse; font-size: 1rem; margin: 0.5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
th { background: #f4f4f4; font-weight: 600; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
figure.chart { margin: 0.5rem 0 1rem; }
figure.chart svg, svg, img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; background: #f8f8f8; padding: 0.5rem; font-size: 0.9rem; }
details > summary { cursor: pointer; color: #0b5cad; margin: 0.25rem 0; }
.light { display: inline-block; white-space: nowrap; padding: 0 0.4rem; border-radius: 0.3rem;
         border-left: 0.35rem solid; background: #f6f6f6; }
.light-ok { border-color: var(--ok); } .light-ok .mark { color: var(--ok); }
.light-watch { border-color: var(--watch); } .light-watch .mark { color: var(--watch); }
.light-behind { border-color: var(--behind); } .light-behind .mark { color: var(--behind); }
.note { color: #555; font-size: 0.95rem; }
.caution { border-left: 0.3rem solid var(--watch); padding-left: 0.6rem; }
ul.limits { border: 1px solid var(--line); border-radius: 0.4rem; background: #f7f7f7;
            padding: 0.6rem 0.8rem 0.6rem 1.8rem; color: #444; }
footer { margin-top: 2rem; color: #555; font-size: 0.9rem; }
@media (max-width: 40rem) {
  body { padding: 0.75rem; }
  table.data, table.data tbody, table.data tr, table.data td { display: block; width: auto; }
  table.data thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                     clip: rect(0 0 0 0); }
  table.data th { overflow-wrap: anywhere; }  /* the hidden header row stays 1px wide */
  table.data tr { border: 1px solid var(--line); border-radius: 0.4rem; margin: 0 0 0.6rem;
                  padding: 0.2rem 0.5rem; }
  table.data td { border: none; padding: 0.15rem 0; display: grid;
                  grid-template-columns: minmax(6em, 42%) 1fr; gap: 0.75rem;
                  white-space: normal; }
  table.data td::before { content: attr(data-label); color: #555; text-align: left; }
  table.data td:empty { display: none; }
  table.data .light { justify-self: start; }
}
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure, .note { break-inside: avoid; page-break-inside: avoid; }
  table.short { break-inside: avoid; page-break-inside: avoid; }
  .keep { break-inside: avoid; page-break-inside: avoid; }
  table.data td:first-child { min-width: 7em; }
  thead { display: table-header-group; }
  summary { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""

PAGE = jinja2.Template(
    """<!DOCTYPE html>
<html lang="{{ 'zh-CN' if language == 'zh' else 'en' }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>{{ css }}</style>
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

KEPT_ROWS = 12  # a table kept on one page with its figure: no longer than this


def footer_text(record: dict, language: str) -> str:
    """When and with what the report was made: local time with its zone, version, commit."""
    git = record.get("git") or {}
    commit = (git.get("commit") or "?")[:10]
    if git.get("dirty"):
        commit += t("uncommitted", language)
    return t(
        "footer",
        language,
        time=fmt.local_time(record.get("started"), language),
        version=(record.get("versions") or {}).get("impact", "?"),
        commit=commit,
    )


def body(document: Document, language: str) -> list[str]:
    """The page's markup, piece by piece: each block, with a short table, the notes under
    it and the figure that follows kept together on paper."""
    pieces: list[str] = []
    for part in document.parts:
        blocks = [b for b in part.blocks if not (isinstance(b, Table) and not b.shown)]
        index = 0
        while index < len(blocks):
            block = blocks[index]
            group = _kept_with(blocks, index)
            if group > index:
                inner = "\n".join(b.html(language) for b in blocks[index : group + 1])
                pieces.append(f'<div class="keep">{inner}</div>')
                index = group + 1
                continue
            pieces.append(block.html(language))
            index += 1
    return pieces


def _kept_with(blocks: list, index: int) -> int:
    """The index of the figure a short table at ``index`` is kept with (the notes between
    them too), or ``index`` itself."""
    block = blocks[index]
    if not isinstance(block, Table) or len(block.values) > KEPT_ROWS:
        return index
    after = index + 1
    while after < len(blocks) and isinstance(blocks[after], Text) and blocks[after].style == "note":
        after += 1
    if after < len(blocks) and isinstance(blocks[after], Figure):
        return after
    return index


def page_html(document: Document, *, title: str, language: str, footer: str) -> str:
    """The report page of ``document``."""
    return PAGE.render(
        title=title,
        language=language,
        blocks=[Markup(piece) for piece in body(document, language)],
        footer=footer,
        css=Markup(CSS),
    )


def headings(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Heading)]
