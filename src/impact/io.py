"""Reading a programme's files into typed pandas tables.

Town offices export spreadsheets with Chinese headers, GBK encodings and amounts written as
``1.2万``. This module finds the tables in a folder or workbook, maps every header spelling
to its column, and parses values column by column with vectorised string operations, so a
million-row file costs little more than reading it. Every value it cannot read becomes an
:class:`~impact.errors.Issue` naming file, row, column and value; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import difflib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .errors import Issue
from .schema import (
    TABLES,
    Column,
    Table,
    category_map,
    header_map,
    normalise_label,
    table_for_name,
)

STRING = pd.StringDtype("pyarrow")
CSV_SUFFIXES = {".csv", ".txt"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_TRUE = {"是", "有", "yes", "y", "true", "t", "1", "√", "✓", "对"}
_FALSE = {"否", "无", "no", "n", "false", "f", "0", "×", "✗", "不"}
_ENCODING_SAMPLE_BYTES = 1 << 20


@dataclass
class RawTable:
    """A table as found in a file, before parsing: original headers, raw values."""

    table: Table
    label: str  # how the user knows the file: "projects.csv" or "book.xlsx[项目]"
    frame: pd.DataFrame
    first_row: int  # row number a user sees for frame.iloc[0]: 2 under a header line


@dataclass
class ParsedTable:
    """A typed table and where its rows came from, for locating later problems."""

    table: Table
    label: str
    frame: pd.DataFrame
    first_row: int
    issues: list[Issue] = field(default_factory=list)

    def row_number(self, position: int | np.ndarray) -> int | np.ndarray:
        return position + self.first_row


# --------------------------------------------------------------------------- discovery


def discover(path: Path) -> tuple[list[RawTable], list[Issue]]:
    """Find and read every table under ``path``: a folder of CSV, Parquet or Excel files, or
    a single file. Unreadable files and unknown names are reported, not raised."""
    path = Path(path)
    issues: list[Issue] = []
    if not path.exists():
        return [], [Issue(str(path), None, None, "no such file or folder")]
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    raw_tables: list[RawTable] = []
    for file in files:
        suffix = file.suffix.lower()
        if file.name.startswith((".", "~$")) or suffix in {".yaml", ".yml", ".md", ".json"}:
            continue  # hidden files, Excel lock files, parameters and notes beside the data
        try:
            if suffix in EXCEL_SUFFIXES:
                found, problems = _read_workbook(file)
                raw_tables += found
                issues += problems
                continue
            if suffix not in CSV_SUFFIXES | PARQUET_SUFFIXES:
                issues.append(_skipped(file.name, "not a CSV, Parquet or .xlsx file"))
                continue
            table = table_for_name(file.stem)
            if table is None:
                issues.append(_unknown_table(file.name, file.stem))
                continue
            if suffix in PARQUET_SUFFIXES:
                names = pq.read_schema(file).names
                types = _column_types(table, names)
                categories = [h for h in names if types[h] == "category"]
                frame = arrow_to_pandas(pq.read_table(file, read_dictionary=categories))
                raw_tables.append(RawTable(table, file.name, frame, first_row=1))
            else:
                frame, problems = _read_csv(file, table)
                issues += problems
                if frame is not None:
                    raw_tables.append(RawTable(table, file.name, frame, first_row=2))
        except (OSError, ValueError, pa.ArrowException, zipfile.BadZipFile) as exc:
            # a corrupt, locked or unreadable file is the user's to fix, not a crash
            issues.append(Issue(file.name, None, None, f"cannot read file: {exc}"))
    names = [r.table.name for r in raw_tables]
    for name in sorted({n for n in names if names.count(n) > 1}):
        labels = ", ".join(r.label for r in raw_tables if r.table.name == name)
        issues.append(Issue(labels, None, None, f"more than one file holds table {name!r}"))
    if not raw_tables and not issues:
        issues.append(
            Issue(
                str(path),
                None,
                None,
                "no data files found (expected e.g. projects.csv, funding.csv)",
            )
        )
    return raw_tables, issues


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
    return _skipped(label, f"{name!r} is not a known table{hint}")


def _read_workbook(file: Path) -> tuple[list[RawTable], list[Issue]]:
    sheets = pd.read_excel(file, sheet_name=None, dtype=object, engine="openpyxl")
    found, issues = [], []
    for sheet, frame in sheets.items():
        label = f"{file.name}[{sheet}]"
        table = table_for_name(sheet)
        if table is None:
            issues.append(_unknown_table(label, sheet))
            continue
        frame = frame.dropna(how="all")  # Excel keeps formatted but empty rows
        frame = frame.loc[:, [not str(c).startswith("Unnamed:") for c in frame.columns]]
        found.append(RawTable(table, label, frame, first_row=2))
    return found, issues


# --------------------------------------------------------------------------- CSV


def detect_encoding(file: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, the superset of GBK and GB2312 that Chinese
    office software writes. Decided on the first megabyte."""
    with open(file, "rb") as handle:
        head = handle.read(_ENCODING_SAMPLE_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is not evidence against UTF-8.
        if not (len(head) == _ENCODING_SAMPLE_BYTES and exc.start >= len(head) - 3):
            return "gb18030"
    return "utf-8"


def _read_csv(file: Path, table: Table) -> tuple[pd.DataFrame | None, list[Issue]]:
    encoding = detect_encoding(file)
    header = _first_line_fields(file, encoding)
    if not header:
        return None, [Issue(file.name, 1, None, "file is empty: no header line")]
    if encoding.startswith("utf-8"):
        try:
            frame, issues = _arrow_csv(file, table, header, encoding)
        except pa.ArrowInvalid as exc:
            if "UTF8" not in str(exc):
                raise
            frame = None  # valid UTF-8 at the start, other bytes later
        if frame is not None and not any(
            frame[c].dtype == object and frame[c].map(type).eq(bytes).any() for c in frame.columns
        ):
            return frame, issues
    # GB18030 from the start, or a file whose later bytes are not UTF-8.
    return _arrow_csv(file, table, header, "gb18030")


def _column_types(table: Table, headers: list[str]) -> dict[str, str | None]:
    """Each header's column type (None for unknown headers), from one header map."""
    mapping = header_map(table)
    names = {h: mapping.get(normalise_label(h)) for h in headers}
    return {h: table.column(name).type if name else None for h, name in names.items()}


def _first_line_fields(file: Path, encoding: str) -> list[str]:
    with open(file, encoding=encoding, errors="replace", newline="") as handle:
        return next(csv.reader(handle), [])


def _arrow_csv(
    file: Path, table: Table, header: list[str], encoding: str
) -> tuple[pd.DataFrame, list[Issue]]:
    # Identifiers and text are read as text so that "001" keeps its zeros; codes are read
    # dictionary-encoded, so that parsing them later touches only their few distinct values.
    column_types = {}
    for h, kind in _column_types(table, header).items():
        if kind in ("id", "text"):
            column_types[h] = pa.string()
        elif kind == "category":
            column_types[h] = pa.dictionary(pa.int32(), pa.string())
    bad_rows: list[Issue] = []

    def on_invalid_row(row) -> str:
        where = row.number if row.number is not None else None
        bad_rows.append(
            Issue(
                file.name,
                where,
                None,
                f"row has {row.actual_columns} fields, header has "
                f"{row.expected_columns}; row skipped",
                row.text[:80],
            )
        )
        return "skip"

    read_options = pacsv.ReadOptions(encoding="utf8" if encoding.startswith("utf-8") else encoding)
    convert_options = pacsv.ConvertOptions(
        column_types=column_types, strings_can_be_null=True, quoted_strings_can_be_null=True
    )
    parse_options = pacsv.ParseOptions(invalid_row_handler=on_invalid_row)
    arrow_table = pacsv.read_csv(file, read_options, parse_options, convert_options)
    if bad_rows and any(i.row is None for i in bad_rows):
        # Row numbers are known only to a single-threaded parse; redo it for the report.
        bad_rows.clear()
        read_options.use_threads = False
        pacsv.read_csv(file, read_options, parse_options, convert_options)
        bad_rows[:] = [
            Issue(i.file, (i.row or 0) or None, i.column, i.message, i.value) for i in bad_rows
        ]
    return arrow_to_pandas(arrow_table), bad_rows


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
    table, label = raw.table, raw.label
    issues: list[Issue] = []
    mapping = header_map(table)
    renamed: dict[str, pd.Series] = {}
    for header in raw.frame.columns:
        name = mapping.get(normalise_label(header))
        if name is None:
            close = difflib.get_close_matches(normalise_label(header), list(mapping), n=1)
            hint = f"; did you mean {mapping[close[0]]!r}?" if close else ""
            issues.append(
                Issue(
                    label, 1, str(header), f"unknown column kept as it is{hint}", severity="warning"
                )
            )
            renamed[str(header)] = raw.frame[header]
            continue
        if name in renamed:
            issues.append(
                Issue(label, 1, str(header), f"second column for {name!r}; only the first is used")
            )
            continue
        renamed[name] = raw.frame[header]
    for column in table.columns:
        if column.required and column.name not in renamed:
            spellings = ", ".join((column.name, *column.aliases[:3]))
            issues.append(
                Issue(label, 1, column.name, f"required column missing (write one of: {spellings})")
            )

    parsed: dict[str, pd.Series] = {}
    for name, values in renamed.items():
        values = values.reset_index(drop=True)
        if name not in table.names:
            parsed[name] = values
            continue
        column = table.column(name)
        typed, bad = parse_column(values, column)
        parsed[name] = typed
        if bad is not None and bad[1].any():
            message, mask = bad
            for position in np.flatnonzero(mask):
                value = values.iloc[position]
                issues.append(
                    Issue(
                        label, int(position + raw.first_row), name, message(value), display(value)
                    )
                )
    frame = pd.DataFrame(parsed, index=pd.RangeIndex(len(raw.frame)), copy=False)
    return ParsedTable(table, label, frame, raw.first_row, issues)


def parse_column(values: pd.Series, column: Column):
    """Parse one column. Returns the typed series and, if some values could not be read,
    ``(message_for_value, bad_mask)``."""
    kind = column.type
    if kind in ("id", "text"):
        return _as_text(values, kind == "id"), None
    if kind == "category":
        return _as_category(values, column)
    if kind == "date":
        return _as_date(values)
    if kind == "bool":
        return _as_bool(values)
    return _as_number(values, kind)


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


def _as_number(values: pd.Series, kind: str):
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(object)
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64")
        blank = np.zeros(len(values), dtype=bool)
        unreadable = np.zeros(len(values), dtype=bool)
    else:
        text = _text_of(values).str.normalize("NFKC").str.strip()
        blank = _blank(text)
        text = text.str.replace(r"[,，\s]|元|人民币|rmb|RMB|¥|￥", "", regex=True)
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


def _as_date(values: pd.Series):
    blank = _blank(values)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dates = values.dt.normalize()
    else:
        text = _text_of(values, _date_text).str.normalize("NFKC").str.strip()
        text = text.str.replace(r"[年月/.]", "-", regex=True).str.replace(r"日$", "", regex=True)
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    dates = dates.astype("datetime64[s]") if len(dates) else dates
    unreadable = dates.isna().to_numpy() & ~blank
    if not unreadable.any():
        return dates, None
    return dates, (lambda v: "not a date (write 2022-07-01, 2022/7/1 or 2022年7月1日)", unreadable)


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


def _as_category(values: pd.Series, column: Column):
    codes_map = category_map(column)
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
        close = difflib.get_close_matches(
            normalise_label(_cell_text(value)), list(codes_map), n=1, cutoff=0.5
        )
        hint = f"did you mean {codes_map[close[0]]!r}? " if close else ""
        return f"not an allowed value; {hint}allowed: {allowed}"

    return typed, (message, bad)
