"""Workbooks saved once a report in the runner's kernels (files.DEFER, files.flush) are the
same workbooks a plain run saves table by table."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from impact.report import files
from impact.report.format import columns

TABLES = {
    "申报情况": pd.DataFrame({"group": ["配比申报", "普通申报"], "applications": [3, 22]}),
    "撬动资金": pd.DataFrame({"group": ["总体"], "leveraged_yuan": [462269.0]}),
}


def _build(folder, monkeypatch, defer: bool) -> None:
    monkeypatch.setattr(files, "DEFER", defer)
    folder.mkdir()
    kept: dict = {}
    for title, frame in TABLES.items():
        files.add_sheet(
            folder,
            frame,
            columns(frame, "zh"),
            title,
            report_title="测试报告",
            data_name="sample",
            language="zh",
            kept=kept,
        )
        if defer:  # nothing is written until the report's notebook has run
            assert not (folder / files.WORKBOOK).exists()
    files.flush()


def _cells(path):
    book = load_workbook(path)
    return {
        sheet.title: [
            [(c.value, c.number_format) for c in row]
            for row in sheet.iter_rows()
            if not (sheet.title == book.sheetnames[0] and row[0].row == 3)  # the time made
        ]
        for sheet in book.worksheets
    }


def test_a_deferred_workbook_is_the_workbook_saved_table_by_table(tmp_path, monkeypatch):
    _build(tmp_path / "plain", monkeypatch, defer=False)
    _build(tmp_path / "deferred", monkeypatch, defer=True)
    plain = _cells(tmp_path / "plain" / files.WORKBOOK)
    assert list(plain) == ["报告说明", "申报情况", "撬动资金"]
    assert plain == _cells(tmp_path / "deferred" / files.WORKBOOK)
    assert files._PENDING == {}
