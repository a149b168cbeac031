"""How a report page looks: the HTML template, its style sheet, tables and status words.

Phone first, without scripts. At phone width (below 40rem) every table row becomes a card,
each value beside its header (``data-label``), so no column is hidden in a horizontal
scroll; long tables show their first rows with the rest one tap away (``<details>``).
Figures keep their natural size (their text is set at body size, see :data:`FIGURE_RC`),
shrinking only on screens narrower than the figure. Text is left-aligned, numbers
right-aligned. Status is a colour from the Okabe–Ito palette (safe for colour-blind readers),
a shape and always its word. The same page prints to A4 (headings kept with what follows).
"""

from __future__ import annotations

import html
import re

import jinja2
import pandas as pd

from . import format as fmt
from .catalogue import t

#: matplotlib settings for report figures: a figure no wider than a phone's page, its text
#: at the page's body size (12 pt = 16 CSS px at natural size).
FIGURE_RC = {
    "figure.figsize": (3.6, 2.9),
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
}
ROWS_SHOWN = 8  # a longer table shows this many rows, the rest behind a tap
LONG_TABLE = 12


def fit_figure(figure) -> None:
    """A figure drawn elsewhere (an estimator's ``plot()``) made as wide as a phone's page,
    its text no smaller than the page's body text."""
    from matplotlib.text import Text

    width, height = figure.get_size_inches()
    target = FIGURE_RC["figure.figsize"][0]
    if width > target:
        figure.set_size_inches(target, max(min(height * target / width * 1.25, 4.2), 2.6))
    for text in figure.findobj(Text):
        if text.get_text() and text.get_fontsize() < FIGURE_RC["font.size"]:
            text.set_fontsize(FIGURE_RC["font.size"])
    for ax in figure.axes:  # long category names on the y axis wrap instead of overflowing
        labels = ax.get_yticklabels()
        if any(_width(label.get_text()) > LABEL_WIDTH for label in labels):
            ax.set_yticks(ax.get_yticks(), [_wrap(label.get_text()) for label in labels])
        _legend_below(ax)
        for label in (ax.xaxis.label, ax.yaxis.label):  # axis titles in at most two lines
            if _width(label.get_text()) > AXIS_WIDTH:
                label.set_text(_wrap(label.get_text(), AXIS_WIDTH, 2))
    figure.tight_layout()


def _legend_below(ax) -> None:
    """A legend with long entries (programme names) goes below the plot, wrapped, so it
    neither covers the curves nor runs off the figure."""
    legend = ax.get_legend()
    if legend is None:
        return
    labels = [text.get_text() for text in legend.get_texts()]
    if not any(_width(label) > 16 for label in labels):
        return
    wrapped = [_wrap(label, AXIS_WIDTH, 2) for label in labels]
    handles = getattr(legend, "legend_handles", None) or legend.legendHandles
    ax.legend(
        handles,
        wrapped,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.3),
        frameon=False,
        fontsize=FIGURE_RC["font.size"],
    )
    lines = sum(label.count("\n") + 1 for label in wrapped)
    width, height = ax.figure.get_size_inches()
    ax.figure.set_size_inches(width, height + 0.25 * lines)


LABEL_WIDTH = 12  # in half-width characters: a Chinese character counts two
AXIS_WIDTH = 24


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int = LABEL_WIDTH, most: int = 3) -> str:
    """``text`` in lines of at most ``width`` (words kept whole where there are spaces,
    Chinese broken anywhere), at most ``most`` lines."""
    lines, line = [], ""
    for token in re.findall(r"\S+\s*|\s+", text) if " " in text else list(text):
        if line and _width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += token
    lines.append(line.rstrip())
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][:-1] + "…"
    return "\n".join(lines)


LIGHTS = {"green": ("ok", "●"), "amber": ("watch", "▲"), "red": ("behind", "■")}

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


def light_html(word: str, language: str) -> str:
    """A status word with its colour and shape; the word is always there."""
    for key, (name, mark) in LIGHTS.items():
        if word == t(key, language):
            return (
                f'<span class="light light-{name}"><span class="mark" aria-hidden="true">'
                f"{mark}</span> {html.escape(word)}</span>"
            )
    return html.escape(word)


def display_columns(columns: list[fmt.Column], language: str) -> list[tuple]:
    """The columns a page shows: a lower and upper bound become one interval column."""
    keys = [c.key for c in columns]
    shown: list[tuple] = []
    for column in columns:
        if column.key == "ci_low" and "ci_high" in keys:
            high = columns[keys.index("ci_high")]
            shown.append(("interval", t("ci", language), column, high))
        elif column.key == "ci_high" and "ci_low" in keys:
            continue
        else:
            shown.append((column.key, column.header, column, None))
    return shown


NUMBER_TEXT = re.compile(r"^[-+]?[\d,]+(\.\d+)?%?$")


def _as_number(column: fmt.Column, frame: pd.DataFrame) -> fmt.Column:
    """A text column whose every value is a number already written out (a section's own
    formatting) is aligned as numbers."""
    if column.numeric or column.key not in frame:
        return column
    values = [str(v) for v in frame[column.key] if not fmt.is_missing(v) and str(v) != ""]
    if values and all(NUMBER_TEXT.match(v) for v in values):
        return fmt.Column(column.key, column.header, "number_text")
    return column


def table_html(frame: pd.DataFrame, columns: list[fmt.Column], language: str) -> str:
    """A table whose rows stack into cards on a phone; values escaped and formatted."""
    shown = display_columns(columns, language)
    shown = [
        (key, label, _as_number(column, frame) if high is None else column, high)
        for key, label, column, high in shown
    ]
    number = ' class="num"'
    head = "".join(
        f"<th{number if column.numeric else ''}>{html.escape(label)}</th>"
        for _key, label, column, _high in shown
    )
    rows = []
    for _, record in frame.iterrows():
        cells = []
        for key, label, column, high in shown:
            if key == "interval":
                low_text = fmt.value_text(record[column.key], column, language)
                high_text = fmt.value_text(record[high.key], high, language)
                text = html.escape(f"{low_text} – {high_text}") if low_text or high_text else ""
            else:
                value = fmt.value_text(record[column.key], column, language)
                text = light_html(value, language) if key == "light" else html.escape(value)
            css = number if column.numeric else ""
            cells.append(f'<td{css} data-label="{html.escape(label)}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")

    def block(part: list[str], css: str) -> str:
        return (
            f'<table class="{css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(part)}</tbody></table>"
        )

    if len(rows) <= LONG_TABLE:
        return block(rows, "data short")
    rest = len(rows) - ROWS_SHOWN
    summary = t("more_rows", language, n=rest)
    return (
        block(rows[:ROWS_SHOWN], "data")
        + f"<details><summary>{html.escape(summary)}</summary>"
        + block(rows[ROWS_SHOWN:], "data")
        + "</details>"
    )
