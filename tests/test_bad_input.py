"""Broken input is refused with `file:row: column: message (value)` and exit status 2:
never a traceback, never a hang. Every broken file is built here."""

import os
import time
import zipfile

import openpyxl
import pytest

import impact
from impact import files
from impact.cli import main


def _refusal(folder, capsys):
    """The lines `impact validate` prints and its exit status."""
    status = main(["validate", str(folder)])
    out = capsys.readouterr().out
    return status, [line for line in out.splitlines() if line]


def test_header_and_no_rows(tmp_path, capsys):
    (tmp_path / "projects.csv").write_text("project_id,programme_id,round,stage\n", "utf-8")
    assert _refusal(tmp_path, capsys) == (
        2,
        ["projects.csv:1: has a header but no rows; write at least one row, or remove the file"],
    )


def test_header_and_no_rows_below_a_title(tmp_path, capsys):
    (tmp_path / "projects.csv").write_text("汇总表,,,\nproject_id,programme_id,round,stage\n,,,\n")
    status, lines = _refusal(tmp_path, capsys)
    assert status == 2
    assert (
        "projects.csv:2: has a header but no rows; write at least one row, or remove the "
        "file" in lines
    )


def test_nul_byte(tmp_path, capsys):
    (tmp_path / "projects.csv").write_bytes(
        b"project_id,programme_id,round,stage\nP1,d,1,idea\nP2\x00,d,1,idea\n"
    )
    assert _refusal(tmp_path, capsys) == (
        2,
        [
            "projects.csv:3: contains a NUL byte, so it is not a plain-text CSV (perhaps UTF-16 "
            "or a binary export); save it again as CSV (UTF-8)"
        ],
    )


def test_utf16_saved_as_csv_is_refused(tmp_path, capsys):
    (tmp_path / "projects.csv").write_bytes("project_id,stage\nP1,idea\n".encode("utf-16"))
    status, lines = _refusal(tmp_path, capsys)
    assert status == 2 and "contains a NUL byte" in lines[0]


def test_mixed_encodings_name_the_row(tmp_path, capsys):
    head = "project_id,programme_id,round,stage,title\nP1,d,1,idea,社区花园\nP2,d,1,idea,楼道\n"
    (tmp_path / "projects.csv").write_bytes(
        head.encode("utf-8") + "P3,d,1,idea,社区花园\n".encode("gbk")
    )
    assert _refusal(tmp_path, capsys) == (
        2,
        [
            "projects.csv:4: mixes encodings: this row is GBK, other rows are UTF-8; save the "
            "whole file again in one encoding (CSV UTF-8)"
        ],
    )


def test_gbk_file_with_a_utf8_row(tmp_path, capsys):
    rows = "".join(f"P{i},d,1,idea,社区花园\n" for i in range(3))
    text = "project_id,programme_id,round,stage,title\n" + rows
    (tmp_path / "projects.csv").write_bytes(text.encode("gbk") + "P9,d,1,idea,楼道\n".encode())
    status, lines = _refusal(tmp_path, capsys)
    assert (status, lines[0][:36]) == (2, "projects.csv:5: mixes encodings: thi")
    assert "this row is UTF-8, other rows are GBK" in lines[0]


def test_symlink_loop(tmp_path, capsys):
    os.symlink("projects.csv", tmp_path / "projects.csv")
    assert _refusal(tmp_path, capsys) == (
        2,
        ["projects.csv: is a symbolic link that loops back on itself; replace it with the file"],
    )


def test_symlink_loop_given_directly(tmp_path, capsys):
    os.symlink("projects.csv", tmp_path / "projects.csv")
    status, lines = _refusal(tmp_path / "projects.csv", capsys)
    assert status == 2 and "loops back on itself" in lines[0]


def test_broken_symlink(tmp_path, capsys):
    os.symlink("gone.csv", tmp_path / "projects.csv")
    assert _refusal(tmp_path, capsys) == (
        2,
        ["projects.csv: is a symbolic link to a file that does not exist"],
    )


def test_old_excel(tmp_path, capsys):
    (tmp_path / "项目.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    assert _refusal(tmp_path, capsys) == (
        2,
        [
            "项目.xls: is an Excel 97-2003 workbook, which cannot be read here; open it in Excel "
            "or WPS and save it as .xlsx (文件 → 另存为 → Excel 工作簿 .xlsx)"
        ],
    )


def _bomb(path, megabytes):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b" " * 2**20
            for _ in range(megabytes):
                part.write(block)


def test_zip_bomb_refused_quickly(tmp_path, capsys):
    _bomb(tmp_path / "projects.xlsx", 400)  # about 400 KB on disk, 400 MB inflated
    assert (tmp_path / "projects.xlsx").stat().st_size < 2**20
    start = time.perf_counter()
    status, lines = _refusal(tmp_path, capsys)
    assert time.perf_counter() - start < 5
    assert (status, lines) == (
        2,
        [
            "projects.xlsx: would inflate to 400 MB, above the limit of 256 MB for a workbook; "
            "refused (split the workbook, or save the large sheet as CSV)"
        ],
    )


def test_high_ratio_part_refused(tmp_path, capsys):
    _bomb(tmp_path / "projects.xlsx", 64)  # under the size limit, but 1000× compressed
    status, lines = _refusal(tmp_path, capsys)
    assert status == 2
    assert lines[0].startswith("projects.xlsx: part xl/worksheets/sheet1.xml inflates ")
    assert lines[0].endswith("× (limit 200×); refused as a likely zip bomb")


def test_sheet_past_the_row_limit(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(files, "XLSX_MAX_ROWS", 5)
    book = openpyxl.Workbook()
    book.active.title = "projects"
    book.active.append(["project_id", "programme_id", "round", "stage"])
    for i in range(10):
        book.active.append([f"P{i}", "d", 1, "idea"])
    book.save(tmp_path / "book.xlsx")
    assert _refusal(tmp_path, capsys) == (
        2,
        ["book.xlsx[projects]: has more than 5 rows; refused"],
    )


def test_not_a_zip(tmp_path, capsys):
    (tmp_path / "projects.xlsx").write_bytes(b"<html>not a workbook</html>")
    assert _refusal(tmp_path, capsys) == (
        2,
        ["projects.xlsx: cannot read file: not a valid .xlsx workbook (not a zip archive); "
         "save it again"],
    )  # fmt: skip


def test_load_raises_data_error_not_a_traceback(tmp_path):
    (tmp_path / "projects.csv").write_bytes(b"project_id\x00\n")
    with pytest.raises(impact.DataError):
        impact.load(tmp_path)
