"""Where the table sits on a sheet: header row, title lines, two-row headers, totals, notes.

An office's sheet is rarely a bare table. Above the header there may be a title merged
across the columns (``XX街道2024年度自治金项目汇总表``) and a ``填报单位：… 填报日期：…`` line;
the header may take two rows, a merged group cell (``资金情况（元）``) over its columns; a
``序号`` column numbers the rows; ``合计`` / ``小计`` / ``共25个`` rows total them; notes
(``备注：…``, ``制表人：…``) follow after a blank row. This module finds the header by its
content (the row with most cells that are known headers), flattens a two-row header, and
sorts the rows below it into data, blank, totals and notes. It knows nothing of files: it
works on a grid of cell values (the first rows of a CSV, a worksheet), so CSV and Excel share
one set of rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .schema import normalise_label, split_unit

HEADER_SCAN_ROWS = 30  # the header is looked for among a sheet's first rows

# A totals row names itself in one of its first cells.
TOTALS_LABEL = re.compile(
    r"^(?:[\u4e00-\u9fff]{0,8}(?:合计|总计|小计|累计|共计)(?:[(（][^)）]{0,12}[)）])?"
    r"|sum|total|subtotal|grandtotal)$",
    re.IGNORECASE,
)
# "共25个", "示范类8个，品牌类21个": counts of rows by kind, not a project.
COUNT_SUMMARY = re.compile(
    r"^(?:共|合计|总计|小计)?(?:[\u4e00-\u9fff]{0,8}\d+(?:个|项|家|支|名)[,，、;；]?)+$"
)
NOTE_START = re.compile(
    r"^(?:备注|附注|注[:：\d]|注意|说明|填表说明|制表|审核|审批|填报|联系|负责人|签字|盖章|"
    r"单位负责人|统计时间|数据来源|来源[:：])"
)
SERIAL_HEADERS = frozenset({"序号", "序", "no", "#", "行号", "编号no"})
# Patterns over the normalised cell text, for Arrow's regex kernels on large CSV columns.
TOTALS_PATTERN = (
    r"^\s*[\x{4e00}-\x{9fff}]{0,8}(合\s*计|总\s*计|小\s*计|累\s*计|共\s*计)"
    r"([(（][^)）]{0,12}[)）])?\s*[:：]?\s*$"
    r"|^\s*(?i:sum|total|subtotal)\s*[:：]?\s*$"
    r"|^(共|合计|总计|小计)?([\x{4e00}-\x{9fff}]{0,8}\d+(个|项|家|支|名)[,，、;；]?)+$"
)
# A row that breaks down the row above it (其中：示范类 …, 含：配比资金 …, of which …): a part
# of that row's figures, not a row of its own.
BREAKDOWN_LABEL = re.compile(
    r"^[(（]?(?:其中|内含|含有?|包括|包含)\s*[:：,，]|^[(（]?其中|^(?:of\s*which|incl(?:uding|\.)?)\b",
    re.IGNORECASE,
)
BREAKDOWN_PATTERN = (
    r"^\s*[(（]?\s*(?:其\s*中|内含|含有?|包括|包含)\s*[:：,，]|^\s*[(（]?\s*其\s*中"
    r"|^\s*(?i:of\s*which|incl(?:uding|\.)?)(?:[^a-z]|$)"
)
NOTE_PATTERN = NOTE_START.pattern
NOTE_KEPT = "note under the table kept: "
HEADING_KEPT = "heading inside the table kept as a note: "


def is_heading(text: str) -> bool:
    """A row's only cell, in a table of several columns, written in Chinese: a heading over
    a group of rows (一、示范类项目). An identifier alone (P3) stays a row, to be reported
    for its missing values."""
    return len(text) >= 2 and bool(re.search(r"[\u4e00-\u9fff]", text))


def cell_text(value: object) -> str:
    """A cell as trimmed text; ``""`` for an empty cell. ``12.0`` reads ``12``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def one_line(text: str) -> str:
    """A cell's text on one line: a line break inside the cell becomes a space."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(":：")


def is_totals_label(text: str) -> bool:
    """True for a cell that marks a totals or subtotal row (合计, 小计, 共25个 …)."""
    compact = _compact(text)
    return bool(compact) and bool(TOTALS_LABEL.match(compact) or COUNT_SUMMARY.match(compact))


def is_breakdown_label(text: str) -> bool:
    """True for a cell that marks a breakdown row: 其中：示范类, 含：配比资金, of which."""
    return bool(BREAKDOWN_LABEL.match(text.strip()))


def is_subtotal_label(text: str) -> bool:
    """A subtotal: 小计, or a total named for a group (示范类合计, 海湾社区合计), which
    totals the rows since the previous subtotal. 总计, 总合计, 全部合计 total everything."""
    compact = _compact(text)
    if "小计" in compact:
        return True
    named = re.match(r"^([\u4e00-\u9fff]{1,8}?)(?:合计|总计|累计|共计)", compact)
    return bool(named) and named.group(1) not in _GRAND_PREFIXES


_GRAND_PREFIXES = frozenset({"总", "全部", "全", "累", "共", "全年", "全镇", "全街道", "本表"})


def is_note_text(text: str) -> bool:
    """True for a line under a table such as ``备注：…`` or ``制表人：…  审核人：…``."""
    return bool(NOTE_START.match(text.strip()))


def _numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d,，.]+%?", text))


@dataclass
class HeaderLayout:
    """Where a sheet's header is and what its columns are called."""

    start: int  # grid row (0-based) of the header's first row
    body: int  # grid row of the first row under the header
    names: list[str]  # one header per column, a two-row header flattened
    above: list[tuple[int, str]] = field(default_factory=list)  # (grid row, text) above it
    flattened: list[str] = field(default_factory=list)  # "资金情况（元）/种子资金 → 种子资金（元）"
    groups: list[str] = field(default_factory=list)  # per column: the group cell over it, or ""
    score: int = 0  # known headers found

    @property
    def plain(self) -> bool:
        """A header on the first line and nothing to flatten: the common, fast case."""
        return self.start == 0 and self.body == 1 and not self.flattened


def find_header(grid: Sequence[Sequence[object]], known: Callable[[str], bool]) -> HeaderLayout:
    """The header of a sheet, found by its content.

    Each of the first :data:`HEADER_SCAN_ROWS` rows is scored by how many of its cells are
    headers ``known`` recognises; the best row is the header (the first row when none
    scores). A row just above or below it that holds only text and completes it (a merged
    group cell over its sub-headers) makes a two-row header, flattened to one name per column.
    """
    rows = [[cell_text(c) for c in row] for row in grid[:HEADER_SCAN_ROWS]]
    if not rows:
        return HeaderLayout(0, 0, [])
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    scores = [sum(1 for c in r if c and not _numeric(c) and known(c)) for r in rows]
    best = max(range(len(rows)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        return HeaderLayout(0, 1, rows[0])
    layout = HeaderLayout(best, best + 1, rows[best], score=scores[best])
    for top in (best, best - 1):
        if top < 0 or top + 1 >= len(rows) or not _sub_header(rows[top], rows[top + 1]):
            continue
        names, flattened, groups = _flatten(rows[top], rows[top + 1])
        score = sum(1 for c in names if c and known(c.rpartition("/")[2]))
        if score >= layout.score:
            layout = HeaderLayout(
                top, top + 2, names, flattened=flattened, groups=groups, score=score
            )
            break
    # "Unnamed: 11" is what pandas writes for a blank header: blank it is
    layout.names = ["" if _PANDAS_BLANK.match(n) else n for n in layout.names]
    layout.above = [
        (i, " ".join(one_line(c) for c in r if c))
        for i, r in enumerate(rows[: layout.start])
        if any(r)
    ]
    return layout


# Headers software writes for a blank one: pandas (Unnamed: 11), an Excel or WPS table (列1).
_PANDAS_BLANK = re.compile(r"^(?:Unnamed: \d+(?:_level_\d+)?|列\d+|Column\d+)$")


def _sub_header(top: list[str], sub: list[str]) -> bool:
    """Whether ``sub`` is the second row of a two-row header under ``top``: text only, some
    cells under a group (top blank: the merged group cell's continuation), some columns
    blank (the headers merged down from ``top``)."""
    filled = [j for j, c in enumerate(sub) if c]
    if not filled or any(_numeric(sub[j]) for j in filled):
        return False
    under_group = any(not top[j] for j in filled)
    merged_down = any(top[j] and not sub[j] for j in range(len(top)))
    return under_group and merged_down


def _flatten(top: list[str], sub: list[str]) -> tuple[list[str], list[str], list[str]]:
    """One name per column: the sub-header under a group (with the group's unit when it has
    none of its own), the top cell where it was merged down over both rows. A sub-header
    that repeats under several groups (计划/活动场次, 完成/活动场次) keeps its group. Also
    returns each column's group (``""`` where none): a group such as 结项 alone over the
    indicators still says which period they belong to."""
    names, groups, group = [], [], ""
    for upper, lower in zip(top, sub, strict=True):
        if upper:
            group = upper if lower else ""
        if not lower:
            names.append(upper)
            groups.append("")
            continue
        core, unit = split_unit(lower)
        group_core, group_unit = split_unit(group)
        name = lower if unit or not group_unit else f"{core}（{group_unit}）"
        names.append(name)
        groups.append(group)
    repeated = {n for n in names if n and names.count(n) > 1}
    flattened = []
    for j, (name, group) in enumerate(zip(names, groups, strict=True)):
        if name in repeated and group:
            names[j] = f"{split_unit(group)[0]}/{name}"
        if group:
            flattened.append(f"{group}/{sub[j]} → {names[j]}")
    return names, flattened, groups


def unique_names(names: Sequence[str]) -> list[str]:
    """Header names made unique and never blank: a blank header is ``column C`` (its
    spreadsheet letter), a repeated one gets `` (2)``."""
    out: list[str] = []
    for j, name in enumerate(names):
        name = name or f"column {column_letter(j)}"
        candidate, n = name, 2
        while candidate in out:
            candidate, n = f"{name} ({n})", n + 1
        out.append(candidate)
    return out


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_serial_header(name: str) -> bool:
    """A ``序号`` (row number) column: numbers rows, carries no data."""
    return normalise_label(name) in SERIAL_HEADERS


@dataclass
class TotalsRow:
    """A totals or subtotal row: left out of the data, kept to check the rows' sums."""

    row: int  # spreadsheet row number
    label: str  # the cell that marks it: 合计, 小计, 共25个
    cells: dict[str, object]  # header → value as written
    data_before: int  # data rows above it
    subtotal: bool


@dataclass
class BreakdownRow:
    """A row that breaks down the row above it (其中：…): left out of the data, its figures
    checked against that row's only."""

    row: int  # spreadsheet row number
    label: str  # the cell that marks it: 其中：示范类
    cells: dict[str, object]  # header → value as written
    parent_row: int | None  # spreadsheet row of the row it breaks down; None: none above
    parent: TotalsRow | int | None  # that totals row, or that data row's position in the data


@dataclass
class Body:
    """The rows under a header, sorted."""

    data: list[int]  # grid rows holding data
    totals: list[TotalsRow]
    notes: list[tuple[int, str]]  # (spreadsheet row, message)
    blank: int  # blank rows skipped
    breakdowns: list[BreakdownRow] = field(default_factory=list)


def classify_rows(rows: Sequence[Sequence[object]], names: Sequence[str], first_row: int) -> Body:
    """Sort a sheet's body rows. ``first_row`` is the spreadsheet number of ``rows[0]``."""
    body = Body([], [], [], 0)
    above: tuple[int | None, TotalsRow | int | None] = (None, None)  # what a 其中 row breaks down
    for index, row in enumerate(rows):
        texts = [cell_text(c) for c in row]
        filled = [t for t in texts if t]
        number = first_row + index
        if not filled:
            body.blank += 1
            continue
        breakdown = next((t for t in filled[:3] if is_breakdown_label(t)), None)
        if breakdown is not None:
            cells = {n: row[j] for j, n in enumerate(names) if j < len(row)}
            body.breakdowns.append(BreakdownRow(number, breakdown, cells, *above))
            continue
        label = next((t for t in filled[:3] if is_totals_label(t)), None)
        if label is not None:
            cells = {n: row[j] for j, n in enumerate(names) if j < len(row)}
            totals = TotalsRow(number, label, cells, len(body.data), is_subtotal_label(label))
            body.totals.append(totals)
            above = (number, totals)
            continue
        if len(filled) <= 2 and is_note_text(filled[0]):
            body.notes.append((number, NOTE_KEPT + " ".join(filled)))
            above = (None, None)
            continue
        if len(filled) == 1 and len(names) >= 3 and is_heading(filled[0]):
            body.notes.append((number, HEADING_KEPT + filled[0]))
            above = (None, None)
            continue
        above = (number, len(body.data))
        body.data.append(index)
    return body
