"""``report.xlsx``: a first sheet naming the report, its data and the date, then one sheet per
table, named by the heading the table stands under on the page.

Headers carry units; numbers are stored as numbers with formats (yuan ``#,##0``,
percentages ``0.0%``), also where a column mixes units (published figures) or a source wrote
a number in words (``100余``: the number is stored, and the words stand in a column beside
it); frozen header row; widths fitted to the text (a Chinese character counts double); empty
cells where a value is missing. A table without rows has no sheet. Text is never a formula.
"""

from __future__ import annotations

from pathlib import Path

from .. import format as fmt
from ..blocks import Document, Table
from ..catalogue import t
from .cells import (
    FORMULA_START,
    as_words,
    columns_written,
    display_width,
    percent_suffix,
    sheet_name,
)

ABOUT_ROWS = 5  # rows of the first sheet before the list of tables
FONT = "等线"  # Office's default Chinese font since 2016 (Latin letters too)


def write(
    document: Document, path: Path, *, title: str, data_name: str, language: str
) -> list[str]:
    """Write the workbook of ``document``; returns the sheet names of its tables."""
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    _about(about, title, data_name, language)
    names: list[str] = []
    for table in document.tables:
        if table.empty:
            continue
        name = sheet_name(table.sheet, book.sheetnames)
        _sheet(book.create_sheet(name), table, language)
        row = ABOUT_ROWS + len(names)
        if not names:
            _text_cell(about.cell(row=row, column=1), t("tables", language)).font = _font(True)
        _text_cell(about.cell(row=row, column=2), name)
        names.append(name)
    about.column_dimensions["B"].width = max(about.column_dimensions["B"].width or 0, 40)
    book.save(path)
    return names


def _sheet(sheet, table: Table, language: str) -> None:
    layout = columns_written(table)
    headers = []
    for place, words in layout:
        column = table.columns[place]
        if words:
            headers.append(column.header + t("as_written", language))
        else:
            headers.append(column.header + percent_suffix(column.header, column.unit))
    for index, text in enumerate(headers, start=1):
        _text_cell(sheet.cell(row=1, column=index), text).font = _font(True)
    widths = [display_width(h) for h in headers]
    for number, (values, texts) in enumerate(zip(table.values, table.texts, strict=True)):
        for index, (place, words) in enumerate(layout, start=1):
            cell = sheet.cell(row=number + 2, column=index)
            value, text = values[place], texts[place]
            column = table.cell_column(number, place)
            if words:
                shown = text if as_words(table, number, place) else ""
                if shown:
                    _text_cell(cell, shown)
            elif value is None:
                continue
            elif column.unit in fmt.NUMERIC and isinstance(value, int | float):
                cell.value = float(value) if not isinstance(value, bool) else value
                cell.number_format = column.excel_format
                cell.font = _font()
                shown = fmt.value_text(value, column, language)
            else:
                shown = text
                _text_cell(cell, shown)
            widths[index - 1] = max(widths[index - 1], display_width(shown))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(
            max(width + 2, 8), 60
        )
    sheet.freeze_panes = "A2"


def _about(sheet, report_title: str, data_name: str, language: str) -> None:
    sheet.title = sheet_name(t("about_sheet", language), [])
    rows = [
        (t("report", language), report_title),
        (t("data", language), data_name),
        (t("generated", language), fmt.local_time(language=language)),
    ]
    for number, (label, value) in enumerate(rows, start=1):
        _text_cell(sheet.cell(row=number, column=1), label).font = _font(True)
        _text_cell(sheet.cell(row=number, column=2), value)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = min(max(display_width(report_title) + 2, 40), 80)


def _text_cell(cell, text):
    """A text cell that Excel will never evaluate: an explicit string type, and a leading
    quote prefix in Excel's own sense (``quotePrefix``) for formula-like text."""
    text = "" if text is None else str(text)
    cell.value = text
    cell.data_type = "s"
    cell.font = _font()
    if text.startswith(FORMULA_START):
        from openpyxl.styles import Alignment

        cell.alignment = Alignment(horizontal="left")
        cell.quotePrefix = True
    return cell


def _font(bold: bool = False):
    from openpyxl.styles import Font

    return Font(name=FONT, bold=bold)
