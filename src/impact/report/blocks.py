"""The report as a document: the blocks a section writes, and how each shows itself.

A report is a :class:`Document`: a list of :class:`Part` (one per section), each a list of
blocks: :class:`Heading`, :class:`Text` (a paragraph, a finding, a note, a caution),
:class:`Bullets`, :class:`Table` (its values, the text shown for each, its columns with
their units, its n and interval level, the sheet it goes to) and :class:`Figure` (SVG for
the page, PNG for Word, the font its text was drawn in). Blocks are frozen and hold only
plain values, so they go into a notebook as JSON (:data:`MIME`) beside their HTML and come
back out of it unchanged: every format (page, workbook, CSV, Word, PDF) is rendered from
them after the notebook has run (:mod:`impact.report.render`), and nothing is written while
it runs.

Each block, part and document shows itself in Jupyter as HTML (the same markup the report
page carries) with its JSON beside it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Literal

import pandas as pd

from . import format as fmt
from .catalogue import t

#: The MIME type a part is stored under in a notebook's outputs.
MIME = "application/vnd.impact.part+json"

TextStyle = Literal["paragraph", "finding", "note", "caution"]
BulletStyle = Literal["findings", "list"]
PartStatus = Literal["shown", "unavailable", "failed"]

ROWS_SHOWN = 8  # a longer table shows this many rows, the rest behind a tap
LONG_TABLE = 12
LIGHTS = {"green": ("ok", "●"), "amber": ("watch", "▲"), "red": ("behind", "■")}


@dataclass(frozen=True)
class Written:
    """A number with the words a source wrote it in (``100余``: at least 100): stored as
    the number, shown as the words."""

    value: float
    text: str


class _Shows:
    """Jupyter display (HTML plus the JSON), and the JSON itself: a dataclass's fields,
    tuples as lists, nested blocks as their own JSON with their ``type``."""

    def html(self, language: str = "zh") -> str:  # pragma: no cover - every block defines it
        raise NotImplementedError

    def to_json(self) -> dict:
        return _encode(self)

    @classmethod
    def from_json(cls, value: dict):
        return _decode(cls, value)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {"text/html": self.html(), MIME: self.to_json()}


@dataclass(frozen=True)
class Heading(_Shows):
    text: str
    level: int = 2

    def html(self, language: str = "zh") -> str:
        return f"<h{self.level}>{html.escape(self.text)}</h{self.level}>"


@dataclass(frozen=True)
class Text(_Shows):
    text: str
    style: TextStyle = "paragraph"

    def html(self, language: str = "zh") -> str:
        css = "" if self.style == "paragraph" else f' class="{self.style}"'
        return f"<p{css}>{html.escape(self.text)}</p>"


@dataclass(frozen=True)
class Bullets(_Shows):
    items: tuple[str, ...]
    style: BulletStyle = "list"

    def html(self, language: str = "zh") -> str:
        items = "".join(f"<li>{html.escape(item)}</li>" for item in self.items)
        css = "" if self.style == "list" else f' class="{self.style}"'
        return f"<ul{css}>{items}</ul>"


@dataclass(frozen=True)
class Table(_Shows):
    """A table as every format needs it: per row the stored values (numbers as numbers,
    ``None`` where missing) and the text shown; per column its key, header and unit.
    ``units`` gives a cell its own unit where a column mixes them (published figures in
    yuan, people and shares). ``shown`` is False for a table that only goes to the
    workbook and the CSV (every indicator of every project, say)."""

    name: str
    sheet: str
    columns: tuple[fmt.Column, ...]
    values: tuple[tuple, ...]
    texts: tuple[tuple[str, ...], ...]
    caption: str | None = None
    n: int | None = None
    unit: str | None = None
    level: float | None = None
    shown: bool = True
    units: tuple[tuple[str | None, ...], ...] | None = None
    language: str = "zh"
    folded: bool = False

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        name: str,
        sheet: str,
        language: str,
        formats: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        units: dict[str, list] | None = None,
        caption: str | None = None,
        n: int | None = None,
        unit: str | None = None,
        level: float | None = None,
        shown: bool = True,
        folded: bool = False,
    ) -> Table:
        """A table of ``frame``: headers from the catalogue (``headers`` renames a column's
        key), units from ``formats`` (display patterns such as ``"{:.0%}"``) or the
        column's name and type; ``units`` gives per-row units for a column that mixes them."""
        columns = fmt.columns(frame, language, formats, headers)
        cell_units = None
        if units:
            keys = [c.key for c in columns]
            cell_units = tuple(
                tuple((units[key][row] if key in units else None) for key in keys)
                for row in range(len(frame))
            )
        values, texts = [], []
        for number, record in enumerate(frame.itertuples(index=False)):
            stored, shown_row = [], []
            for place, (value, column) in enumerate(zip(record, columns, strict=True)):
                own = cell_units[number][place] if cell_units else None
                if own is not None:
                    column = fmt.Column(column.key, column.header, own, column.decimals)
                if isinstance(value, Written):
                    stored.append(_plain(fmt.excel_value(value.value, column)))
                    shown_row.append(value.text)
                    continue
                stored.append(_plain(fmt.excel_value(value, column)))
                shown_row.append(fmt.value_text(value, column, language))
            values.append(tuple(stored))
            texts.append(tuple(shown_row))
        return cls(
            name=name,
            sheet=sheet,
            columns=tuple(columns),
            values=tuple(values),
            texts=tuple(texts),
            caption=caption,
            n=n,
            unit=unit,
            level=level,
            shown=shown,
            units=cell_units,
            language=language,
            folded=folded,
        )

    def cell_column(self, row: int, place: int) -> fmt.Column:
        """The column as it applies to one cell (its own unit where the column mixes)."""
        column = self.columns[place]
        own = self.units[row][place] if self.units else None
        if own is None:
            return column
        return fmt.Column(column.key, column.header, own, column.decimals)

    @property
    def empty(self) -> bool:
        return not self.values

    def frame(self) -> pd.DataFrame:
        """The stored values as a DataFrame, columns by key."""
        return pd.DataFrame(list(self.values), columns=[c.key for c in self.columns])

    def html(self, language: str | None = None) -> str:
        caption = f'<p class="note">{html.escape(self.caption)}</p>' if self.caption else ""
        if not self.shown:
            return ""
        return table_html(self, language or self.language) + caption


@dataclass(frozen=True)
class Figure(_Shows):
    """A drawn figure: SVG with its text kept as text (the page), PNG (Word), its size in
    inches and the font family its text was drawn in (checked to hold the report's script)."""

    name: str
    svg: str
    png: str  # base64
    width_in: float
    height_in: float
    font: str
    alt: str = ""

    def html(self, language: str = "zh") -> str:
        return f'<figure class="chart">{self.svg}</figure>'


Block = Heading | Text | Bullets | Table | Figure
BLOCK_TYPES = {cls.__name__.lower(): cls for cls in (Heading, Text, Bullets, Table, Figure)}


@dataclass(frozen=True)
class Failure:
    """What went wrong in a section that could not be written (kept for
    ``section_errors.json``; the reader sees one sentence)."""

    section: str
    error: str
    message: str
    traceback: tuple[str, ...] = ()


@dataclass(frozen=True)
class Limit:
    """A question a report cannot answer from its data: the question (a section's
    heading, or part of a section) and why, in the reader's words (what data would answer
    it, or why it does not apply)."""

    question: str
    why: str


@dataclass(frozen=True)
class Part(_Shows):
    """One section of a report as written: its title, its blocks, whether it could be
    computed (``unavailable`` or ``failed`` parts are left out of the hand-over formats
    and listed at the end of the report with ``why``), the questions it could not answer
    in part (``limits``) and the methods it used."""

    section: str
    blocks: tuple[Block, ...] = ()
    status: PartStatus = "shown"
    reason: str | None = None
    failure: Failure | None = None
    meta: dict = field(default_factory=dict)
    language: str = "zh"
    title: str = ""
    why: str = ""
    limits: tuple[Limit, ...] = ()
    methods: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.status == "shown"

    def html(self, language: str | None = None) -> str:
        return "\n".join(block.html(language or self.language) for block in self.blocks)


@dataclass(frozen=True)
class Document(_Shows):
    """The parts of a report, in order."""

    parts: tuple[Part, ...] = ()

    @property
    def blocks(self) -> Iterator[Block]:
        for part in self.parts:
            yield from part.blocks

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    @property
    def failures(self) -> list[Failure]:
        return [p.failure for p in self.parts if p.failure is not None]

    @property
    def meta(self) -> dict:
        found: dict = {}
        for part in self.parts:
            found |= part.meta
        return found

    def part(self, section: str) -> Part | None:
        return next((p for p in self.parts if p.section == section), None)

    def shown(self) -> Document:
        """The parts a reader receives: those that could be computed and wrote something."""
        return Document(tuple(p for p in self.parts if p.shown and p.blocks))

    @property
    def limits(self) -> list[Limit]:
        """Every question the report could not answer: the parts left out, and the parts
        of sections that could not be computed."""
        found = []
        for part in self.parts:
            if not part.shown and part.title:
                found.append(Limit(part.title, part.why))
            found.extend(part.limits if part.shown else ())
        return found

    @property
    def methods(self) -> list[str]:
        """The methods the shown parts used, in order, once each."""
        return list(dict.fromkeys(m for p in self.parts if p.shown for m in p.methods))

    def html(self, language: str | None = None) -> str:
        return "\n".join(part.html(language) for part in self.parts)

    def text(self) -> list[str]:
        """Every text a reader sees, block by block (headings, sentences, table headers and
        cells, the words inside figures): what two builds of one report must share."""
        found = []
        for block in self.blocks:
            if isinstance(block, Heading | Text):
                found.append(block.text)
            elif isinstance(block, Bullets):
                found.extend(block.items)
            elif isinstance(block, Table):
                found.append(" | ".join(c.header for c in block.columns))
                found.extend(" | ".join(row) for row in block.texts)
                if block.caption:
                    found.append(block.caption)
            elif isinstance(block, Figure):
                found.append(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", block.svg)))
        return found


def _encode(value):
    if isinstance(value, fmt.Column | Failure | Limit | _Shows):
        found = {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
        if isinstance(value, _Shows):
            found["type"] = type(value).__name__.lower()
        return found
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {key: _encode(item) for key, item in value.items()}
    return value


def _tuples(value):
    """JSON lists back as the tuples a frozen block holds."""
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def _decode(cls, value: dict):
    """A block, part or document from its JSON (the nested ones by their ``type``)."""
    if "type" in value and cls in (_Shows, Block):
        cls = BLOCK_TYPES[value["type"]]
    known = {f.name for f in fields(cls)}
    found = {key: _tuples(item) for key, item in value.items() if key in known}
    if "columns" in found:
        found["columns"] = tuple(fmt.Column(**c) for c in value["columns"])
    if "limits" in found:
        found["limits"] = tuple(Limit(**limit) for limit in value["limits"])
    if "blocks" in found:
        found["blocks"] = tuple(_decode(_Shows, b) for b in value["blocks"])
    if found.get("failure"):
        failure = value["failure"]
        found["failure"] = Failure(**failure | {"traceback": _tuples(failure["traceback"])})
    if "parts" in found:
        found["parts"] = tuple(_decode(Part, p) for p in value["parts"])
    if "meta" in found:
        found["meta"] = dict(value["meta"] or {})
    return cls(**found)


def _plain(value):
    """A stored value as JSON holds it: numbers as float or int, text as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    try:
        import numpy as np

        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return float(value)
        if isinstance(value, np.bool_):
            return bool(value)
    except ImportError:  # pragma: no cover - numpy comes with pandas
        pass
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


# ---------------------------------------------------------------------- table markup


def light_html(word: str, language: str) -> str:
    """A status word with its colour and shape; the word is always there."""
    for key, (name, mark) in LIGHTS.items():
        if word == t(key, language):
            return (
                f'<span class="light light-{name}"><span class="mark" aria-hidden="true">'
                f"{mark}</span> {html.escape(word)}</span>"
            )
    return html.escape(word)


def display_columns(columns: tuple[fmt.Column, ...], language: str) -> list[tuple]:
    """The columns a page shows: a lower and upper bound become one interval column.
    Each entry: (key, header, column index, index of the upper bound or None)."""
    keys = [c.key for c in columns]
    shown: list[tuple] = []
    for place, column in enumerate(columns):
        if column.key == "ci_low" and "ci_high" in keys:
            shown.append(("interval", t("ci", language), place, keys.index("ci_high")))
        elif column.key == "ci_high" and "ci_low" in keys:
            continue
        else:
            shown.append((column.key, column.header, place, None))
    return shown


NUMBER_TEXT = re.compile(r"^[-+]?[\d,]+(\.\d+)?%?$")


def aligned_right(table: Table, place: int) -> bool:
    """Numbers are aligned right, and so is a text column whose every value is a number
    already written out."""
    column = table.columns[place]
    if column.numeric:
        return True
    written = [row[place] for row in table.texts if row[place] != ""]
    return bool(written) and all(NUMBER_TEXT.match(v) for v in written)


def display_rows(table: Table, language: str) -> tuple[list[tuple], list[list[str]]]:
    """The columns a reader sees (see :func:`display_columns`) and each row's texts in
    them, an interval written ``low – high``: what the page and the Word document show."""
    shown = display_columns(table.columns, language)
    rows = []
    for texts in table.texts:
        row = []
        for key, _, place, high in shown:
            if key == "interval":
                low_text, high_text = texts[place], texts[high]
                row.append(f"{low_text} – {high_text}" if low_text or high_text else "")
            else:
                row.append(texts[place])
        rows.append(row)
    return shown, rows


def table_html(table: Table, language: str) -> str:
    """A table whose rows stack into cards on a phone; values escaped. A folded table
    shows one line to tap; a long one its first rows, the rest one tap away."""
    shown, texts = display_rows(table, language)
    number = ' class="num"'
    right = {place: aligned_right(table, place) for _, _, place, _ in shown}
    head = "".join(
        f"<th{number if right[place] else ''}>{html.escape(label)}</th>"
        for _key, label, place, _high in shown
    )
    rows = []
    for row in texts:
        cells = []
        for (key, label, place, _high), value in zip(shown, row, strict=True):
            text = light_html(value, language) if key == "light" else html.escape(value)
            css = number if right[place] else ""
            cells.append(f'<td{css} data-label="{html.escape(label)}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")

    def block(part: list[str], css: str) -> str:
        return (
            f'<table class="{css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(part)}</tbody></table>"
        )

    if table.folded:
        summary = t("show_rows", language, n=len(rows))
        return f"<details><summary>{html.escape(summary)}</summary>{block(rows, 'data')}</details>"
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
