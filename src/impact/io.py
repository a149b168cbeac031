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
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import files as _files
from . import layout as _layout
from .errors import Issue
from .files import detect_encoding  # noqa: F401  (part of this module's interface)
from .indicators import CATALOGUE, indicator_code, recognise
from .mapping import KEEP, UserMapping, _quote, load_mapping, suggestion
from .schema import (
    HEADER_SCALE,
    TABLES,
    Column,
    Table,
    category_map,
    header_key,
    header_map,
    match_code,
    negated_code,
    normalise_label,
    qualified_column,
    split_unit,
    to_simplified,
)
from .sheets import (
    CSV_SUFFIXES,
    EXCEL_SUFFIXES,
    PARQUET_SUFFIXES,
    RawTable,
    arrow_to_pandas,
    column_name,
    header_types,
    read_csv_table,
    read_workbook,
    skipped,
    table_named,
    unknown_table,
)
from .values import (  # noqa: F401  (part of this interface)
    _NONE_WRITTEN,
    STRING,
    chinese_number,
    display,
    nearest_code,
    parse_column,
)

_CATALOGUE_CODES = {i.code for i in CATALOGUE}
_PROJECT_HEADERS = header_map(TABLES["projects"])


@dataclass
class ParsedTable:
    """A typed table and where its rows came from, for locating later problems."""

    table: Table
    label: str
    frame: pd.DataFrame
    first_row: int
    issues: list[Issue] = field(default_factory=list)
    rows: np.ndarray | None = None

    labels: np.ndarray | None = None  # each row's file or sheet, when several were merged
    # values that could not be read and were left blank, per column (what strict=False keeps)
    blanked: dict[str, int] = field(default_factory=dict)

    def row_number(self, position: int | np.ndarray) -> int | np.ndarray:
        """The spreadsheet row of a frame position (or array of positions)."""
        if self.rows is not None:
            return self.rows[position]
        return position + self.first_row

    def label_at(self, position: int) -> str:
        """The file or sheet a frame position came from."""
        return self.label if self.labels is None else str(self.labels[position])

    def place(self, position: int) -> str:
        """Where a row is, for a message about another row: ``row 3``, or ``sheet:3`` when
        the table was read from several sheets."""
        row = int(self.row_number(position))
        return f"row {row}" if self.labels is None else f"{self.label_at(position)}:{row}"


def same_workbook(first: str, second: str) -> bool:
    """Whether two labels (``book.xlsx[第一期], book.xlsx[第二期]``) are sheets of one
    workbook; a label of merged sheets lists them all."""
    books = {part.partition("[")[0] for label in (first, second) for part in label.split(", ")}
    return len(books) == 1 and first.endswith("]") and second.endswith("]")


def merge_parsed(parts: list[ParsedTable]) -> ParsedTable:
    """One table read from several sheets of a workbook (a sheet per round): the rows one
    after another, each keeping its sheet and row for messages."""
    first = parts[0]
    frames = [p.frame for p in parts]
    frame = pd.concat(frames, ignore_index=True, sort=False)
    for column in frame.columns:
        kinds = {str(f[column].dtype) for f in frames if column in f}
        if len(kinds) == 1 and str(frame[column].dtype) != next(iter(kinds)):
            source = next(f[column] for f in frames if column in f)
            try:
                frame[column] = frame[column].astype(source.dtype)
            except (TypeError, ValueError):
                pass  # left as pandas combined it
    rows = np.concatenate([np.asarray(p.row_number(np.arange(len(p.frame)))) for p in parts])
    labels = np.concatenate(
        [
            p.labels if p.labels is not None else np.full(len(p.frame), p.label, dtype=object)
            for p in parts
        ]
    )
    label = ", ".join(p.label for p in parts)
    issues = [i for p in parts for i in p.issues]
    blanked: dict[str, int] = {}
    for part in parts:
        for column, count in part.blanked.items():
            blanked[column] = blanked.get(column, 0) + count
    return ParsedTable(first.table, label, frame, first.first_row, issues, rows, labels, blanked)


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
    raw_tables, issues = _set_aside_lookalikes(raw_tables, issues)
    names = [r.table.name for r in raw_tables]
    for name in sorted({n for n in names if names.count(n) > 1}):
        holding = [r for r in raw_tables if r.table.name == name]
        labels = ", ".join(r.label for r in holding)
        per_round = [_round_of_name(_name_of(r.label)) for r in holding]
        by_round = None not in per_round and len(set(per_round)) == len(per_round)
        if by_round or all(same_workbook(holding[0].label, r.label) for r in holding):
            # a sheet (or a file) per round (第一期项目, 第二期项目): one table
            issues += rounds_from_sheet_names(holding)
            for raw in holding:
                raw.merge = True
            what = "sheets" if all(r.label.endswith("]") for r in holding) else "files"
            issues.append(
                Issue(
                    labels,
                    None,
                    None,
                    f"{len(holding)} {what} hold table {name!r}: read together, one after another",
                    severity="note",
                )
            )
            continue
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


_TOLD_BY = {"name": 0, "hint": 1, "content": 2}  # how surely a file's table was told


def _set_aside_lookalikes(raw_tables: list[RawTable], issues: list[Issue]):
    """Where several files hold one table and one of them is surely it, the look-alikes are
    left aside with a warning, rather than all of them together refusing the data set: a
    file named for the table (项目汇总表.csv, a sheet 项目) beats one taken by its headers
    alone (a score sheet with 项目编号, 项目名称, 申报单位), and of two told alike, one with
    every required column beats one lacking some (a review list with no stage). Files told
    apart no better than that stay an error (:func:`discover`); sheets of one workbook are
    read together."""
    rank = {id(raw): (_TOLD_BY[raw.found_by], len(_lacking(raw))) for raw in raw_tables}
    kept: list[RawTable] = []
    issues = list(issues)
    for raw in raw_tables:
        rivals = [
            r
            for r in raw_tables
            if r.table.name == raw.table.name
            and r is not raw
            and not same_workbook(r.label, raw.label)
            and not _rounds_apart(r, raw)
            and rank[id(r)] < rank[id(raw)]
        ]
        if not rivals:
            kept.append(raw)
            continue
        surest = min(rivals, key=lambda r: rank[id(r)])
        if rank[id(surest)][0] < rank[id(raw)][0]:
            how = " by its name" if surest.found_by == "name" else ""
        else:
            how = f", with the columns this one lacks ({', '.join(_lacking(raw))})"
        issues.append(
            skipped(
                raw.label,
                f"its headers look like table {raw.table.name!r}, but {surest.label} holds "
                f"that table{how}: left aside; if it holds another table, name it under "
                f"`tables:` in {raw.mapping.source}",
            )
        )
    return kept, issues


def _rounds_apart(first: RawTable, second: RawTable) -> bool:
    """Two files whose names give two rounds (第一期项目.csv, 第二期项目.csv): a table in
    parts, one per round, never look-alikes of each other."""
    rounds = {_round_of_name(_name_of(r.label)) for r in (first, second)}
    return None not in rounds and len(rounds) == 2


def _lacking(raw: RawTable) -> list[str]:
    """Required columns a table as found has no header for, beside the programme and round
    a single-programme data set gives every table."""
    return [
        c.name
        for c in raw.table.columns
        if c.required and c.name not in ("programme_id", "round") and not has_column(raw, c.name)
    ]


def _read_file(file: Path, suffix: str, mapping: UserMapping):
    if suffix in _files.OLD_EXCEL_SUFFIXES:
        return [], [_files.old_excel_problem(file)]
    if suffix in EXCEL_SUFFIXES:
        return read_workbook(file, mapping)
    if suffix not in CSV_SUFFIXES | PARQUET_SUFFIXES:
        return [], [skipped(file.name, "not a CSV, Parquet or .xlsx file")]
    table = table_named(file.stem, mapping)
    if suffix in PARQUET_SUFFIXES:
        if table is None:
            return [], [unknown_table(file.name, file.stem)]
        names = pq.read_schema(file).names
        types = header_types(table, names, mapping)
        categories = [h for h in names if types[h] == "category"]
        frame = arrow_to_pandas(pq.read_table(file, read_dictionary=categories))
        return [RawTable(table, file.name, frame, first_row=1, mapping=mapping)], []
    return read_csv_table(file, table, mapping)


# --------------------------------------------------------------------------- parsing


def parse(raw: RawTable) -> ParsedTable:
    """Map headers to columns and parse every column to its type, collecting every problem."""
    raw, issues = _long_indicators(raw)
    if not issues:
        raw, issues = _long_funding(raw)
    table, label, mapping = raw.table, raw.label, raw.mapping
    spellings = header_map(table)
    renamed: dict[str, pd.Series] = {}
    scales: dict[str, tuple[float, str]] = {}
    unmatched: list[str] = []
    indicator_columns: dict[str, str] = {}  # code → header, for indicators written as columns
    chosen: dict[str, str] = {}  # column → the header it was read from
    qualified, found = _qualified_headers(raw, spellings)
    issues += found
    reported = {i.column for i in found if i.severity != "note"}
    for header in raw.frame.columns:
        text = str(header)
        user = mapping.column_for(table.name, text)
        if user is None and _layout.is_serial_header(text):
            issues.append(
                Issue(label, raw.header_row, text, "row-number column left out", None, "note")
            )
            continue
        name = column_name(table, text, mapping, spellings) or qualified.get(text)
        if name == "applicant_type" and user is None and _names_beside_types(raw, header):
            # 申报主体 holding names beside 主体类型 holding types: the names are the names
            name = "applicant_name"
            issues.append(
                Issue(
                    label,
                    raw.header_row,
                    text,
                    "holds names, not applicant types, beside a column of types: read as "
                    "applicant_name",
                    severity="note",
                )
            )
        code = None if name or user else indicator_code(text, mapping.indicators)
        if code is not None and table.name != "indicators" and code not in renamed:
            # an output indicator written as a column (活动场次): kept under its code
            renamed[code] = raw.frame[header]
            indicator_columns[code] = text
            continue
        if name is None:
            renamed[text] = raw.frame[header]
            if user != KEEP and text not in reported:
                unmatched.append(text)
            continue
        if name in renamed:
            # two headers for one column (编号 and 项目编号): the more specific spelling
            # is used, the other kept under its own name with a warning
            first = chosen[name]
            column = table.column(name)
            rank = _spelling_rank
            if rank(text, table, column, mapping) < rank(first, table, column, mapping):
                renamed[first] = renamed.pop(name)
                scales.pop(name, None)
                used, other = text, first
            else:
                renamed[text] = raw.frame[header]
                used, other = first, text
            mapped = [h for h in (used, other) if mapping.column_for(table.name, h) == name]
            if mapped:
                # the mapping file gives a column a header that another header names:
                # refused, never settled by taking one (titles read as keys)
                message = (
                    f"{mapped[0]!r} is mapped to {name!r} in {mapping.source}, but "
                    f"{(other if mapped[0] == used else used)!r} is a header for it too: a "
                    f"column takes one header; change that line, or map one of them to "
                    f"`{KEEP}`"
                )
                severity = "error"
            else:
                message = (
                    f"a second column for {name!r}: {used!r} is used, this one is kept under "
                    f"its own name; map the right one in {mapping.source} if that is wrong"
                )
                # two amounts for one figure must be settled: the sums depend on it
                severity = "error" if column.type in _FIGURES else "warning"
            issues.append(
                Issue(
                    label,
                    raw.header_row,
                    other,
                    message,
                    severity=severity,
                    suggestion=None if mapped else suggestion(table.name, "headers", other, KEEP),
                )
            )
            if used == first:
                continue
        renamed[name] = raw.frame[header]
        chosen[name] = text
        unit = header_key(text)[1]
        if unit in HEADER_SCALE and table.column(name).type in ("money", "number"):
            scales[name] = (HEADER_SCALE[unit], unit)
    issues += _names_not_types(raw, renamed)
    issues += _name_as_identifier(raw, renamed)
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
    blanked: dict[str, int] = {}
    round_labels = None  # each row's round as written, where it is a name (2020年第三期)
    for name, values in renamed.items():
        values = values.reset_index(drop=True)
        if name in indicator_columns:
            parsed[name], found = _indicator_column(raw, name, indicator_columns[name], values)
            issues += found
            unread = sum(1 for i in found if i.row is not None and i.severity == "warning")
            if unread:
                blanked[name] = unread
            continue
        if name not in table.names:
            parsed[name] = values
            continue
        column = table.column(name)
        notes: list[tuple[np.ndarray, str]] = []
        if name == "round" and column.type == "int":
            values, labels, found = _rounds_written(raw, values)
            issues += found
            if labels is not None:
                round_labels = labels
        typed, bad = parse_column(values, column, notes, mapping.codes.get(table.name, {}))
        if name in scales:
            factor, unit = scales[name]
            own = _own_unit(values)
            typed = typed.where(own, typed * factor)
            kept = f"; {int(own.sum())} value(s) with their own unit (元, 万) read as written"
            issues.append(
                Issue(
                    label,
                    raw.header_row,
                    name,
                    f"header gives the unit {unit}: values multiplied by {factor:,.0f}"
                    + (kept if own.any() else ""),
                    severity="note",
                )
            )
        if table.name == "people" and name == "role" and bad is not None:
            typed, bad, found = _other_roles(raw, typed, bad, values)
            if found:
                written = values.astype(object).map(_layout.cell_text, na_action="ignore")
                parsed["role_as_written"] = written.astype(STRING)
            issues += found
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
            blanked[name] = len(positions)
            for position, row in zip(positions, _row_numbers(raw, positions), strict=True):
                value = values.iloc[position]
                issues.append(
                    Issue(
                        label,
                        int(row),
                        name,
                        message(value),
                        display(value),
                        suggestion=_code_suggestion(table, column, value, mapping),
                    )
                )
    if round_labels is not None:
        issues += _keep_round_labels(raw, parsed, round_labels)
    frame = pd.DataFrame(parsed, index=pd.RangeIndex(len(raw.frame)), copy=False)
    columns_of = {header: name for name, header in chosen.items()}
    columns_of |= {header: code for code, header in indicator_columns.items()}
    issues += _check_totals(raw, frame, scales, columns_of)
    issues += _check_breakdowns(raw, frame, scales, columns_of)
    return ParsedTable(table, label, frame, raw.first_row, issues, raw.rows, blanked=blanked)


def _qualified_headers(raw: RawTable, spellings: dict[str, str]):
    """Headers that name a column with a qualifier around its name (执行团队骨干人数 is
    team_size, 上届项目编号 the predecessor's identifier), each read as that column with a
    note. Only columns no other header names are offered; a header in which two names fit
    (资助金额及自筹资金) stays unknown, and so do two headers that would take one column,
    each with a warning naming the columns. Returns header → column, and the issues."""
    table, mapping = raw.table, raw.mapping
    headers = [str(h) for h in raw.frame.columns]
    exact = {h: column_name(table, h, mapping, spellings) for h in headers}
    taken = {n for n in exact.values() if n} | set(mapping.values.get(table.name, {}))
    reads: dict[str, tuple[str, str]] = {}
    issues: list[Issue] = []
    for header in headers:
        if exact[header] or mapping.column_for(table.name, header) is not None:
            continue
        if _layout.is_serial_header(header) or indicator_code(header, mapping.indicators):
            continue
        found = qualified_column(header, table, taken)
        if found.column is not None:
            reads[header] = (found.column, found.spelling)
        elif found.candidates:
            names = " and ".join(f"{n!r} ({c})" for c, n in found.candidates)
            money = any(table.column(c).type in _FIGURES for c, _ in found.candidates)
            issues.append(
                Issue(
                    raw.label,
                    raw.header_row,
                    header,
                    f"holds the names of more than one column, {names}: kept under its own "
                    f"name; map it to the one it holds in {mapping.source} (under "
                    f"{table.name}: headers:), or to `{KEEP}`",
                    # a figure left unread would make sums wrong without a word
                    severity="error" if money else "warning",
                )
            )
    by_column: dict[str, list[str]] = {}
    for header, (column, _) in reads.items():
        by_column.setdefault(column, []).append(header)
    chosen: dict[str, str] = {}
    for column, holding in by_column.items():
        if len(holding) > 1:
            for header in holding:
                issues.append(
                    Issue(
                        raw.label,
                        raw.header_row,
                        header,
                        f"{' and '.join(map(repr, holding))} both name {column!r} with words "
                        f"around it: kept under their own names; map the one that holds it in "
                        f"{mapping.source} (under {table.name}: headers:)",
                        severity="warning",
                    )
                )
            continue
        header = holding[0]
        chosen[header] = column
        issues.append(
            Issue(
                raw.label,
                raw.header_row,
                header,
                f"read as {column!r}: the header holds its name {reads[header][1]!r} with words "
                f"around it; map it in {mapping.source} if that is wrong",
                severity="note",
            )
        )
    return chosen, issues


# A table listed by name with no identifier column: the name serves as the identifier.
_NAME_AS_ID = {
    "projects": ("project_id", "title"),
    "organisations": ("organisation_id", "name"),
    "community_funds": ("fund_id", "name"),
    "communities": ("community_id", "name"),
}


def _name_as_identifier(raw: RawTable, renamed: dict[str, pd.Series]) -> list[Issue]:
    """Offices often list projects or organisations by name with no code (项目名称 but no
    项目编号): the name then identifies the row, said in a note. Two rows with one name are
    reported as a duplicate key, as any identifier would be."""
    identifier, name = _NAME_AS_ID.get(raw.table.name, (None, None))
    if identifier is None or identifier in renamed or name not in renamed:
        return []
    if identifier in raw.mapping.values.get(raw.table.name, {}):
        return []
    columns = list(renamed.items())
    renamed.clear()
    renamed[identifier] = dict(columns)[name]  # first, where an identifier column stands
    renamed.update(columns)
    header = next(
        (str(h) for h in raw.frame.columns if column_name(raw.table, str(h), raw.mapping) == name),
        name,
    )
    return [
        Issue(
            raw.label,
            raw.header_row,
            identifier,
            f"no identifier column: the names under {header!r} serve as {identifier}",
            severity="note",
        )
    ]


_FIGURES = ("money", "count", "number", "share", "ratio")


def _code_suggestion(table: Table, column: Column, value, mapping: UserMapping) -> str | None:
    """The mapping-file lines that would read an unknown code as the nearest allowed one
    (``codes: stage: 已评审: shortlisted``); None for other columns, for a negation (never
    offered as what it denies), for a value several codes fit, and when no code is clearly
    near (:func:`impact.values.nearest_code`)."""
    if column.type != "category" or value is None:
        return None
    written = display(value)
    if not written or negated_code(column, written) is not None:
        return None
    codes = category_map(column) | mapping.codes.get(table.name, {}).get(column.name, {})
    if match_code(normalise_label(written), codes)[1]:
        return None  # several codes fit: the user chooses, nothing is offered
    close = nearest_code(written, codes)
    if close is None:
        return None
    return f"{table.name}:\n  codes:\n    {column.name}:\n      {_quote(written)}: {close}"


def _spelling_rank(header: str, table: Table, column: Column, mapping: UserMapping) -> int:
    """How specific a header is for ``column``: first if the mapping file names it, then the
    position of its spelling in the column's list (the name, then the most usual spellings;
    编号 comes after 项目编号)."""
    if mapping.column_for(table.name, header) is not None:
        return -1
    key = header_key(header)[0]
    spellings = [normalise_label(s) for s in (column.name, *column.aliases)]
    if key in spellings:
        return spellings.index(key)
    return len(spellings)  # matched through the mapping file or 所属…


def _names_not_types(raw: RawTable, renamed: dict[str, pd.Series]) -> list[Issue]:
    """A column whose header says applicant type (申报主体) but which holds the applicants'
    names (洲村志愿队, 河村居委会), in a table with no name column: read as the names, with
    a note, rather than refused row by row as unknown types."""
    table = raw.table
    if "applicant_type" not in renamed or "applicant_name" not in table.names:
        return []
    if "applicant_name" in renamed:
        return []
    values = renamed["applicant_type"]
    written = {normalise_label(_layout.cell_text(v)) for v in values.dropna().unique()}
    written.discard("")
    codes = category_map(table.column("applicant_type")) | raw.mapping.codes.get(
        table.name, {}
    ).get("applicant_type", {})
    known = sum(1 for w in written if w in codes)
    if not written or known * 2 >= len(written):
        return []
    renamed["applicant_name"] = renamed.pop("applicant_type")
    header = next(
        (
            str(h)
            for h in raw.frame.columns
            if column_name(table, str(h), raw.mapping) == "applicant_type"
        ),
        "applicant_type",
    )
    return [
        Issue(
            raw.label,
            raw.header_row,
            header,
            f"holds names, not applicant types ({len(written) - known} of {len(written)} "
            "values are no type): read as applicant_name",
            severity="note",
        )
    ]


def _other_roles(raw: RawTable, typed: pd.Series, bad, values: pd.Series):
    """A roster's own words for kinds of people (一般能人, 文体达人) read as ``other`` with a
    warning naming them, their words kept: the roster still counts its people. A value
    several roles fit (骨干能人) or a negation stays an error."""
    message, mask = bad
    written = values.astype(object).map(_layout.cell_text, na_action="ignore")
    ambiguous = np.array(
        [bool(w) and "could be" in message(w) or "negation" in message(w) for w in written]
    )
    other = mask & ~ambiguous
    if not other.any():
        return typed, bad, []
    typed = typed.copy()
    typed[other] = "other"
    words = ", ".join(sorted(set(written[other])))
    issue = Issue(
        raw.label,
        raw.header_row,
        "role",
        f"{int(other.sum())} person(s) listed under a word that is no role of the data model, "
        f"read as 'other' (words kept in role_as_written): {words}; map them in "
        f"{raw.mapping.source} (people: codes: role:) if they are leaders, active residents, "
        "core members, volunteers, partners or party members",
        severity="warning",
    )
    left = mask & ambiguous
    return typed, ((message, left) if left.any() else None), [issue]


def _names_beside_types(raw: RawTable, header) -> bool:
    """Whether a column headed as the applicant type holds names while another column of
    the table, also headed as the type, holds types (申报主体 and 主体类型), and no column is
    headed as the name."""
    table, mapping = raw.table, raw.mapping
    if "applicant_name" not in table.names:
        return False
    heads = {str(h): column_name(table, str(h), mapping) for h in raw.frame.columns}
    typed = [h for h, n in heads.items() if n == "applicant_type" and h != str(header)]
    if not typed or "applicant_name" in heads.values():
        return False
    codes = category_map(table.column("applicant_type"))

    def share_of_codes(column) -> float:
        written = {normalise_label(_layout.cell_text(v)) for v in raw.frame[column].dropna()}
        written.discard("")
        # as listed or by stem: a name (荷花居委会) holds a code word but is no code
        known = sum(
            1
            for w in written
            if match_code(w, codes)[2] in ("", "stem") and match_code(w, codes)[0] is not None
        )
        return known / len(written) if written else 1.0

    return share_of_codes(header) < 0.5 <= max(share_of_codes(h) for h in typed)


def _own_unit(values: pd.Series) -> np.ndarray:
    """Cells that carry their own unit (1.5万, 2000元, ¥300): in a column whose header says
    万元, such a cell is read as written, not multiplied again."""
    if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype):
        return np.zeros(len(values), dtype=bool)
    text = values.astype(object).map(_layout.cell_text, na_action="ignore")
    found = text.str.contains(r"[万亿千元¥￥]|人民币|(?i:rmb|cny)", regex=True, na=False)
    return found.to_numpy(dtype=bool)


def _long_indicators(raw: RawTable) -> tuple[RawTable, list[Issue]]:
    """An indicators sheet written wide (项目编号, 活动场次, 服务居民人次 …) as one row per
    project and indicator. A header ``计划/活动场次`` gives the period (plan) too. Blank
    cells hold no value and give no row."""
    if raw.table.name != "indicators":
        return raw, []
    spellings = header_map(raw.table)
    names = {str(h): column_name(raw.table, str(h), raw.mapping, spellings) for h in raw.frame}
    known = set(names.values())
    if "indicator" in known or "value" in known or "project_id" not in known:
        return raw, []
    period_codes = category_map(raw.table.column("period"))
    wide = [
        h
        for h, n in names.items()
        if n is None
        and not _layout.is_serial_header(h)
        and raw.mapping.column_for("indicators", h) != KEEP
        and not _describes_row(h, raw)
    ]
    if not wide:
        return raw, []
    keys = [h for h in names if h not in wide]
    frame = raw.frame.rename(columns=str)
    rows = raw.rows if raw.rows is not None else np.arange(len(frame)) + raw.first_row
    parts = []
    for header in wide:
        period, sub = _period_of_header(header, raw.groups.get(header, ""), period_codes, raw)
        part = frame[keys].copy()
        part["指标"] = sub if period else header
        if period:
            part["阶段"] = period
        part["数值"] = frame[header]
        part["__row"] = rows
        parts.append(part[_written(frame[header])])
    long, numbers = _stacked(parts)
    note = Issue(
        raw.label,
        raw.header_row,
        None,
        f"indicators written across {len(wide)} columns read as one row per project and "
        f"indicator: {', '.join(wide[:10])}",
        severity="note",
    )
    long = long.reset_index(drop=True)
    checked = _wide_totals(raw, wide, frame)
    checked += [_breakdown_note(raw, part) for part in raw.breakdowns]
    return replace(raw, frame=long, rows=numbers, totals=[], breakdowns=[]), [note, *checked]


def _written(values: pd.Series) -> np.ndarray:
    """Cells that hold a value: a blank cell, or one written as nothing (/, —, 无), gives no
    row when a wide sheet is read long."""
    texts = values.map(_layout.cell_text).astype(str)
    return (texts.astype(bool) & ~texts.str.lower().str.fullmatch(_NONE_WRITTEN)).to_numpy(
        dtype=bool
    )


def _stacked(parts: list[pd.DataFrame]) -> tuple[pd.DataFrame, np.ndarray]:
    """The long table of a wide sheet's parts in the sheet's row order, and those rows."""
    long = pd.concat(parts, ignore_index=True).sort_values("__row", kind="stable")
    return long, long.pop("__row").to_numpy()


def _long_funding(raw: RawTable) -> tuple[RawTable, list[Issue]]:
    """A funding sheet written wide (项目编号, 种子资金, 配比资金, 社会捐赠 …: a column per
    source) as one line per project and source. A unit in a header (万元) stays with its
    values; blank cells, and cells written as nothing, give no line."""
    if raw.table.name != "funding":
        return raw, []
    spellings = header_map(raw.table)
    names = {str(h): column_name(raw.table, str(h), raw.mapping, spellings) for h in raw.frame}
    known = set(names.values())
    if "source" in known or "amount_yuan" in known or "project_id" not in known:
        return raw, []
    codes = category_map(raw.table.column("source")) | raw.mapping.codes.get("funding", {}).get(
        "source", {}
    )
    # a source as offices head it: 社会捐赠, 居民户捐 (a code word inside), 企业捐赠类; not
    # a column kept by the mapping file, nor one that counts or describes (捐款户数)
    sources = {
        h: match_code(header_key(h)[0], codes)
        for h, n in names.items()
        if n is None and raw.mapping.column_for("funding", h) != KEEP
    }
    wide = {
        h: code
        for h, (code, _, how) in sources.items()
        if code is not None and not (how and _NOT_AN_AMOUNT.search(header_key(h)[0]))
    }
    if not wide:
        return raw, []
    for header, name in names.items():
        # beside known sources, an unknown column of amounts (场地支持) is a source too: its
        # lines then say it is not a known source, rather than its money being left aside
        if name is None and header not in wide and _all_numbers(raw.frame[header]):
            if raw.mapping.column_for("funding", header) != KEEP:
                wide[header] = "?"
    keys = [h for h in names if h not in wide]
    frame = raw.frame.rename(columns=str)
    rows = raw.rows if raw.rows is not None else np.arange(len(frame)) + raw.first_row
    parts = []
    for header in wide:
        unit = header_key(header)[1]
        part = frame[keys].copy()
        part["资金来源"] = split_unit(header)[0]
        values = frame[header]
        if unit in HEADER_SCALE:
            own = _own_unit(values)
            values = values.map(_layout.cell_text, na_action="ignore")
            values = values.where(own | values.isna() | (values == ""), values + unit)
        part["金额"] = values
        part["__row"] = rows
        parts.append(part[_written(frame[header])])
    long, numbers = _stacked(parts)
    note = Issue(
        raw.label,
        raw.header_row,
        None,
        f"funding written across {len(wide)} columns read as one line per project and "
        f"source: {', '.join(f'{h} → {c}' for h, c in wide.items() if c != '?')}",
        severity="note",
    )
    checked = _wide_totals(raw, list(wide), frame)
    checked += [_breakdown_note(raw, part) for part in raw.breakdowns]
    long = long.reset_index(drop=True)
    return replace(raw, frame=long, rows=numbers, totals=[], breakdowns=[]), [note, *checked]


# Words that make a header beside the amounts something else than an amount of a source.
_NOT_AN_AMOUNT = re.compile(
    r"户数|人数|次数|人次|数量|个数|笔数|率|比例|%|说明|备注|日期|时间|方式|名称"
)


def _all_numbers(values: pd.Series) -> bool:
    """Whether every filled cell of a column is a number (2000, 1,200, 1.5万, 300元)."""
    texts = values.dropna().map(_layout.cell_text)
    texts = texts[(texts != "") & ~texts.str.lower().str.fullmatch(_NONE_WRITTEN)]
    if texts.empty:
        return False
    _, bad = parse_column(texts.reset_index(drop=True).astype(object), Column("v", "money", ""))
    return bad is None


def _wide_totals(raw: RawTable, wide: list[str], frame: pd.DataFrame) -> list[Issue]:
    """The totals rows of a wide indicator sheet, named and checked column by column
    against the rows they total, before the sheet is turned into one row per indicator."""
    issues: list[Issue] = []
    start = 0
    spec = Column("value", "number", "indicator")
    for totals in raw.totals:
        first = start if totals.subtotal else 0
        block = frame.iloc[first : totals.data_before]
        checked: list[str] = []
        for header in wide:
            value = totals.cells.get(header)
            text = _layout.cell_text(value)
            if not text or _layout.is_totals_label(text):
                continue
            typed, bad = parse_column(pd.Series([value], dtype=object), spec)
            if bad is not None or pd.isna(typed.iloc[0]):
                continue
            stated = float(typed.iloc[0])
            summed = float(parse_column(block[header].reset_index(drop=True), spec)[0].sum())
            if abs(stated - summed) > 0.5 + 1e-9 * abs(summed):
                issues.append(
                    Issue(
                        raw.label,
                        totals.row,
                        header,
                        f"the totals row gives {stated:,.2f} but the rows it totals sum to "
                        f"{summed:,.2f}",
                        display(value),
                        "warning",
                    )
                )
            else:
                checked.append(header)
        issues.append(_left_out(raw, totals, checked))
        if totals.subtotal:
            start = totals.data_before
    return issues


def _left_out(raw, totals, checked: list[str]) -> Issue:
    """The note for a totals row left out of the data, naming the columns it agrees on."""
    agreed = f"; agrees with the rows on {', '.join(checked)}" if checked else ""
    return Issue(
        raw.label,
        totals.row,
        None,
        f"totals row {totals.label!r} left out of the data{agreed}",
        severity="note",
    )


# Headers on a wide indicator sheet that describe the project rather than give an indicator
# (项目名称, 所属社区, 备注): kept beside every indicator row of the project.
_DESCRIPTIVE = re.compile(
    r"备注|说明|名称|负责人|联系|电话|地址|社区|单位|主体|团队|类别|类型|层级"
)


def _describes_row(header: str, raw: RawTable) -> bool:
    """Whether a column of a wide indicator sheet describes the project (its title, its
    community, a note) or is derived from the indicators (完成率): kept as a column, not read
    as an indicator whose values would all be "not a number"."""
    above, _, sub = header.rpartition("/")
    group = above or raw.groups.get(header, "")
    if _DERIVED.search(normalise_label(group)) or _DERIVED.search(normalise_label(sub)):
        return True
    codes = category_map(raw.table.column("period"))
    if (
        indicator_code(sub, raw.mapping.indicators)
        or _period_of_header(header, raw.groups.get(header, ""), codes, raw)[0]
    ):
        return False
    if header_key(header)[0] not in _PROJECT_HEADERS and not _DESCRIPTIVE.search(
        split_unit(header)[0]
    ):
        return False
    # 社区活动场次 names a community but holds counts: an indicator after all
    values = raw.frame[header].dropna().map(_layout.cell_text)
    values = values[values != ""]
    numbers = pd.to_numeric(values.str.replace(",", "", regex=False), errors="coerce")
    return values.empty or bool(numbers.isna().any())


# Words that give a group of indicator columns its period (计划 / 中期 / 结项 over the
# indicator names, or 实际完成, 目标值 …); the first that matches wins, so 中期实际 is mid-term.
_PERIOD_WORDS = (
    ("midterm", re.compile(r"中期|mid_?term", re.I)),
    ("plan", re.compile(r"计划|目标|预期|预计|申报|plan|target|expected", re.I)),
    ("final", re.compile(r"结项|终期|期末|末期|最终|实际|完成|达成|final|actual|achieved", re.I)),
)
# A group that holds no value of the indicator but something derived from it (完成率, 差额).
_DERIVED = re.compile(r"率|%|比例|比率|差额|差值|偏差|rate|ratio|share", re.I)
_BRACKETED = re.compile(r"^(?P<name>.+?)\s*[(（【\[](?P<inner>[^)）】\]]+)[)）】\]]$")


def _period_word(text: str, codes: dict[str, str]) -> str | None:
    """The period a group cell or header part names (计划, 结项, 实际完成, 中期评估), or None."""
    key = normalise_label(split_unit(text)[0])
    if not key:
        return None
    if key in codes:
        return codes[key]
    if _DERIVED.search(key):
        return None
    return next((code for code, pattern in _PERIOD_WORDS if pattern.search(key)), None)


def _period_of_header(
    header: str, group: str, codes: dict[str, str], raw: RawTable
) -> tuple[str | None, str]:
    """The period and indicator name of a wide indicator column: from the group cell over it
    (``结项`` merged over 活动场次 …, flattened to 活动场次 when alone, ``计划/活动场次`` when
    the names repeat under several groups), or from a period word in the header itself
    (``计划活动场次``, ``活动场次（结项）``) around a name the catalogue knows."""
    above, _, sub = header.rpartition("/")
    if above:
        period = _period_word(above, codes)
        if period:
            return period, sub
    if group:
        period = _period_word(group, codes)
        if period:
            return period, header
    bracketed = _BRACKETED.match(header)
    if bracketed and indicator_code(bracketed["name"], raw.mapping.indicators):
        period = _period_word(bracketed["inner"], codes)
        if period:
            return period, bracketed["name"]
    name = split_unit(header)[0]
    for code, pattern in _PERIOD_WORDS:
        for end in (pattern.match(name), _last(pattern, name)):
            if end is None:
                continue
            rest = (name[end.end() :] if end.start() == 0 else name[: end.start()]).strip()
            rest = rest.strip("_-—:：·")
            if rest and indicator_code(rest, raw.mapping.indicators):
                return code, header.replace(name, rest, 1)
    return None, header


def _last(pattern: re.Pattern, text: str) -> re.Match | None:
    """A match of ``pattern`` that ends ``text`` (活动场次计划 ends with 计划)."""
    found = [m for m in pattern.finditer(text) if m.end() == len(text) and m.start() > 0]
    return found[-1] if found else None


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
        candidates = [
            h
            for h in candidates
            if h not in claimed
            and _resemblance(h, column) >= _CANDIDATE_RESEMBLANCE
            and not _DERIVED.search(normalise_label(h))
        ]
        if not candidates:
            spellings = ", ".join((column.name, *column.aliases[:3]))
            guess = _guess_from_title(column.name, (*raw.title, label))
            if column.name == "stage" and "grant_yuan" in renamed:
                guess = "approved"  # a list of funded projects, with no stage written
            elif column.name == "stage" and "partner_type" in renamed:
                guess = "signed"  # a list of partners, each signed up
            fixed = (
                f"; or give one value for every row under `{table.name}: values:` in {source}"
                if column.type in ("id", "int") or guess
                else ""
            )
            issues.append(
                Issue(
                    label,
                    row,
                    column.name,
                    f"required column missing (write one of: {spellings}){fixed}",
                    suggestion=suggestion(table.name, "values", column.name, guess)
                    if guess
                    else None,
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
        if header_key(header)[0] in _NOTES_HEADERS:
            issues.append(Issue(label, row, header, "notes column kept as it is", None, "note"))
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
        # never offered: a column another header already fills (its line would make two
        # headers for one column, and the titles could be read as keys)
        spellings = {k: c for k, c in header_map(table).items() if c not in renamed}
        close = difflib.get_close_matches(header_key(header)[0], list(spellings), n=1)
        if close and _DERIVED.search(normalise_label(header)):
            close = []  # 资金使用率 is a rate, never the money it is a rate of
        if close and header_key(header)[0].startswith("是否"):
            if table.column(spellings[close[0]]).type != "bool":
                close = []  # 是否获奖 holds yes or no, not the award's name
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


def _guess_from_title(column: str, lines: tuple[str, ...]) -> str | None:
    """A round or year written in a title line or the file name (第4届, 2024年度), for the
    suggested ``values:`` line when the rows do not carry it."""
    text = " ".join(lines)
    year = re.search(r"(20\d\d)\s*年", text)
    if column == "year" and year:
        return year.group(1)
    if column == "round":
        return _round_in(text)  # a year is not a round number
    if column == "period":  # a wide indicator sheet titled 结项指标完成情况
        return next((code for code, pattern in _PERIOD_WORDS if pattern.search(text)), None)
    return None


# How much an unknown header must resemble a missing required column to be named as it.
_CANDIDATE_RESEMBLANCE = 0.6


_NUMBERED = re.compile(r"第\s*([\d零〇一二两三四五六七八九十百]+)\s*[届期轮批]|(首)[届期轮批]")


def _round_in(text: str) -> str | None:
    """The round a title or sheet name gives (第4届, 第三期, 第七屆), as digits, or None."""
    numbered = _NUMBERED.search(to_simplified(text))
    number = chinese_number(numbered.group(1) or numbered.group(2)) if numbered else None
    return None if number is None else str(number)


def has_column(raw: RawTable, column: str) -> bool:
    """Whether a table as found has ``column``: a header for it, or a value for every row
    in the mapping file."""
    if column in raw.mapping.values.get(raw.table.name, {}):
        return True
    return any(column_name(raw.table, str(h), raw.mapping) == column for h in raw.frame.columns)


def fill_single(raw: RawTable, column: str, value: object, source: str) -> Issue | None:
    """A table with no ``column`` (the programme or round is never written in the rows of a
    workbook that holds one programme and one round) takes the only value ``source`` has,
    with a note; None when the table has the column or does not use it."""
    if column not in raw.table.names or has_column(raw, column):
        return None
    raw.frame[column] = value
    return Issue(
        raw.label,
        None,
        column,
        f"not in the rows; every row takes {value} ({source})",
        severity="note",
    )


def rounds_from_sheet_names(raw_tables: list[RawTable]) -> list[Issue]:
    """A workbook with a sheet per round (第一期项目, 第二期项目) and no round column: each
    sheet's rows take the round its name gives, with a note. Only where several sheets hold
    one table: a single sheet's round is suggested for the mapping file instead."""
    issues: list[Issue] = []
    for raw in raw_tables:
        if "round" not in raw.table.names or has_column(raw, "round"):
            continue
        sheet = _name_of(raw.label)
        value = _round_of_name(sheet)
        if value is None:
            continue
        raw.frame["届次"] = _round_written_in(sheet)  # read as its number, kept as its name
        what = "sheet" if raw.label.endswith("]") else "file"
        issues.append(
            Issue(
                raw.label,
                None,
                "round",
                f"not in the rows; every row takes {value} from the {what} name {sheet!r}",
                severity="note",
            )
        )
    return issues


def _name_of(label: str) -> str:
    """A sheet's name (book.xlsx[第一期项目] → 第一期项目), or a file's stem."""
    if label.endswith("]"):
        return label.rpartition("[")[2][:-1]
    return Path(label).stem


def _round_of_name(name: str) -> str | None:
    """The round a sheet or file name gives: 第三期 → 3, 2024年 → 2024; else None."""
    number = _round_in(name)
    year = re.search(r"(20\d\d)\s*年", name)
    return number or (year.group(1) if year else None)


def _round_written_in(name: str) -> str:
    """The words of a sheet or file name that name its round (2020年第三期项目 →
    2020年第三期, 第七屆 → 第七届, 2024年度 → 2024年度), read by the round parser."""
    text = to_simplified(name)
    for pattern in (_YEAR_AND_ORDINAL, _ORDINAL_AND_YEAR, _NUMBERED):
        found = pattern.search(text)
        if found:
            return found.group(0)
    year = re.search(r"20\d\d\s*年度?", text)
    return year.group(0) if year else text


# A round written with its year: 2020年第三期, 2021年度第1批, 第三期（2020年）.
_NUMERAL = r"[\d零〇一二两三四五六七八九十百首]+"
_YEAR_AND_ORDINAL = re.compile(
    rf"(?P<year>(?:19|20)\d\d)\s*年度?\s*(?:第\s*)?(?P<n>{_NUMERAL})\s*[届期轮批]"
)
_ORDINAL_AND_YEAR = re.compile(
    rf"第\s*(?P<n>{_NUMERAL})\s*[届期轮批]\s*[(（]?\s*(?P<year>(?:19|20)\d\d)\s*年?度?\s*[)）]?"
)


def _rounds_written(raw: RawTable, values: pd.Series):
    """Rounds written as names rather than numbers (2020年第三期, 第七届, 首届): the number
    for the parser, and each row's name as written, which reports use as the round's label.
    A round written with its year (a sub-district's three rounds of one year) is its number
    within the year; when the column spans several years, the rounds are numbered in order
    of year and number, with a note. Returns the values to parse, the names (None when
    every round is a plain number) and the issues."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values, None, []
    uniques = {u: _layout.cell_text(u) for u in values.dropna().unique()}
    written = [t for t in uniques.values() if t and not _PLAIN_ROUND.match(t)]
    if not written:
        return values, None, []  # plain numbers: nothing to keep, no pass over the rows
    text = values.astype(object).map(uniques)
    dated: dict[str, tuple[int, int]] = {}
    for value in written:
        plain = to_simplified(value)
        found = _YEAR_AND_ORDINAL.search(plain) or _ORDINAL_AND_YEAR.search(plain)
        number = chinese_number(found["n"]) if found else None
        if number is not None:
            dated[value] = (int(found["year"]), number)
    numbers = {v: str(n) for v, (_, n) in dated.items()}
    issues: list[Issue] = []
    if len({year for year, _ in dated.values()}) > 1:
        order = sorted(set(dated.values()))
        numbers = {v: str(order.index(pair) + 1) for v, pair in dated.items()}
        shown = ", ".join(f"{v} → {numbers[v]}" for v in sorted(dated, key=dated.get))
        issues.append(
            Issue(
                raw.label,
                None,
                "round",
                f"rounds written with their years, numbered in order: {shown}",
                severity="note",
            )
        )
    readable = text.map(lambda v: numbers.get(v, to_simplified(v)), na_action="ignore")
    named = [v for v in written if v in dated or _ROUND_NAME.fullmatch(to_simplified(v))]
    if not named:
        return readable.astype(object), None, issues
    labels = text.where(text.isin(named))
    return readable.astype(object), labels, issues


_PLAIN_ROUND = re.compile(r"^\s*\d+(?:\.0)?\s*$")
# A round's name the parser reads as its number: 第四届, 首届, 第3期, 2024年度.
_ROUND_NAME = re.compile(rf"\s*第?\s*{_NUMERAL}\s*(?:届|期|轮|批|年度|年)\s*")


def _keep_round_labels(raw: RawTable, parsed: dict, labels: pd.Series) -> list[Issue]:
    """Keep the rounds' names as written beside their numbers: in ``rounds.label`` where it
    is blank, in ``round_label`` for a table that has one; a year the names give fills a
    ``year`` column the table lacks."""
    table = raw.table
    target = "label" if table.name == "rounds" else "round_label"
    if target not in table.names or parsed.get("round") is None:
        return []
    labels = labels.reset_index(drop=True).astype(object)
    issues: list[Issue] = []
    if target in parsed:
        given = parsed[target].astype(object)
        parsed[target] = given.where(given.notna(), labels)
    else:
        parsed[target] = labels.astype(STRING)
        issues.append(
            Issue(
                raw.label,
                None,
                target,
                "the rounds' names as written kept as their labels: "
                + ", ".join(map(str, labels.dropna().unique()[:10])),
                severity="note",
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


# A remarks column (备注): kept under its own name, a note rather than a warning.
_NOTES_HEADERS = frozenset(
    {"备注", "说明", "备注说明", "情况说明", "附注", "备考", "remark", "remarks", "note", "notes"}
)

# Words that make a header a description of money rather than an amount (资金使用情况说明).
_DESCRIBES = re.compile(
    r"说明|情况|备注|来源|方式|类型|名称|用途|明细|计划|描述|率|%|比例|note|source|type|rate"
)


def _contains_spelling(header: str, column: Column) -> bool:
    """Whether a header looks like an amount of money ``column`` holds: it contains a Chinese
    spelling of three or more characters (资助金额合计 holds 资助金额), or an English one of
    five or more, and no word that makes it a description. Only money columns: a table
    whose grants went unrecognised gives empty leverage without a word, the failure that
    matters; any other unknown header stays a warning."""
    if column.type != "money" or _DESCRIBES.search(str(header)):
        return False
    key = header_key(header)[0]
    for spelling in (column.name, *column.aliases):
        other = normalise_label(spelling)
        cjk = bool(re.search(r"[\u4e00-\u9fff]", other))
        if (len(other) >= 3 if cjk else len(other) >= 5) and other in key:
            return True
    return False


def _check_totals(raw: RawTable, frame: pd.DataFrame, scales, columns_of) -> list[Issue]:
    """Name each totals row left out, and check the figures it carries against the sum of
    the rows it totals (a subtotal: the rows since the previous subtotal). ``columns_of``
    gives the column each header was read as."""
    issues: list[Issue] = []
    start = 0
    for totals in raw.totals:
        first = start if totals.subtotal else 0
        block = frame.iloc[first : totals.data_before]
        checked: list[str] = []
        for header, value in totals.cells.items():
            name = columns_of.get(str(header))
            stated = _figure(raw, name, value, frame, scales)
            if stated is None:
                continue
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
                    count.string,
                    "warning",
                )
            )
        issues.append(_left_out(raw, totals, checked))
        if totals.subtotal:
            start = totals.data_before
    return issues


def _figure(raw: RawTable, name: str | None, value, frame: pd.DataFrame, scales) -> float | None:
    """A figure written in a totals or breakdown row, in the column's unit (a 万元 header
    multiplies it, unless the cell has its own unit); None when the cell holds none, or its
    column holds no figures."""
    if name is None or name not in frame or not _layout.cell_text(value):
        return None
    column = raw.table.column(name) if name in raw.table.names else Column(name, "number", "")
    if column.type not in ("money", "count", "number") or _layout.is_totals_label(
        _layout.cell_text(value)
    ):
        return None
    cell = pd.Series([value], dtype=object)
    typed, bad = parse_column(cell, column)
    if bad is not None or pd.isna(typed.iloc[0]):
        return None
    factor = 1.0 if _own_unit(cell).any() else scales.get(name, (1.0, ""))[0]
    return float(typed.iloc[0]) * factor


def _check_breakdowns(raw: RawTable, frame: pd.DataFrame, scales, columns_of) -> list[Issue]:
    """Name each breakdown row (其中：示范类) left out of the data, and check its figures
    against the row it breaks down only: the parts under one row may not add up to more
    than that row gives (they may list only some of its parts)."""
    issues: list[Issue] = []
    groups: dict[int, list[_layout.BreakdownRow]] = {}
    for part in raw.breakdowns:
        groups.setdefault(part.parent_row or -part.row, []).append(part)
    for parts in groups.values():
        parent, parent_row = parts[0].parent, parts[0].parent_row
        within: list[str] = []
        for header in dict.fromkeys(h for part in parts for h in part.cells):
            name = columns_of.get(str(header))
            figures = [_figure(raw, name, p.cells.get(header), frame, scales) for p in parts]
            figures = [f for f in figures if f is not None]
            if not figures or parent is None:
                continue
            if isinstance(parent, _layout.TotalsRow):
                whole = _figure(raw, name, parent.cells.get(header), frame, scales)
            else:
                whole = pd.to_numeric(frame[name], errors="coerce").iloc[parent]
            if whole is None or pd.isna(whole):
                continue
            summed = float(sum(figures))
            if summed > float(whole) + 0.5 + 1e-9 * abs(summed):
                issues.append(
                    Issue(
                        raw.label,
                        parts[0].row,
                        name,
                        f"the breakdown rows under row {parent_row} add up to {summed:,.2f}, "
                        f"more than the {float(whole):,.2f} that row gives",
                        None,
                        "warning",
                    )
                )
            else:
                within.append(name)
        for part in parts:
            issues.append(_breakdown_note(raw, part, within))
    return issues


def _breakdown_note(raw: RawTable, part: _layout.BreakdownRow, within=()) -> Issue:
    """The note for a breakdown row left out of the data: the row it is part of, and the
    columns on which the parts stay within it."""
    if part.parent_row is None:
        whole = "with no row above it to break down"
    else:
        whole = f"a part of row {part.parent_row}"
        if isinstance(part.parent, _layout.TotalsRow):
            whole += f" ({part.parent.label!r})"
    agreed = f"; within it on {', '.join(within)}" if within else ""
    return Issue(
        raw.label,
        part.row,
        None,
        f"breakdown row {part.label!r} left out of the data: {whole}{agreed}",
        severity="note",
    )


# --------------------------------------------------------------------------- rosters


def link_people(tables: dict[str, ParsedTable]) -> list[Issue]:
    """What a roster writes about a person's project and round, read against the other
    tables: a project named by its title (邻里菜园) is that project's identifier; a yes or
    no under the project column (是否带领项目 written 带领项目) says whether they lead one;
    a blank round is the round of the person's date, where the rounds' years or dates give
    exactly one. Each with a note."""
    people = tables.get("people")
    if people is None:
        return []
    frame = people.frame
    issues: list[Issue] = []
    if "project_id" in frame:
        issues += _people_projects(people, tables.get("projects"))
    if "date" in frame and tables.get("rounds") is not None:
        issues += _people_rounds(people, tables["rounds"].frame)
    return issues


def _people_projects(people: ParsedTable, projects: ParsedTable | None) -> list[Issue]:
    frame = people.frame
    written = frame["project_id"].astype(object)
    flags, _ = parse_column(written.where(written.notna(), None), Column("f", "bool", ""))
    answered = flags.notna().to_numpy(dtype=bool)
    issues: list[Issue] = []
    # only a column that is all yes and no: 1 and 2 may be projects' identifiers
    if answered.any() and answered.sum() == written.notna().sum():
        leads = (
            frame["leads_project"]
            if "leads_project" in frame
            else pd.Series(pd.NA, index=frame.index, dtype="boolean")
        )
        frame["leads_project"] = leads.astype("boolean").where(leads.notna(), flags)
        frame["project_id"] = frame["project_id"].mask(pd.Series(answered, index=frame.index))
        issues.append(
            Issue(
                people.label,
                None,
                "project_id",
                f"{int(answered.sum())} value(s) are yes or no, not a project: read as "
                "leads_project",
                severity="note",
            )
        )
    if projects is None or not {"project_id", "title"} <= set(projects.frame):
        return issues
    ids = set(projects.frame["project_id"].dropna().astype(str))
    titles = projects.frame[["title", "project_id"]].dropna().astype(str)
    by_title = titles.drop_duplicates("title", keep=False).set_index("title")["project_id"]
    values = frame["project_id"].astype(object)
    named = values.notna() & ~values.isin(ids) & values.isin(by_title.index)
    if named.any():
        frame["project_id"] = values.where(~named, values.map(by_title)).astype(STRING)
        issues.append(
            Issue(
                people.label,
                None,
                "project_id",
                f"{int(named.sum())} project(s) written by title read as their identifiers "
                f"in {projects.label}",
                severity="note",
            )
        )
    return issues


def _people_rounds(people: ParsedTable, rounds: pd.DataFrame) -> list[Issue]:
    """A blank round from the person's date: the round whose dates hold it, else the only
    round of the programme in the date's year."""
    frame = people.frame
    if "round" not in frame:
        frame["round"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    wanted = frame["round"].isna() & frame["date"].notna()
    if "programme_id" not in frame or not wanted.any() or "round" not in rounds:
        return []
    found = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for position in np.flatnonzero(wanted.to_numpy()):
        programme, date = frame["programme_id"].iloc[position], frame["date"].iloc[position]
        own = rounds[rounds["programme_id"].astype(object).eq(programme)]
        if {"call_date", "end_date"} <= set(own):
            held = own[(own.call_date <= date) & (own.end_date >= date)]
            if len(held) == 1:
                found.iloc[position] = int(held["round"].iloc[0])
                continue
        if "year" in own:
            same = own[own["year"].eq(date.year)]
            if len(same) == 1:
                found.iloc[position] = int(same["round"].iloc[0])
    filled = found.notna()
    if not filled.any():
        return []
    frame["round"] = frame["round"].astype("Int64").where(~filled, found)
    return [
        Issue(
            people.label,
            None,
            "round",
            f"{int(filled.sum())} blank round(s) read from the date: the round whose dates or "
            "year hold it",
            severity="note",
        )
    ]
