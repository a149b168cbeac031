"""Writing small office workbooks for tests, with openpyxl."""

from __future__ import annotations

import openpyxl


def write_book(path, sheets):
    """Write a workbook: ``sheets`` maps a sheet name to (rows, merged ranges)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, (rows, merges) in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in merges:
            sheet.merge_cells(cells)
    book.save(path)
    return path
