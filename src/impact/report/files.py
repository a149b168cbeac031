"""The files beside a report: one Excel workbook and a CSV per table, safe to open.

``report.xlsx`` has a first sheet naming the report, its data and the date, then one named
sheet per table in the report's language: headers with units, numbers stored as numbers with
formats (yuan ``#,##0``, percentages ``0.0%``), frozen header row, widths fitted to the text
(a Chinese character counts double), empty cells where a value is missing or infinite. Each
table also goes to ``tables/<name>.csv`` with the same headers and values, UTF-8 with a BOM
(Excel in China opens it without garbled text).

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return) is neutralised: prefixed with a single quote in CSV (OWASP, "CSV
injection") and stored as a text cell, never a formula, in the workbook.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import format as fmt
from .catalogue import t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
WORKBOOK = "report.xlsx"
# The runner's kernels set DEFER (warm.warm_up): a report's workbook is then kept in memory
# and saved once, by flush() after its notebook has run, instead of after every table (the
# whole workbook is written each time: a quarter of a report's table time). A plain
# papermill or Jupyter run saves after every table, so the file is always complete.
DEFER = False
_PENDING: dict[Path, object] = {}
ABOUT_ROWS = 5  # rows of the first sheet before the list of tables
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Text that cannot run as a spreadsheet formula (OWASP: prefix a single quote)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def display_width(text: str) -> int:
    """Width in Excel's character units: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def sheet_name(title: str, taken: list[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    base = _FORBIDDEN.sub(" ", title).strip().strip("'") or "表"
    name, number = base[:31], 2
    while name.lower() in {n.lower() for n in taken}:
        suffix = f" {number}"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    return name


def csv_rows(frame: pd.DataFrame, columns: list[fmt.Column]) -> list[list]:
    """Header and rows as the CSV carries them: numbers as numbers (rounded for their unit,
    percentages in per cent), text neutralised, blanks for missing values."""
    rows: list[list] = [[neutralise(c.header + _percent_suffix(c)) for c in columns]]
    for record in frame.itertuples(index=False):
        row = []
        for value, column in zip(record, columns, strict=True):
            stored = fmt.excel_value(value, column)
            if stored is None:
                row.append("")
            elif column.unit in fmt.NUMERIC and isinstance(stored, float):
                row.append(_csv_number(stored, column))
            else:
                row.append(neutralise(fmt.value_text(stored, column, _language(columns))))
        rows.append(row)
    return rows


def _language(columns: list[fmt.Column]) -> str:
    return "zh" if any(re.search(r"[\u4e00-\u9fff]", c.header) for c in columns) else "en"


def _percent_suffix(column: fmt.Column) -> str:
    if column.unit != "percent" or "%" in column.header:
        return ""
    return "（%）" if re.search(r"[\u4e00-\u9fff]", column.header) else " (%)"


def _csv_number(number: float, column: fmt.Column) -> str:
    if column.unit == "percent":
        places = 1 if column.decimals is None else column.decimals
        return f"{number * 100:.{places}f}"
    if column.unit in ("yuan", "count", "year"):
        return f"{number:.0f}"
    places = 2 if column.decimals is None else column.decimals
    return f"{number:.{places}f}"


def write_csv(path: Path, frame: pd.DataFrame, columns: list[fmt.Column]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(csv_rows(frame, columns))


def add_sheet(
    folder: Path,
    frame: pd.DataFrame,
    columns: list[fmt.Column],
    title: str,
    *,
    report_title: str,
    data_name: str,
    language: str,
    kept: dict | None = None,
) -> str:
    """Add one table to the report's workbook (created with its first sheet when missing).
    Returns the sheet's name. ``kept`` (a report's own dict) keeps the workbook as last
    saved, so that the next table need not read the file back while it is unchanged."""
    from openpyxl import Workbook, load_workbook

    path = folder / WORKBOOK
    held = (kept or {}).get(WORKBOOK)
    if path in _PENDING:
        book = _PENDING[path]
    elif path.exists():
        if held and held[0] == path and held[1] == _stamp(path):
            book = held[2]
        else:
            book = load_workbook(path)
    else:
        book = Workbook()
        _about(book.active, report_title, data_name, language)
    name = sheet_name(title, book.sheetnames)
    sheet = book.create_sheet(name)
    headers = [c.header + _percent_suffix(c) for c in columns]
    for index, text in enumerate(headers, start=1):
        _text_cell(sheet.cell(row=1, column=index), text).font = _bold()
    widths = [display_width(h) for h in headers]
    for row_number, record in enumerate(frame.itertuples(index=False), start=2):
        for index, (value, column) in enumerate(zip(record, columns, strict=True), start=1):
            cell = sheet.cell(row=row_number, column=index)
            stored = fmt.excel_value(value, column)
            if stored is None:
                continue
            if column.unit in fmt.NUMERIC and isinstance(stored, float):
                cell.value = stored
                cell.number_format = column.excel_format
                shown = fmt.value_text(stored, column, language)
            else:
                shown = fmt.value_text(stored, column, language)
                _text_cell(cell, shown)
            widths[index - 1] = max(widths[index - 1], display_width(shown))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(
            max(width + 2, 8), 60
        )
    sheet.freeze_panes = "A2"
    about = book.worksheets[0]
    row = ABOUT_ROWS + len(book.sheetnames) - 2  # the first table on row 5
    if row == ABOUT_ROWS:
        _text_cell(about.cell(row=row, column=1), t("tables", language)).font = _bold()
    _text_cell(about.cell(row=row, column=2), name)
    about.column_dimensions["B"].width = max(about.column_dimensions["B"].width or 0, 40)
    if DEFER:
        _PENDING[path] = book
        return name
    book.save(path)
    if kept is not None:
        kept[WORKBOOK] = (path, _stamp(path), book)
    return name


def flush() -> None:
    """Save every workbook whose saving was deferred (:data:`DEFER`), then forget them."""
    try:
        for path, book in list(_PENDING.items()):
            book.save(path)
    finally:
        _PENDING.clear()


def _stamp(path: Path) -> tuple[int, int]:
    """What tells that a file was rewritten: its modification time and size."""
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def _about(sheet, report_title: str, data_name: str, language: str) -> None:
    sheet.title = sheet_name(t("about_sheet", language), [])
    rows = [
        (t("report", language), report_title),
        (t("data", language), data_name),
        (t("generated", language), fmt.local_time(language=language)),
    ]
    for number, (label, value) in enumerate(rows, start=1):
        _text_cell(sheet.cell(row=number, column=1), label).font = _bold()
        _text_cell(sheet.cell(row=number, column=2), value)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = min(max(display_width(report_title) + 2, 40), 80)


def _text_cell(cell, text):
    """A text cell that Excel will never evaluate: an explicit string type, and a leading
    quote prefix in Excel's own sense (``quotePrefix``) for formula-like text."""
    text = "" if text is None else str(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        from openpyxl.styles import Alignment

        cell.alignment = Alignment(horizontal="left")
        cell.quotePrefix = True
    return cell


def _bold():
    from openpyxl.styles import Font

    return Font(bold=True)
