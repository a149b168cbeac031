"""One table from one file or sheet, as found: the header located, a two-row header
flattened, blank rows, totals rows and notes set apart, merged cells filled down.

:mod:`impact.files` reads cells safely, :mod:`impact.layout` holds the rules for where a
table sits on a sheet; this module applies them to CSV files and workbook sheets and hands
:mod:`impact.io` a :class:`RawTable` with every row's spreadsheet number.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import files as _files
from . import layout as _layout
from .errors import Issue
from .indicators import indicator_code
from .mapping import KEEP, NO_MAPPING, UserMapping
from .schema import (
    TABLES,
    Table,
    find_spelling,
    header_key,
    header_map,
    normalise_label,
    table_for_name,
    to_simplified,
)
from .values import STRING

CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
# Sheets that explain the workbook rather than hold a table.
_COVER_SHEET = re.compile(r"说明|封面|目录|指南|须知|instruction|readme|cover|guide", re.I)
_MIN_CONTENT_SCORE = 3  # known headers a sheet needs to be taken for a table by content
# Share of a sheet's headers a table must know to be taken for it by content: a register of
# people is not a project list because three of its ten headers could be a project's.
_MIN_CONTENT_FIT = 1 / 3
# Every header spelling of every table, to notice a second table's header row on a sheet.
_ALL_SPELLINGS = frozenset(k for t in TABLES.values() for k in header_map(t))


@dataclass
class RawTable:
    """A table as found in a file, before parsing: original headers, raw values."""

    table: Table
    label: str  # how the user knows the file: "projects.csv" or "book.xlsx[项目]"
    frame: pd.DataFrame
    first_row: int  # row number a user sees for frame.iloc[0]: 2 under a header line
    rows: np.ndarray | None = None  # each row's number where rows were left out; else None
    header_row: int = 1
    totals: list[_layout.TotalsRow] = field(default_factory=list)
    mapping: UserMapping = NO_MAPPING
    title: tuple[str, ...] = ()  # lines above the header: they may name programme and year
    groups: dict[str, str] = field(default_factory=dict)  # header → group cell over it
    merge: bool = False  # one of several sheets or files (a round each) holding one table
    # how the table was told: "name" (file or sheet name, mapping file), "hint" (a name that
    # mentions it, confirmed by the headers) or "content" (the headers alone)
    found_by: str = "name"
    breakdowns: list[_layout.BreakdownRow] = field(default_factory=list)  # 其中：… rows


def table_named(name: str, mapping: UserMapping) -> Table | None:
    mapped = mapping.table_for(name)
    return TABLES[mapped] if mapped else table_for_name(name)


def table_in_name(name: str) -> Table | None:
    """The table whose longest name a sheet or file name contains (指标完成情况 holds 指标),
    as a hint when the name is not a table name itself."""
    hinted = tables_in_name(name)
    return TABLES[max(hinted, key=hinted.get)] if hinted else None


def tables_in_name(name: str) -> dict[str, int]:
    """Every table a sheet or file name mentions (社区组织 mentions communities and
    organisations), with the length of the longest of its names found there."""
    key = normalise_label(name)
    found: dict[str, int] = {}
    for table in TABLES.values():
        for alias in (table.name, *table.aliases):
            alias = normalise_label(alias)
            if len(alias) >= 2 and alias in key and len(alias) > found.get(table.name, 0):
                found[table.name] = len(alias)
    return found


def skipped(label: str, why: str) -> Issue:
    return Issue(label, None, None, f"skipped: {why}", severity="warning")


def unknown_table(label: str, name: str) -> Issue:
    spellings = {}
    for table in TABLES.values():
        for s in (table.name, *table.aliases):
            spellings[normalise_label(s)] = table.name
    close = difflib.get_close_matches(normalise_label(name), list(spellings), n=1, cutoff=0.6)
    hint = (
        f"; did you mean {spellings[close[0]]!r}?"
        if close
        else (f"; table names are {', '.join(TABLES)}")
    )
    issue = skipped(label, f"{name!r} is not a known table{hint}")
    return Issue(
        issue.file,
        None,
        None,
        issue.message,
        severity="warning",
        suggestion=f"tables:\n  {name}: {spellings[close[0]] if close else 'projects'}",
    )


def known_header(table: Table, mapping: UserMapping) -> Callable[[str], bool]:
    """Whether a header cell names a column of ``table`` (or one the user mapped)."""
    spellings = header_map(table)
    user = mapping.headers.get(table.name, {})
    indicators = table.name == "indicators"  # a wide sheet's headers are indicator names

    def known(text: str) -> bool:
        key = header_key(text)[0]
        if find_spelling(spellings, key) or key in user:
            return True
        return indicators and indicator_code(text, mapping.indicators) is not None

    return known


def _table_by_content(grid, mapping: UserMapping, name: str = ""):
    """The table whose headers a sheet's first rows match best, if clearly one, and how it
    was told (``"hint"`` or ``"content"``). A table the sheet's name mentions (项目汇总表,
    指标完成情况, 志愿者名册) wins with any known header, unless another table's headers fit
    clearly better (提案汇总 holds 汇总, but its headers are a project list's); of several
    mentioned (社区组织), the one whose headers fit best. Without a hint, a table must know
    at least three headers, more than any other table, and a third of the header row's.
    Returns (table or None, how, why not) where ``why not`` words a sheet left aside."""
    layouts = {
        table.name: _layout.find_header(grid, known_header(table, mapping))
        for table in TABLES.values()
    }
    scores = {name_: layout.score for name_, layout in layouts.items()}
    ranked = sorted(scores.items(), key=lambda s: -s[1])
    (table, best), (_, second) = ranked[0], ranked[1]
    hinted = tables_in_name(name)
    if hinted:
        chosen = max(hinted, key=lambda t: (scores[t], hinted[t]))
        if scores[chosen] >= 1 and scores[chosen] >= best - 1:
            return TABLES[chosen], "hint", ""
    if best < _MIN_CONTENT_SCORE:
        return None, "", ""
    headers = [h for h in layouts[table].names if h and not _layout.is_serial_header(h)]
    if best == second or best < _MIN_CONTENT_FIT * len(headers):
        tied = [repr(t) for t, score in ranked if score == best]
        which = f"the best, {tied[0]}, knows" if len(tied) == 1 else f"{' and '.join(tied)} know"
        return (
            None,
            "",
            f"its headers fit no table well ({which} {best} of {len(headers)}); left aside: "
            f"if it holds a table, name it under `tables:` in {mapping.source}",
        )
    return TABLES[table], "content", ""


def is_traditional(texts) -> bool:
    """Whether cells are written in traditional characters: at least two of the cells with
    Chinese in them, and a fifth of them, read differently once simplified. A stray
    traditional character (a name with 於) does not make a sheet traditional."""
    chinese = changed = 0
    for text in texts:
        if not isinstance(text, str) or text.isascii():
            continue
        chinese += 1
        changed += to_simplified(text) != text
    return changed >= 2 and changed * 5 >= chinese


def _simplified_grid(label: str, name: str, grid) -> tuple[list, str, list[Issue]]:
    """A sheet written in traditional characters (項目名稱, 資助金額, 第七屆), read as
    simplified: every text cell and the sheet's name, with a note. Other sheets as they are."""
    head = [c for row in grid[: _layout.HEADER_SCAN_ROWS] for c in row]
    if not is_traditional([name, *head]):
        return grid, name, []
    converted = 0
    simplified_rows = []
    for row in grid:
        cells = []
        for cell in row:
            if isinstance(cell, str) and not cell.isascii():
                plain = to_simplified(cell)
                converted += plain != cell
                cell = plain
            cells.append(cell)
        simplified_rows.append(cells)
    return simplified_rows, to_simplified(name), [_traditional_note(label, converted)]


def _traditional_note(label: str, converted: int) -> Issue:
    return Issue(
        label,
        None,
        None,
        f"written in traditional characters: read as simplified (OpenCC t2s), its name, "
        f"headers and {converted:,} text cell(s) converted",
        severity="note",
    )


def _layout_notes(label: str, layout: _layout.HeaderLayout, offset: int = 0) -> list[Issue]:
    notes = [
        Issue(
            label,
            offset + number + 1,
            None,
            f"title line above the header kept as a note: {text}",
            None,
            "note",
        )
        for number, text in layout.above
    ]
    if layout.flattened:
        notes.append(
            Issue(
                label,
                offset + layout.start + 1,
                None,
                "two-row header read as one: " + "; ".join(layout.flattened),
                severity="note",
            )
        )
    return notes


def _body_notes(label: str, noted: list[tuple[int, str]], blank: int) -> list[Issue]:
    notes = [Issue(label, row, None, _layout.one_line(text), None, "note") for row, text in noted]
    if blank:
        notes.append(Issue(label, None, None, f"{blank} blank row(s) skipped", severity="note"))
    return notes


# --------------------------------------------------------------------------- Excel


def read_workbook(file: Path, mapping: UserMapping) -> tuple[list[RawTable], list[Issue]]:
    """Every table sheet of an .xlsx, after checking it cannot inflate past the limits.
    Sheets are streamed (openpyxl read-only); merged ranges come from the sheet XML."""
    refusal = _files.xlsx_problem(file)
    if refusal:
        return [], [Issue(file.name, None, None, refusal)]
    found: list[RawTable] = []
    issues: list[Issue] = []
    book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            label = f"{file.name}[{sheet.title}]"
            grid, refusal = _files.read_sheet(sheet)
            if refusal:
                issues.append(Issue(label, None, None, refusal))
                continue
            merges = _files.merged_ranges(book._archive, sheet._worksheet_path)
            formulas = _files.uncached_formulas(book._archive, sheet._worksheet_path)
            grid, title, converted = _simplified_grid(label, sheet.title, grid)
            issues += converted
            raws, problems = _sheet_tables(label, title, grid, merges, mapping, formulas)
            issues += problems
            found += raws
            if raws and getattr(sheet, "sheet_state", "visible") != "visible":
                tables = ", ".join(repr(r.table.name) for r in raws)
                issues.append(
                    Issue(
                        label,
                        None,
                        None,
                        f"hidden sheet read as table {tables}: unhide it to check it, or "
                        "delete it if it is not data (a draft, a list for drop-downs)",
                        severity="warning",
                    )
                )
    finally:
        book.close()
    return found, issues


def _sheet_tables(label, name, grid, merges, mapping: UserMapping, formulas=(), offset: int = 0):
    """The tables of a sheet: usually one; a second one under the first (a header row of
    another table after the rows of the first: 项目 then 资金明细) is read on its own, by its
    headers. ``offset`` is the sheet row of ``grid[0]`` less one."""
    raws: list[RawTable] = []
    issues: list[Issue] = []
    while grid:
        raw, problems, rest = _sheet_table(label, name, grid, merges, mapping, offset, formulas)
        issues += problems
        if raw is not None:
            raws.append(raw)
        if rest is None:
            break
        issues.append(
            Issue(
                label,
                offset + rest + 1,
                None,
                "another table starts here: read on its own, by its headers",
                severity="note",
            )
        )
        grid, offset, name = grid[rest:], offset + rest, ""
        merges = [(r1 - rest, c1, r2 - rest, c2) for r1, c1, r2, c2 in merges if r1 >= rest]
    return raws, issues


def _next_table(grid, body: int) -> int | None:
    """The grid row where another table's header row starts below ``body``, or None: a row
    of text cells, most of them headers the data model knows, starting with one."""
    spellings = _ALL_SPELLINGS
    for index in range(body, len(grid)):
        texts = [t for t in (_layout.cell_text(c) for c in grid[index]) if t]
        if len(texts) < 3:
            continue
        first = texts[1] if _layout.is_serial_header(texts[0]) else texts[0]
        if header_key(first)[0] not in spellings:
            continue
        keys = [header_key(t)[0] for t in texts]
        hits = sum(1 for k in keys if k in spellings or k in _layout.SERIAL_HEADERS)
        if hits >= 3 and hits * 3 >= len(texts) * 2:
            return index
    return None


def _sheet_table(label, name, grid, merges, mapping: UserMapping, offset: int = 0, formulas=()):
    if not any(_layout.cell_text(c) for row in grid for c in row):
        if offset:
            return None, [], None
        return None, [Issue(label, None, None, "empty sheet left out", severity="note")], None
    table = table_named(name, mapping)
    issues: list[Issue] = []
    found_by = "name"
    if table is None:
        table, found_by, unfit = _table_by_content(grid, mapping, name)
        if table is None:
            if _COVER_SHEET.search(name):
                note = "instructions or cover sheet, not a table: left out"
                return None, [Issue(label, None, None, note, severity="note")], None
            if offset:
                where = f"rows from {offset + 1} are not a table the data model knows"
                return None, [skipped(label, where)], None
            if unfit:
                return None, [skipped(label, unfit)], None
            return None, [unknown_table(label, name)], None
        issues.append(
            Issue(
                label, None, None, f"read as table {table.name!r} by its headers", severity="note"
            )
        )
    layout = _layout.find_header(grid, known_header(table, mapping))
    rest = _next_table(grid, layout.body)
    if rest is not None:
        grid = grid[:rest]
    issues += _layout_notes(label, layout, offset)
    width = max((len(r) for r in grid[layout.start : layout.body]), default=0)
    names = _layout.unique_names(layout.names[:width])
    body_rows = [list(r[:width]) + [None] * (width - len(r)) for r in grid[layout.body :]]
    filled = _fill_merged(body_rows, merges, layout.body)
    if filled:
        issues.append(
            Issue(
                label,
                None,
                None,
                f"{filled} merged cell(s) filled down: the value belongs to every row under it",
                severity="note",
            )
        )
    body = _layout.classify_rows(body_rows, names, first_row=offset + layout.body + 1)
    issues += _formula_issues(label, formulas, body, names, offset + layout.body, len(body_rows))
    issues += _body_notes(label, body.notes, body.blank)
    frame = pd.DataFrame([body_rows[i] for i in body.data], columns=names, dtype=object)
    frame = _drop_empty_unnamed(frame, layout.names[:width])
    if frame.empty and not body.totals and not body.breakdowns:
        issues.append(
            Issue(
                label,
                offset + layout.start + 1,
                None,
                "has a header but no rows: left out",
                severity="note",
            )
        )
        return None, issues, rest
    rows = np.asarray(body.data, dtype=np.int64) + offset + layout.body + 1
    raw = RawTable(
        table,
        label,
        frame,
        first_row=offset + layout.body + 1,
        rows=rows,
        header_row=offset + layout.start + 1,
        title=tuple(text for _, text in layout.above),
        groups={n: g for n, g in zip(names, layout.groups, strict=False) if g},
        totals=body.totals,
        mapping=mapping,
        breakdowns=body.breakdowns,
        found_by=found_by,
    )
    return raw, issues, rest


def _formula_issues(label, formulas, body, names, start: int, count: int) -> list[Issue]:
    """A formula cell with no saved value, in a data row: its value is not in the file and
    would be read as empty. In a totals row it only keeps the totals from being checked."""
    if not formulas:
        return []
    data = {start + i for i in body.data}
    issues: list[Issue] = []
    for row, column in sorted(formulas):
        if not start <= row < start + count or column >= len(names):
            continue
        if row in data:
            message = (
                "holds a formula whose value was never saved, so it reads as empty; open the "
                "workbook in Excel or WPS and save it again (or type the value)"
            )
            issues.append(Issue(label, row + 1, names[column], message))
    return issues


def _fill_merged(rows: list[list], merges, body_start: int) -> int:
    """Copy a merged cell's value into every cell of its range below the header (a community
    name merged over its projects' rows belongs to each of them). Returns cells filled."""
    filled = 0
    for r1, c1, r2, c2 in merges:
        if r2 == r1 or r1 < body_start:
            continue  # a merge across one row (a title, a totals label) carries nothing down
        top = r1 - body_start
        if top >= len(rows) or c1 >= len(rows[top]):
            continue
        value = rows[top][c1]
        for r in range(top, min(r2 - body_start, len(rows) - 1) + 1):
            for c in range(c1, min(c2, len(rows[r]) - 1) + 1):
                if (r, c) != (top, c1) and rows[r][c] is None:
                    rows[r][c] = value
                    filled += 1
    return filled


def _drop_empty_unnamed(frame: pd.DataFrame, headers: list[str]) -> pd.DataFrame:
    """Columns with neither a header nor a value hold nothing: they go without a word."""
    keep = [
        bool(header) or frame.iloc[:, j].map(_layout.cell_text).astype(bool).any()
        for j, header in enumerate(headers)
    ]
    return frame.loc[:, keep] if not all(keep) else frame


# --------------------------------------------------------------------------- CSV


def read_csv_table(file: Path, table: Table | None, mapping: UserMapping):
    """A CSV file as a :class:`RawTable` (``table`` None: decided from its headers), with the
    notes and problems found on the way. The body is read by Arrow under the header found."""
    problem = _files.nul_problem(file)
    if problem is not None:
        return [], [problem]
    encoding = _files.detect_encoding(file)
    if encoding == "gb18030":
        encoding = _gb_or_big5(file)
    head = _files.head_rows(file, encoding)
    if not any(any(c.strip() for c in row) for row in head):
        return [], [Issue(file.name, 1, None, "file is empty: no header line")]
    issues: list[Issue] = []
    traditional = is_traditional([file.stem, *(c for row in head for c in row)])
    if traditional:
        head = [[to_simplified(c) for c in row] for row in head]
    found_by = "name"
    if table is None:
        table, found_by, unfit = _table_by_content(head, mapping, to_simplified(file.stem))
        if table is None:
            if unfit:
                return [], [skipped(file.name, unfit)]
            return [], [unknown_table(file.name, file.stem)]
        issues.append(
            Issue(
                file.name,
                None,
                None,
                f"read as table {table.name!r} by its headers",
                severity="note",
            )
        )
    layout = _layout.find_header(head, known_header(table, mapping))
    issues += _layout_notes(file.name, layout)
    width = max(len(r) for r in head[layout.start : layout.body])
    names = _layout.unique_names(layout.names[:width])
    kinds = header_types(table, names, mapping)
    column_types = {}
    for name, kind in kinds.items():
        if kind in ("id", "text"):
            column_types[name] = pa.string()
        elif kind == "category":
            column_types[name] = pa.dictionary(pa.int32(), pa.string())
    arrow, bad_rows, noted, gone = None, [], [], []
    used = encoding
    note_line = _is_note_line_simplified if traditional else _is_note_line
    if encoding.startswith("utf-8"):
        try:
            arrow, bad_rows, noted, gone = _files.read_csv_body(
                file, encoding, names, layout.body, column_types, note_line
            )
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc):
                raise
        if arrow is not None and any(pa.types.is_binary(f.type) for f in arrow.schema):
            arrow = None  # a column Arrow could not decode as UTF-8: other bytes further on
    if arrow is None:
        mixed = _files.mixed_encoding_row(file)
        if mixed is not None:
            row, minority, other = mixed
            message = (
                f"mixes encodings: this row is {minority}, other rows are {other}; save the "
                "whole file again in one encoding (CSV UTF-8)"
            )
            return [], issues + [Issue(file.name, row, None, message)]
        # GB18030 from the start, or a file whose later bytes are not UTF-8.
        used = encoding if encoding == "big5" else "gb18030"
        arrow, bad_rows, noted, gone = _files.read_csv_body(
            file, used, names, layout.body, column_types, note_line
        )
    issues += bad_rows
    numeric_dates = [
        n
        for n, kind in kinds.items()
        if kind == "date" and pa.types.is_floating(arrow.schema.field(n).type)
    ]
    if numeric_dates:
        # "2022.7" (a month) was taken for a number; read those columns again as text.
        column_types.update(dict.fromkeys(numeric_dates, pa.string()))
        arrow, bad_rows, noted, gone = _files.read_csv_body(
            file, used, names, layout.body, column_types, note_line
        )
    first_row = layout.body + 1
    numbers = None
    parsed_out = sorted(set(gone))
    if parsed_out:
        # rows the parser skipped have numbers too: the rows after them keep their own
        every = np.arange(first_row, first_row + arrow.num_rows + len(parsed_out))
        numbers = np.setdiff1d(every, parsed_out)[: arrow.num_rows]
    if traditional:
        arrow, converted = _simplified_arrow(arrow)
        issues.append(_traditional_note(file.name, converted))
    arrow, rows, totals, body_notes, blank, breakdowns = _clean_body(
        arrow, names, first_row, numbers
    )
    empty_lines = len(parsed_out) - len(bad_rows) - len(noted)  # skipped by the parser as empty
    issues += _body_notes(file.name, noted + body_notes, blank + empty_lines)
    issues += _second_header_rows(file.name, arrow, rows, first_row)
    frame = arrow_to_pandas(arrow)
    frame = _drop_empty_unnamed_csv(frame, layout.names[:width])
    if frame.empty and not totals:
        issues.append(
            Issue(
                file.name,
                layout.start + 1,
                None,
                "has a header but no rows; write at least one row, or remove the file",
            )
        )
        return [], issues
    raw = RawTable(
        table,
        file.name,
        frame,
        first_row,
        rows=rows,
        header_row=layout.start + 1,
        title=tuple(text for _, text in layout.above),
        groups={n: g for n, g in zip(names, layout.groups, strict=False) if g},
        totals=totals,
        mapping=mapping,
        breakdowns=breakdowns,
        found_by=found_by,
    )
    return [raw], issues


# Header spellings as written, for a fast look for another table's header row in a CSV body.
_RAW_SPELLINGS = sorted(
    {s for t in TABLES.values() for c in t.columns for s in (c.name, *c.aliases)} | {"序号"}
)


def _second_header_rows(label: str, arrow: pa.Table, rows, first_row: int) -> list[Issue]:
    """Rows of a CSV body that are another table's header (a second table pasted under the
    first): their values would be read as data. An error naming the row, so the user splits
    the file. The first column is screened with one Arrow kernel; only its hits are read."""
    if arrow.num_rows == 0 or arrow.num_columns < 3:
        return []
    first = arrow.column(0)
    if pa.types.is_dictionary(first.type):
        first = first.cast(pa.string())
    if not pa.types.is_string(first.type):
        return []
    hits = pc.is_in(first, value_set=pa.array(_RAW_SPELLINGS)).fill_null(False)
    issues: list[Issue] = []
    for position in np.flatnonzero(hits.to_numpy(zero_copy_only=False))[:5]:
        cells = [arrow.column(j)[int(position)].as_py() for j in range(arrow.num_columns)]
        texts = [_layout.cell_text(c) for c in cells if _layout.cell_text(c)]
        if _next_table([cells], 0) is None:
            continue
        row = int(position + first_row if rows is None else rows[position])
        issues.append(
            Issue(
                label,
                row,
                None,
                "this row is another table's header: put each table in a file of its own "
                "(or a sheet of its own in a workbook); the rows under it are read as this "
                "table's rows",
                ",".join(texts)[:80],
            )
        )
    return issues


def _gb_or_big5(file: Path) -> str:
    """A CSV that is not UTF-8: GB18030 (GBK, as Excel on a mainland Windows machine saves
    it) or Big5 (as Excel in Hong Kong or Taiwan saves it). Big5 bytes decode as GB18030
    too, into nonsense, so the one whose first rows hold more known headers (read as
    simplified: 項目編號 is 项目编号) wins; GB18030 on a tie."""
    head = file.read_bytes()[: _files.HEAD_BYTES]
    try:
        head.decode("big5")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 2:  # not a character cut by the sample's end
            return "gb18030"
    scores = {}
    for encoding in ("gb18030", "big5"):
        rows = _files.head_rows(file, encoding)
        cells = [c for row in rows[: _layout.HEADER_SCAN_ROWS] for c in row]
        known = sum(1 for c in cells if c and header_key(c)[0] in _ALL_SPELLINGS)
        scores[encoding] = known
    return "big5" if scores["big5"] > scores["gb18030"] else "gb18030"


def _simplified_arrow(table: pa.Table) -> tuple[pa.Table, int]:
    """The text columns of a CSV body written in traditional characters, simplified; each
    distinct value is converted once. Returns the table and the count of cells changed."""
    converted = 0
    for index, field_ in enumerate(table.schema):
        column = table.column(index)
        if pa.types.is_dictionary(field_.type):
            values = column.cast(pa.string())
        elif pa.types.is_string(field_.type) or pa.types.is_large_string(field_.type):
            values = column
        else:
            continue
        series = values.to_pandas()
        uniques = {v: to_simplified(v) for v in series.dropna().unique() if not v.isascii()}
        changed = {v: plain for v, plain in uniques.items() if plain != v}
        if not changed:
            continue
        converted += int(series.isin(list(changed)).sum())
        simplified = pa.array(series.map(lambda v, c=changed: c.get(v, v)), type=pa.string())
        if pa.types.is_dictionary(field_.type):
            simplified = simplified.dictionary_encode().cast(field_.type)
        table = table.set_column(index, field_.name, simplified)
    return table, converted


def _is_note_line_simplified(text: str) -> bool:
    return _is_note_line(to_simplified(text))


def _is_note_line(text: str) -> bool:
    cells = [c.strip() for c in text.split(",") if c.strip()]
    return bool(cells) and (
        _layout.is_note_text(cells[0])
        or any(_layout.is_totals_label(c) or _layout.is_breakdown_label(c) for c in cells[:3])
    )


def _clean_body(arrow: pa.Table, names: list[str], first_row: int, numbers=None):
    """Leave blank rows, totals rows, breakdown rows and notes out of a CSV body, with Arrow
    kernels over the first few text columns (a totals row names itself there), so a clean
    million-row file costs a few scans. Returns the table, row numbers (None when nothing was
    left out), the totals rows, the notes, the count of blank rows and the breakdown rows."""
    n = arrow.num_rows
    special = np.zeros(n, dtype=bool)
    blank = np.zeros(n, dtype=bool)
    pattern = (
        f"(?:{_layout.TOTALS_PATTERN})|(?:{_layout.NOTE_PATTERN})|(?:{_layout.BREAKDOWN_PATTERN})"
    )
    for name in names[:3]:
        column = arrow.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string()) if _any_match(column, pattern) else None
        if column is None or not pa.types.is_string(column.type):
            continue
        start = 0
        for chunk in column.chunks:
            special[start + _matching(chunk, pattern)] = True
            start += len(chunk)
    if n and (arrow.column(0).null_count or arrow.num_columns > 2 and arrow.column(1).null_count):
        # a blank row, or a heading with one cell filled, leaves one of these columns empty
        filled = np.zeros(n, dtype=np.int64)
        for column in arrow.columns:
            filled += column.is_valid().to_numpy(zero_copy_only=False)
        blank = filled == 0
        if len(names) >= 3:
            special |= filled == 1  # sorted below: a heading, a note or a one-cell row
    if not special.any() and not blank.any():
        return arrow, numbers, [], [], 0, []
    totals, notes, breakdowns = [], [], []
    data_before = np.cumsum(~(special | blank)) - (~(special | blank))
    above: dict[int, tuple] = {}  # special row → (row, totals row or data position) it follows
    for position in np.flatnonzero(special):
        cells = {name: arrow.column(name)[int(position)].as_py() for name in names}
        texts = [_layout.cell_text(v) for v in cells.values()]
        filled = [t for t in texts if t]
        label = next((t for t in filled[:3] if _layout.is_totals_label(t)), None)
        breakdown = next((t for t in filled[:3] if _layout.is_breakdown_label(t)), None)
        row = int(position + first_row if numbers is None else numbers[position])
        if breakdown is not None:
            before = _row_above(position, special, blank, above, data_before, first_row, numbers)
            breakdowns.append(_layout.BreakdownRow(row, breakdown, cells, *before))
            above[position] = before
        elif label is not None:
            totals.append(
                _layout.TotalsRow(
                    row, label, cells, int(data_before[position]), _layout.is_subtotal_label(label)
                )
            )
            above[position] = (row, totals[-1])
        elif len(filled) <= 2 and filled and _layout.is_note_text(filled[0]):
            notes.append((row, _layout.NOTE_KEPT + " ".join(filled)))
            above[position] = (None, None)
        elif len(filled) == 1 and _layout.is_heading(filled[0]):
            notes.append((row, _layout.HEADING_KEPT + filled[0]))
            above[position] = (None, None)
        else:
            special[position] = False  # a data row that merely mentions a note word
    keep = ~(special | blank)
    rows = np.flatnonzero(keep) + first_row if numbers is None else numbers[keep]
    return arrow.filter(pa.array(keep)), rows, totals, notes, int(blank.sum()), breakdowns


def _row_above(position, special, blank, above, data_before, first_row, numbers) -> tuple:
    """What a breakdown row of a CSV body breaks down: the nearest row above it that is not
    blank, as (spreadsheet row, totals row or data position); what a breakdown row above it
    breaks down, for a second 其中 row; (None, None) when there is none."""
    previous = position - 1
    while previous >= 0 and blank[previous]:
        previous -= 1
    if previous < 0:
        return (None, None)
    if special[previous]:
        return above.get(previous, (None, None))
    row = int(previous + first_row if numbers is None else numbers[previous])
    return (row, int(data_before[previous]))


# First bytes a totals, breakdown or note label can start with: a Chinese character (UTF-8
# lead byte 0x80 or above), S/T of sum/total, O/I of of which/including, a bracket or a space.
_LABEL_FIRST_BYTES = np.zeros(256, dtype=bool)
_LABEL_FIRST_BYTES[0x80:] = True
_LABEL_FIRST_BYTES[list(b"sStT \t(oOiI")] = True  # and (其中, of which, including


def _matching(chunk: pa.StringArray, pattern: str) -> np.ndarray:
    """Positions in a string array whose value matches ``pattern``. The regex runs only on
    values whose first byte could start a label, read straight from Arrow's buffers: an
    identifier column (P0000001 …) costs one pass over its offsets."""
    offsets_buffer, data_buffer = chunk.buffers()[1:3]
    if data_buffer is None or len(chunk) == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[
        chunk.offset : chunk.offset + len(chunk) + 1
    ]
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    starts, lengths = offsets[:-1], np.diff(offsets)
    first = np.zeros(len(chunk), dtype=np.uint8)
    filled = lengths > 0
    first[filled] = data[starts[filled]]
    candidates = np.flatnonzero(filled & _LABEL_FIRST_BYTES[first])
    if not len(candidates):
        return candidates
    hits = pc.match_substring_regex(chunk.take(pa.array(candidates)), pattern)
    return candidates[hits.fill_null(False).to_numpy(zero_copy_only=False)]


def _any_match(column: pa.ChunkedArray, pattern: str) -> bool:
    for chunk in column.chunks:
        if pc.any(pc.match_substring_regex(chunk.dictionary, pattern)).as_py():
            return True
    return False


def _drop_empty_unnamed_csv(frame: pd.DataFrame, headers: list[str]) -> pd.DataFrame:
    keep = [bool(h) or frame.iloc[:, j].notna().any() for j, h in enumerate(headers)]
    return frame.loc[:, keep] if not all(keep) else frame


def header_types(
    table: Table, headers: list[str], mapping: UserMapping = NO_MAPPING
) -> dict[str, str | None]:
    """Each header's column type (None for unknown headers), from one header map."""
    return {
        h: (table.column(name).type if name else None)
        for h, name in ((h, column_name(table, h, mapping)) for h in headers)
    }


def column_name(table: Table, header: str, mapping: UserMapping, spellings=None) -> str | None:
    user = mapping.column_for(table.name, header)
    if user is not None:
        return None if user == KEEP else user
    return find_spelling(spellings or header_map(table), header_key(header)[0])


def arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert once, cheaply: strings stay Arrow-backed (no Python objects), calendar dates
    become datetime64 so that no per-value conversion is needed later."""
    for index, column in enumerate(table.schema):
        if pa.types.is_date(column.type):
            table = table.set_column(
                index, column.name, table.column(index).cast(pa.timestamp("s"))
            )
    mapping = {pa.string(): STRING, pa.large_string(): STRING}
    return table.to_pandas(
        types_mapper=mapping.get, ignore_metadata=True, self_destruct=True, split_blocks=True
    )
