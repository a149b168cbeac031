"""``tables/<name>.csv``: every table of a report, UTF-8 with a byte-order mark (Excel in
China opens it without garbled text), numbers as numbers rounded for their unit
(percentages in per cent), text neutralised, blanks where a value is missing."""

from __future__ import annotations

import csv
from pathlib import Path

from .. import format as fmt
from ..blocks import Document, Table
from ..catalogue import t
from .cells import as_words, columns_written, neutralise, percent_suffix


def rows(table: Table) -> list[list]:
    """Header and rows as the CSV carries them (a number a source wrote in words has the
    words in a column beside it, as in the workbook)."""
    layout = columns_written(table)
    header = []
    for place, words in layout:
        column = table.columns[place]
        suffix = (
            t("as_written", table.language) if words else percent_suffix(column.header, column.unit)
        )
        header.append(neutralise(column.header + suffix))
    found: list[list] = [header]
    for number, (values, texts) in enumerate(zip(table.values, table.texts, strict=True)):
        row = []
        for place, words in layout:
            value, text = values[place], texts[place]
            column = table.cell_column(number, place)
            if words:
                row.append(neutralise(text) if as_words(table, number, place) else "")
            elif value is None:
                row.append("")
            elif table.units and table.units[number][place] == "percent":
                shown = fmt.value_text(value, fmt.Column(column.key, "", "percent"), table.language)
                row.append(shown)  # "15%": a share in a column of mixed units says so
            elif column.unit in fmt.NUMERIC and isinstance(value, int | float):
                row.append(_number(float(value), column))
            else:
                row.append(neutralise(text))
        found.append(row)
    return found


def _number(number: float, column: fmt.Column) -> str:
    if column.unit == "percent":
        places = 1 if column.decimals is None else column.decimals
        return f"{number * 100:.{places}f}"
    if column.unit in ("yuan", "count", "year"):
        return f"{number:.0f}"
    places = 2 if column.decimals is None else column.decimals
    return f"{number:.{places}f}"


def write(document: Document, folder: Path) -> list[Path]:
    """One CSV per table with rows (an empty table has no file)."""
    written = []
    for table in document.tables:
        if table.empty:
            continue
        path = folder / f"{table.name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows(table))
        written.append(path)
    return written
