"""Reading a programme's files into typed pandas tables.

Town offices export spreadsheets with Chinese headers, GBK encodings, title rows, two-row
headers, totals rows and amounts written as ``1.2万``. This module finds the tables in a
folder or workbook (by file or sheet name, else by their headers), lets
:mod:`impact.layout` find each table on its sheet, maps every header spelling to its column
(with the user's ``impact-mapping.yaml``), and parses values column by column with
vectorised string operations, so a million-row file costs little more than reading it.
Every value it cannot read becomes an :class:`~impact.errors.Issue` naming file, row,
column and value; nothing is dropped silently.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import files as _files
from . import layout as _layout
from .errors import Issue
from .files import detect_encoding  # noqa: F401  (part of this module's interface)
from .indicators import CATALOGUE, indicator_code, recognise
from .mapping import KEEP, MAPPING_FILE, NO_MAPPING, UserMapping, load_mapping, suggestion
from .schema import (
    HEADER_SCALE,
    TABLES,
    Column,
    Table,
    category_map,
    header_key,
    header_map,
    negated_code,
    normalise_label,
    table_for_name,
)

STRING = pd.StringDtype("pyarrow")
CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_TRUE = {"是", "有", "yes", "y", "true", "t", "1", "√", "✓", "对"}
_FALSE = {"否", "无", "no", "n", "false", "f", "0", "×", "✗", "不"}
# Sheets that explain the workbook rather than hold a table.
_COVER_SHEET = re.compile(r"说明|封面|目录|指南|须知|instruction|readme|cover|guide", re.I)
_CATALOGUE_CODES = {i.code for i in CATALOGUE}
_MIN_CONTENT_SCORE = 3  # known headers a sheet needs to be taken for a table by content


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


@dataclass
class ParsedTable:
    """A typed table and where its rows came from, for locating later problems."""

    table: Table
    label: str
    frame: pd.DataFrame
    first_row: int
    issues: list[Issue] = field(default_factory=list)
    rows: np.ndarray | None = None

    def row_number(self, position: int | np.ndarray) -> int | np.ndarray:
        """The spreadsheet row of a frame position (or array of positions)."""
        if self.rows is not None:
            return self.rows[position]
        return position + self.first_row


# --------------------------------------------------------------------------- discovery


def discover(path: Path) -> tuple[list[RawTable], list[Issue]]:
    """Find and read every table under ``path``: a folder of CSV, Parquet or Excel files, or
    a single file. Unreadable files and unknown names are reported, not raised."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        return [], [Issue(str(path), None, None, "no such file or folder")]
    folder = path if path.is_dir() else path.parent
    mapping, issues = load_mapping(folder)
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    raw_tables: list[RawTable] = []
    for file in files:
        suffix = file.suffix.lower()
        if file.name.startswith((".", "~$")) or suffix in {".yaml", ".yml", ".md", ".json"}:
            continue  # hidden files, Excel lock files, parameters and notes beside the data
        problem = _files.entry_problem(file)
        if problem is not None:
            issues.append(problem)
            continue
        if file.is_dir():
            continue
        try:
            found, problems = _read_file(file, suffix, mapping)
        except (OSError, ValueError, KeyError, pa.ArrowException, zipfile.BadZipFile) as exc:
            # a corrupt, locked or unreadable file is the user's to fix, not a crash
            found, problems = [], [Issue(file.name, None, None, f"cannot read file: {exc}")]
        raw_tables += found
        issues += problems
    names = [r.table.name for r in raw_tables]
    for name in sorted({n for n in names if names.count(n) > 1}):
        labels = ", ".join(r.label for r in raw_tables if r.table.name == name)
        issues.append(Issue(labels, None, None, f"more than one file holds table {name!r}"))
    if not raw_tables and not any(i.severity == "error" for i in issues):
        issues.append(
            Issue(
                str(path),
                None,
                None,
                "no data files found (expected e.g. projects.csv, funding.csv)",
            )
        )
    return raw_tables, issues


def _read_file(file: Path, suffix: str, mapping: UserMapping):
    if suffix in _files.OLD_EXCEL_SUFFIXES:
        return [], [_files.old_excel_problem(file)]
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(file, mapping)
    if suffix not in CSV_SUFFIXES | PARQUET_SUFFIXES:
        return [], [_skipped(file.name, "not a CSV, Parquet or .xlsx file")]
    table = _table_named(file.stem, mapping)
    if suffix in PARQUET_SUFFIXES:
        if table is None:
            return [], [_unknown_table(file.name, file.stem)]
        names = pq.read_schema(file).names
        types = _column_types(table, names, mapping)
        categories = [h for h in names if types[h] == "category"]
        frame = arrow_to_pandas(pq.read_table(file, read_dictionary=categories))
        return [RawTable(table, file.name, frame, first_row=1, mapping=mapping)], []
    return _read_csv(file, table, mapping)


def _table_named(name: str, mapping: UserMapping) -> Table | None:
    mapped = mapping.table_for(name)
    return TABLES[mapped] if mapped else table_for_name(name)


def _skipped(label: str, why: str) -> Issue:
    return Issue(label, None, None, f"skipped: {why}", severity="warning")


def _unknown_table(label: str, name: str) -> Issue:
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
    issue = _skipped(label, f"{name!r} is not a known table{hint}")
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

    def known(text: str) -> bool:
        key = header_key(text)[0]
        return key in spellings or key in user

    return known


def _table_by_content(grid, mapping: UserMapping) -> tuple[Table | None, int]:
    """The table whose headers a sheet's first rows match best, if clearly one."""
    scores = []
    for table in TABLES.values():
        layout = _layout.find_header(grid, known_header(table, mapping))
        scores.append((layout.score, table))
    scores.sort(key=lambda s: -s[0])
    best, table = scores[0]
    if best >= _MIN_CONTENT_SCORE and best > scores[1][0]:
        return table, best
    return None, best


def _layout_notes(label: str, layout: _layout.HeaderLayout) -> list[Issue]:
    notes = [
        Issue(
            label,
            number + 1,
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
                layout.start + 1,
                None,
                "two-row header read as one: " + "; ".join(layout.flattened),
                severity="note",
            )
        )
    return notes


def _body_notes(label: str, noted: list[tuple[int, str]], blank: int) -> list[Issue]:
    notes = [
        Issue(label, row, None, f"note under the table kept: {text}", None, "note")
        for row, text in noted
    ]
    if blank:
        notes.append(Issue(label, None, None, f"{blank} blank row(s) skipped", severity="note"))
    return notes


# --------------------------------------------------------------------------- Excel


def _read_workbook(file: Path, mapping: UserMapping) -> tuple[list[RawTable], list[Issue]]:
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
            raw, problems = _sheet_table(label, sheet.title, grid, merges, mapping)
            issues += problems
            if raw is not None:
                found.append(raw)
    finally:
        book.close()
    return found, issues


def _sheet_table(label, name, grid, merges, mapping: UserMapping):
    if not any(_layout.cell_text(c) for row in grid for c in row):
        return None, [Issue(label, None, None, "empty sheet left out", severity="note")]
    table = _table_named(name, mapping)
    issues: list[Issue] = []
    if table is None:
        table, _ = _table_by_content(grid, mapping)
        if table is None:
            if _COVER_SHEET.search(name):
                note = "instructions or cover sheet, not a table: left out"
                return None, [Issue(label, None, None, note, severity="note")]
            return None, [_unknown_table(label, name)]
        issues.append(
            Issue(
                label, None, None, f"read as table {table.name!r} by its headers", severity="note"
            )
        )
    layout = _layout.find_header(grid, known_header(table, mapping))
    issues += _layout_notes(label, layout)
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
    body = _layout.classify_rows(body_rows, names, first_row=layout.body + 1)
    issues += _body_notes(label, body.notes, body.blank)
    frame = pd.DataFrame([body_rows[i] for i in body.data], columns=names, dtype=object)
    frame = _drop_empty_unnamed(frame, layout.names[:width])
    if frame.empty and not body.totals:
        issues.append(
            Issue(
                label, layout.start + 1, None, "has a header but no rows: left out", severity="note"
            )
        )
        return None, issues
    rows = np.asarray(body.data, dtype=np.int64) + layout.body + 1
    raw = RawTable(
        table,
        label,
        frame,
        first_row=layout.body + 1,
        rows=rows,
        header_row=layout.start + 1,
        totals=body.totals,
        mapping=mapping,
    )
    return raw, issues


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


def _read_csv(file: Path, table: Table | None, mapping: UserMapping):
    problem = _files.nul_problem(file)
    if problem is not None:
        return [], [problem]
    encoding = _files.detect_encoding(file)
    head = _files.head_rows(file, encoding)
    if not any(any(c.strip() for c in row) for row in head):
        return [], [Issue(file.name, 1, None, "file is empty: no header line")]
    issues: list[Issue] = []
    if table is None:
        table, _ = _table_by_content(head, mapping)
        if table is None:
            return [], [_unknown_table(file.name, file.stem)]
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
    kinds = _column_types(table, names, mapping)
    column_types = {}
    for name, kind in kinds.items():
        if kind in ("id", "text"):
            column_types[name] = pa.string()
        elif kind == "category":
            column_types[name] = pa.dictionary(pa.int32(), pa.string())
    arrow, bad_rows, noted = None, [], []
    if encoding.startswith("utf-8"):
        try:
            arrow, bad_rows, noted = _files.read_csv_body(
                file, encoding, names, layout.body, column_types, _is_note_line
            )
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc):
                raise
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
        arrow, bad_rows, noted = _files.read_csv_body(
            file, "gb18030", names, layout.body, column_types, _is_note_line
        )
    issues += bad_rows
    first_row = layout.body + 1
    arrow, rows, totals, body_notes, blank = _clean_body(arrow, names, first_row)
    issues += _body_notes(file.name, noted + body_notes, blank)
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
        totals=totals,
        mapping=mapping,
    )
    return [raw], issues


def _is_note_line(text: str) -> bool:
    cells = [c.strip() for c in text.split(",") if c.strip()]
    return bool(cells) and (
        _layout.is_note_text(cells[0]) or any(_layout.is_totals_label(c) for c in cells[:3])
    )


def _clean_body(arrow: pa.Table, names: list[str], first_row: int):
    """Leave blank rows, totals rows and notes out of a CSV body, with Arrow kernels over the
    first few text columns (a totals row names itself there), so a clean million-row file
    costs a few scans. Returns the table, row numbers (None when nothing was left out), the
    totals rows, the notes and the count of blank rows."""
    n = arrow.num_rows
    special = np.zeros(n, dtype=bool)
    blank = np.zeros(n, dtype=bool)
    labelled: list[tuple[int, str]] = []
    pattern = f"(?:{_layout.TOTALS_PATTERN})|(?:{_layout.NOTE_PATTERN})"
    for name in names[:3]:
        column = arrow.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string()) if _any_match(column, pattern) else None
        if column is None or not pa.types.is_string(column.type):
            continue
        hits = pc.match_substring_regex(column, pattern).to_numpy(zero_copy_only=False)
        special |= np.nan_to_num(hits.astype(float), nan=0).astype(bool)
    if n and any(arrow.column(0).null_count for _ in [0]):
        blank = np.ones(n, dtype=bool)
        for column in arrow.columns:
            blank &= column.is_null().to_numpy(zero_copy_only=False)
    if not special.any() and not blank.any():
        return arrow, None, [], [], 0
    totals, notes = [], []
    data_before = np.cumsum(~(special | blank)) - (~(special | blank))
    for position in np.flatnonzero(special):
        cells = {name: arrow.column(name)[int(position)].as_py() for name in names}
        texts = [_layout.cell_text(v) for v in cells.values()]
        filled = [t for t in texts if t]
        label = next((t for t in filled[:3] if _layout.is_totals_label(t)), None)
        row = int(position) + first_row
        if label is not None:
            totals.append(
                _layout.TotalsRow(
                    row, label, cells, int(data_before[position]), _layout.is_subtotal_label(label)
                )
            )
        elif len(filled) <= 2 and filled and _layout.is_note_text(filled[0]):
            notes.append((row, " ".join(filled)))
        else:
            special[position] = False  # a data row that merely mentions a note word
    del labelled
    keep = ~(special | blank)
    rows = np.flatnonzero(keep) + first_row
    return arrow.filter(pa.array(keep)), rows, totals, notes, int(blank.sum())


def _any_match(column: pa.ChunkedArray, pattern: str) -> bool:
    for chunk in column.chunks:
        if pc.any(pc.match_substring_regex(chunk.dictionary, pattern)).as_py():
            return True
    return False


def _drop_empty_unnamed_csv(frame: pd.DataFrame, headers: list[str]) -> pd.DataFrame:
    keep = [bool(h) or frame.iloc[:, j].notna().any() for j, h in enumerate(headers)]
    return frame.loc[:, keep] if not all(keep) else frame


def _column_types(
    table: Table, headers: list[str], mapping: UserMapping = NO_MAPPING
) -> dict[str, str | None]:
    """Each header's column type (None for unknown headers), from one header map."""
    return {
        h: (table.column(name).type if name else None)
        for h, name in ((h, _column_name(table, h, mapping)) for h in headers)
    }


def _column_name(table: Table, header: str, mapping: UserMapping, spellings=None) -> str | None:
    user = mapping.column_for(table.name, header)
    if user is not None:
        return None if user == KEEP else user
    return (spellings or header_map(table)).get(header_key(header)[0])


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


# --------------------------------------------------------------------------- parsing


def parse(raw: RawTable) -> ParsedTable:
    """Map headers to columns and parse every column to its type, collecting every problem."""
    table, label, mapping = raw.table, raw.label, raw.mapping
    issues: list[Issue] = []
    spellings = header_map(table)
    renamed: dict[str, pd.Series] = {}
    scales: dict[str, tuple[float, str]] = {}
    unmatched: list[str] = []
    indicator_columns: dict[str, str] = {}  # code → header, for indicators written as columns
    for header in raw.frame.columns:
        text = str(header)
        user = mapping.column_for(table.name, text)
        if user is None and _layout.is_serial_header(text):
            issues.append(
                Issue(label, raw.header_row, text, "row-number column left out", None, "note")
            )
            continue
        name = _column_name(table, text, mapping, spellings)
        code = None if name or user else indicator_code(text, mapping.indicators)
        if code is not None and table.name != "indicators" and code not in renamed:
            # an output indicator written as a column (活动场次): kept under its code
            renamed[code] = raw.frame[header]
            indicator_columns[code] = text
            continue
        if name is None:
            renamed[text] = raw.frame[header]
            if user != KEEP:
                unmatched.append(text)
            continue
        if name in renamed:
            issues.append(
                Issue(
                    label,
                    raw.header_row,
                    text,
                    f"second column for {name!r}; only the first is used",
                )
            )
            continue
        renamed[name] = raw.frame[header]
        unit = header_key(text)[1]
        if unit in HEADER_SCALE and table.column(name).type in ("money", "number"):
            scales[name] = (HEADER_SCALE[unit], unit)
    for name, value in mapping.values.get(table.name, {}).items():
        if name not in renamed:
            renamed[name] = pd.Series([value] * len(raw.frame), dtype=object)
            issues.append(
                Issue(
                    label,
                    None,
                    name,
                    f"not in the table; every row takes {value!r} from {mapping.source}",
                    severity="note",
                )
            )
    issues += _header_issues(raw, renamed, unmatched)

    parsed: dict[str, pd.Series] = {}
    for name, values in renamed.items():
        values = values.reset_index(drop=True)
        if name in indicator_columns:
            parsed[name], found = _indicator_column(raw, name, indicator_columns[name], values)
            issues += found
            continue
        if name not in table.names:
            parsed[name] = values
            continue
        column = table.column(name)
        notes: list[tuple[np.ndarray, str]] = []
        typed, bad = parse_column(values, column, notes, mapping.codes.get(table.name, {}))
        if name in scales:
            factor, unit = scales[name]
            typed = typed * factor
            issues.append(
                Issue(
                    label,
                    raw.header_row,
                    name,
                    f"header gives the unit {unit}: values multiplied by {factor:,.0f}",
                    severity="note",
                )
            )
        if table.name == "indicators" and name == "indicator":
            typed, unknown = recognise(typed, mapping.indicators)
            if unknown:
                issues.append(
                    Issue(
                        label,
                        None,
                        name,
                        "not in the indicator catalogue, kept under their own names: "
                        + ", ".join(unknown[:20])
                        + (", …" if len(unknown) > 20 else ""),
                        severity="note",
                    )
                )
        parsed[name] = typed
        for mask, message in notes:
            shown = [str(r) for r in _row_numbers(raw, np.flatnonzero(mask)[:10])]
            more = ", …" if mask.sum() > 10 else ""
            issues.append(
                Issue(
                    label,
                    None,
                    name,
                    f"{message}: {int(mask.sum())} value(s), rows {', '.join(shown)}{more}",
                    severity="note",
                )
            )
        if bad is not None and bad[1].any():
            message, mask = bad
            positions = np.flatnonzero(mask)
            for position, row in zip(positions, _row_numbers(raw, positions), strict=True):
                value = values.iloc[position]
                issues.append(Issue(label, int(row), name, message(value), display(value)))
    frame = pd.DataFrame(parsed, index=pd.RangeIndex(len(raw.frame)), copy=False)
    issues += _check_totals(raw, frame, scales)
    return ParsedTable(table, label, frame, raw.first_row, issues, raw.rows)


def _indicator_column(raw: RawTable, code: str, header: str, values: pd.Series):
    """An indicator written as a column of another table, read as numbers under its code.
    A value that is not a number is left blank with a warning: the rest of the row stands."""
    spec = Column(code, "number", header)
    notes: list[tuple[np.ndarray, str]] = []
    typed, bad = parse_column(values, spec, notes)
    entry = next(i for i in CATALOGUE if i.code == code) if code in _CATALOGUE_CODES else None
    what = f"{entry.zh} / {entry.en}, {entry.unit}" if entry else "from the mapping file"
    issues = [
        Issue(
            raw.label,
            raw.header_row,
            header,
            f"read as the indicator {code!r} ({what})",
            severity="note",
        )
    ]
    if bad is not None:
        message, mask = bad
        positions = np.flatnonzero(mask)
        for position, row in zip(positions, _row_numbers(raw, positions), strict=True):
            value = values.iloc[position]
            issues.append(
                Issue(
                    raw.label,
                    int(row),
                    header,
                    message(value) + "; left blank",
                    display(value),
                    "warning",
                )
            )
    for mask, message in notes:
        issues.append(
            Issue(raw.label, None, header, f"{message}: {int(mask.sum())} value(s)", None, "note")
        )
    return typed, issues


def _row_numbers(raw: RawTable, positions: np.ndarray) -> np.ndarray:
    return raw.rows[positions] if raw.rows is not None else positions + raw.first_row


def _header_issues(raw: RawTable, renamed: dict, unmatched: list[str]) -> list[Issue]:
    """Unknown headers, and columns the table lacks. An unknown header is never dropped; when
    the table then lacks a column it resembles (or a required one), that is an error naming
    the header and the mapping line that would settle it."""
    table, label, row = raw.table, raw.label, raw.header_row
    source = raw.mapping.source
    issues: list[Issue] = []
    absent = [c for c in table.columns if c.name not in renamed]
    claimed: set[str] = set()
    for column in (c for c in absent if c.required):
        candidates = sorted(unmatched, key=lambda h: -_resemblance(h, column))
        candidates = [h for h in candidates if h not in claimed]
        if not candidates:
            spellings = ", ".join((column.name, *column.aliases[:3]))
            fixed = (
                f"; or give one value for every row under `{table.name}: values:` in {source}"
                if column.type in ("id", "int")
                else ""
            )
            issues.append(
                Issue(
                    label,
                    row,
                    column.name,
                    f"required column missing (write one of: {spellings}){fixed}",
                )
            )
            continue
        header = candidates[0]
        claimed.add(header)
        issues.append(
            Issue(
                label,
                row,
                column.name,
                f"required column missing; the header {header!r} may be it: add a line to "
                f"{source} (under {table.name}: headers:)",
                suggestion=suggestion(table.name, "headers", header, column.name),
            )
        )
    for header in unmatched:
        if header in claimed:
            continue
        resembled = next((c for c in absent if _contains_spelling(header, c)), None)
        if resembled is not None:
            issues.append(
                Issue(
                    label,
                    row,
                    header,
                    f"not a known header, and the table has no {resembled.name!r} column: if "
                    f"it holds {resembled.name}, add a line to {source} (under {table.name}: "
                    f"headers:); if not, map it to `{KEEP}`",
                    suggestion=suggestion(table.name, "headers", header, resembled.name),
                )
            )
            continue
        spellings = header_map(table)
        close = difflib.get_close_matches(header_key(header)[0], list(spellings), n=1)
        hint = f"; did you mean {spellings[close[0]]!r}?" if close else ""
        issues.append(
            Issue(
                label,
                row,
                header,
                f"unknown column kept as it is{hint}",
                severity="warning",
                suggestion=suggestion(
                    table.name, "headers", header, spellings[close[0]] if close else KEEP
                ),
            )
        )
    return issues


def _resemblance(header: str, column: Column) -> float:
    key = header_key(header)[0]
    best = 0.0
    for spelling in (column.name, *column.aliases):
        other = normalise_label(spelling)
        if len(other) >= 2 and other in key:
            best = max(best, 0.9)
        best = max(best, difflib.SequenceMatcher(None, key, other).ratio())
    return best


def _contains_spelling(header: str, column: Column) -> bool:
    """Whether a header holds a Chinese spelling of ``column`` of three or more characters
    (资助金额合计 holds 资助金额), or an English one of five or more."""
    key = header_key(header)[0]
    for spelling in (column.name, *column.aliases):
        other = normalise_label(spelling)
        cjk = bool(re.search(r"[\u4e00-\u9fff]", other))
        if (len(other) >= 3 if cjk else len(other) >= 5) and other in key:
            return True
    return False


def _check_totals(raw: RawTable, frame: pd.DataFrame, scales) -> list[Issue]:
    """Name each totals row left out, and check the figures it carries against the sum of
    the rows it totals (a subtotal: the rows since the previous subtotal)."""
    issues: list[Issue] = []
    start = 0
    for totals in raw.totals:
        first = start if totals.subtotal else 0
        block = frame.iloc[first : totals.data_before]
        checked: list[str] = []
        for header, value in totals.cells.items():
            name = _column_name(raw.table, str(header), raw.mapping) or indicator_code(
                str(header), raw.mapping.indicators
            )
            if name is None or name not in frame or not _layout.cell_text(value):
                continue
            column = (
                raw.table.column(name)
                if name in raw.table.names
                else Column(name, "number", "indicator")
            )
            if column.type not in ("money", "count", "number") or _layout.is_totals_label(
                _layout.cell_text(value)
            ):
                continue
            typed, bad = parse_column(pd.Series([value], dtype=object), column)
            if bad is not None or pd.isna(typed.iloc[0]):
                continue
            stated = float(typed.iloc[0]) * scales.get(name, (1.0, ""))[0]
            summed = float(pd.to_numeric(block[name], errors="coerce").sum())
            if abs(stated - summed) > 0.5 + 1e-9 * abs(summed):
                issues.append(
                    Issue(
                        raw.label,
                        totals.row,
                        name,
                        f"the totals row gives {stated:,.2f} but the rows it totals sum to "
                        f"{summed:,.2f}",
                        display(value),
                        "warning",
                    )
                )
            else:
                checked.append(name)
        counted = (re.match(r"^共\s*(\d+)", _layout.cell_text(v)) for v in totals.cells.values())
        count = next((m for m in counted if m), None)
        if count and int(count.group(1)) != len(block):
            issues.append(
                Issue(
                    raw.label,
                    totals.row,
                    None,
                    f"the totals row counts {count.group(1)} but {len(block)} rows precede it",
                    count.group(0),
                    "warning",
                )
            )
        agreed = f"; agrees with the rows on {', '.join(checked)}" if checked else ""
        issues.append(
            Issue(
                raw.label,
                totals.row,
                None,
                f"totals row {totals.label!r} left out of the data{agreed}",
                severity="note",
            )
        )
        if totals.subtotal:
            start = totals.data_before
    return issues


def parse_column(
    values: pd.Series,
    column: Column,
    notes: list[tuple[np.ndarray, str]] | None = None,
    user_codes: dict[str, dict[str, str]] | None = None,
):
    """Parse one column. Returns the typed series and, if some values could not be read,
    ``(message_for_value, bad_mask)``. Values read with less precision than written
    suggests (a month for a date, an approximate count) are added to ``notes`` as
    ``(mask, message)``."""
    notes = [] if notes is None else notes
    kind = column.type
    if kind in ("id", "text"):
        return _as_text(values, kind == "id"), None
    if kind == "category":
        return _as_category(values, column, (user_codes or {}).get(column.name, {}))
    if kind == "date":
        return _as_date(values, notes)
    if kind == "bool":
        return _as_bool(values)
    return _as_number(values, kind, notes)


def _as_text(values: pd.Series, identifier: bool) -> pd.Series:
    if identifier and pd.api.types.is_float_dtype(values.dtype):
        # Excel stores 101 as 101.0; an identifier is "101".
        whole = values.dropna()
        if (whole == np.floor(whole)).all():
            values = values.astype("Int64")
        text = values.astype(STRING)
    else:
        text = _text_of(values)
    text = text.str.strip()
    return text.mask(text == "")


def display(value) -> str | None:
    """A value as a user wrote or would write it: 12 not 12.0, 2022-07-01 not a timestamp."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return _cell_text(value)


def _text_of(values: pd.Series, cell_text=None) -> pd.Series:
    """Values as Arrow-backed text: a cheap cast for string columns, a per-cell conversion
    only for mixed columns such as those Excel gives."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype(STRING)
    return values.map(cell_text or _cell_text, na_action="ignore").astype(STRING)


def _date_text(value) -> str:
    return value if isinstance(value, str) else str(value)[:10]  # a Timestamp's day


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(values: pd.Series) -> np.ndarray:
    """True where a cell is empty: missing, or only spaces."""
    missing = values.isna().to_numpy()
    if values.dtype == STRING or values.dtype == object:
        stripped = values.astype(STRING).str.strip()
        missing = missing | (stripped == "").fillna(True).to_numpy(dtype=bool)
    return missing


_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3}


_NONE_WRITTEN = r"^(?:无|/|／|—+|-+|–|暂无|n/?a|none)$"  # "nothing", as offices write it
_ABOUT_BEFORE = r"^(?:约|大约|近|逾|超过|多于)"
_ABOUT_AFTER = r"(?:余|多|\+|以上|左右)$"
_COUNT_UNITS = r"(?:人次|场次|人|个|次|场|篇|户|名|位|项|件|条|天|小时|支|家|期|条次)$"


def _as_number(values: pd.Series, kind: str, notes: list | None = None):
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(object)
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64")
        blank = np.zeros(len(values), dtype=bool)
        unreadable = np.zeros(len(values), dtype=bool)
    else:
        text = _text_of(values).str.normalize("NFKC").str.strip()
        text = text.mask(text.str.lower().str.fullmatch(_NONE_WRITTEN).fillna(False))
        blank = _blank(text)
        text = text.str.replace(r"[,，\s]|元|人民币|rmb|RMB|¥|￥", "", regex=True)
        if kind != "share":
            text = text.str.replace(_COUNT_UNITS, "", regex=True)
            about = (
                text.str.contains(f"{_ABOUT_BEFORE}|{_ABOUT_AFTER}", regex=True)
                .fillna(False)
                .to_numpy(dtype=bool)
            )
            if about.any():
                text = text.str.replace(_ABOUT_BEFORE, "", regex=True)
                text = text.str.replace(_ABOUT_AFTER, "", regex=True)
                text = text.str.replace(_COUNT_UNITS, "", regex=True)
        else:
            about = np.zeros(len(values), dtype=bool)
        multiplier = pd.Series(1.0, index=values.index)
        for suffix, factor in _MULTIPLIERS.items():
            ends = text.str.endswith(suffix).fillna(False).to_numpy(dtype=bool)
            multiplier[ends] = factor
            text = text.mask(ends, text.str.slice(0, -1))
        if kind == "share":
            percent = text.str.endswith("%").fillna(False).to_numpy(dtype=bool)
            multiplier[percent] = 0.01
            text = text.mask(percent, text.str.slice(0, -1))
        if kind == "ratio":
            text, multiplier = _split_ratio(text, multiplier)
        numbers = pd.to_numeric(text, errors="coerce").astype("float64") * multiplier
        unreadable = numbers.isna().to_numpy() & ~blank
        if notes is not None and (about & ~unreadable).any():
            notes.append(
                (about & ~unreadable, "approximate (约, 余, +) read as the number written")
            )
    # "1e999" parses as infinity, and integers past 2**53 lose digits: neither is a figure.
    with np.errstate(invalid="ignore"):
        limit = 2.0**53 if kind in ("int", "count") else np.inf
        unreadable |= ~np.isnan(numbers.to_numpy()) & ~(np.abs(numbers.to_numpy()) < limit)
    numbers = numbers.where(~unreadable)
    problems: list[tuple[np.ndarray, Callable[[object], str]]] = []
    if unreadable.any():
        problems.append((unreadable, lambda v: "not a number"))
    valid = numbers.to_numpy()
    with np.errstate(invalid="ignore"):
        if kind in ("money", "count", "ratio", "share"):
            negative = valid < 0
            if negative.any():
                problems.append((negative, lambda v: "must not be negative"))
        if kind in ("int", "count"):
            fractional = ~np.isnan(valid) & (valid != np.floor(valid))
            if fractional.any():
                problems.append((fractional, lambda v: "must be a whole number"))
        if kind == "share":
            above = valid > 1
            if above.any():
                problems.append(
                    (above, lambda v: "a share must be between 0 and 1; write 60% or 0.6")
                )
    bad_any = np.zeros(len(values), dtype=bool)
    for mask, _ in problems:
        bad_any |= mask
    typed = numbers.where(~bad_any)
    if kind in ("int", "count"):
        typed = typed.round().astype("Int64")
    if not problems:
        return typed, None
    if len(problems) == 1:
        return typed, (problems[0][1], bad_any)
    return typed, (lambda value: _describe_number(value, kind), bad_any)


def _describe_number(value, kind: str) -> str:
    text = str(value).strip()
    number = pd.to_numeric(
        pd.Series([text]).str.replace(r"[,，\s元¥￥%万]", "", regex=True), errors="coerce"
    ).iloc[0]
    if pd.isna(number):
        return "not a number"
    if number < 0:
        return "must not be negative"
    if kind in ("int", "count") and number != int(number):
        return "must be a whole number"
    return "a share must be between 0 and 1; write 60% or 0.6"


def _split_ratio(text: pd.Series, multiplier: pd.Series):
    parts = text.str.replace("：", ":").str.split(":", n=1, expand=True, regex=False)
    if parts.shape[1] < 2:
        return text, multiplier
    has_colon = parts[1].notna().to_numpy()
    left = pd.to_numeric(parts[0], errors="coerce")
    right = pd.to_numeric(parts[1], errors="coerce")
    ratio = (left / right).astype("float64")
    text = text.mask(has_colon, ratio.astype(STRING))
    return text, multiplier


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's serial dates (1900 system)
_SERIAL_RANGE = (1, 2_958_465)  # 1900-01-01 to 9999-12-31
_MONTH_ONLY = r"^(\d{4})-(\d{1,2})-?$"


def _as_date(values: pd.Series, notes: list | None = None):
    """Days; an Excel serial number (44743) is a day; a month alone (2022年7月, 2022-07)
    is read as its first day and listed in ``notes``, so its precision is not lost."""
    notes = [] if notes is None else notes
    blank = _blank(values)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dates = values.dt.normalize()
    elif pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    ):
        dates = _serial_dates(values.astype("float64"))
        if dates.notna().any():
            notes.append((dates.notna().to_numpy(), "Excel serial numbers read as dates"))
    else:
        text = _text_of(values, _date_text).str.normalize("NFKC").str.strip()
        text = text.str.replace(r"[年月/.]", "-", regex=True).str.replace(r"日$", "", regex=True)
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        missed = dates.isna().to_numpy() & ~blank
        if missed.any():
            month = text.str.extract(_MONTH_ONLY).where(pd.Series(missed, index=text.index))
            month_dates = pd.to_datetime(
                month[0] + "-" + month[1] + "-1", format="%Y-%m-%d", errors="coerce"
            )
            is_month = month_dates.notna().to_numpy()
            if is_month.any():
                dates = dates.where(~is_month, month_dates)
                notes.append((is_month, "a month only: read as the first day of the month"))
            serial = pd.to_numeric(text.where(missed & ~is_month), errors="coerce")
            serial_dates = _serial_dates(serial)
            is_serial = serial_dates.notna().to_numpy()
            if is_serial.any():
                dates = dates.where(~is_serial, serial_dates)
                notes.append((is_serial, "Excel serial numbers read as dates"))
    dates = dates.astype("datetime64[s]") if len(dates) else dates
    unreadable = dates.isna().to_numpy() & ~blank
    if not unreadable.any():
        return dates, None
    return dates, (lambda v: "not a date (write 2022-07-01, 2022/7/1 or 2022年7月1日)", unreadable)


def _serial_dates(numbers: pd.Series) -> pd.Series:
    whole = numbers.where(
        (numbers >= _SERIAL_RANGE[0]) & (numbers <= _SERIAL_RANGE[1]) & (numbers % 1 == 0)
    )
    return _EXCEL_EPOCH + pd.to_timedelta(whole, unit="D")


def _as_bool(values: pd.Series):
    blank = _blank(values)
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), None
    text = _text_of(values).str.strip().str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[text.isin(_TRUE).fillna(False).to_numpy(dtype=bool)] = True
    result[text.isin(_FALSE).fillna(False).to_numpy(dtype=bool)] = False
    unreadable = result.isna().to_numpy() & ~blank
    if not unreadable.any():
        return result, None
    return result, (lambda v: "not yes or no (write 是/否, yes/no or 1/0)", unreadable)


def _as_category(values: pd.Series, column: Column, user_codes: dict[str, str] | None = None):
    codes_map = category_map(column) | (user_codes or {})
    if isinstance(values.dtype, pd.CategoricalDtype):  # read dictionary-encoded
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    normalised = [normalise_label(_cell_text(u)) for u in uniques]
    mapped = [codes_map.get(n) for n in normalised]
    unknown = {
        i for i, (n, m) in enumerate(zip(normalised, mapped, strict=True)) if m is None and n
    }
    categories = list(column.allowed)
    lookup = np.array([categories.index(m) if m else -1 for m in mapped] + [-1], dtype=np.int64)
    category_codes = lookup[codes]  # codes of -1 (missing) index the trailing -1
    typed = pd.Series(
        pd.Categorical.from_codes(category_codes, categories=categories),
        index=values.index,
    )
    if not unknown:
        return typed, None
    bad = np.isin(codes, list(unknown))
    allowed = ", ".join(column.allowed)

    def message(value) -> str:
        denied = negated_code(column, _cell_text(value))
        if denied is not None:
            # 未签约 must never be offered as 'signed': say what it denies instead.
            return (
                f"not an allowed value; a negation of {denied!r} with no code of its own: "
                f"map it in {MAPPING_FILE} (codes:); allowed: {allowed}"
            )
        close = difflib.get_close_matches(
            normalise_label(_cell_text(value)), list(codes_map), n=1, cutoff=0.5
        )
        hint = f"did you mean {codes_map[close[0]]!r}? " if close else ""
        return f"not an allowed value; {hint}allowed: {allowed}"

    return typed, (message, bad)
