"""Reading one file's cells, safely: CSV in any of the encodings offices write, Excel
workbooks with limits on what they may inflate to, and refusals that say what to do.

Each reader returns raw cells (a grid for a workbook sheet, an Arrow table for a CSV body)
and :class:`~impact.errors.Issue` records; sheet layout is :mod:`impact.layout`'s business
and typing values is :mod:`impact.io`'s.
"""

from __future__ import annotations

import csv
import errno
import io as _stdio
import mmap
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from .errors import Issue
from .layout import is_heading

ENCODING_SAMPLE_BYTES = 1 << 20
HEAD_BYTES = 1 << 16  # the header is looked for in the first 64 KB of a CSV
# An .xlsx is a zip of XML. A real office workbook inflates 5–20×; these limits refuse a
# "zip bomb" (a small file that inflates to gigabytes) before any XML is parsed.
XLSX_MAX_INFLATED_BYTES = 256 * 2**20
XLSX_MAX_RATIO = 200  # inflated ÷ compressed size, for members above 16 MB
XLSX_MAX_ROWS = 1_048_576  # Excel's own limit on rows per sheet
OLD_EXCEL_SUFFIXES = {".xls", ".et"}


def entry_problem(file: Path) -> Issue | None:
    """Why a folder entry cannot be read (a symbolic link that loops or points nowhere), or
    None. Without this check such an entry would look like "not a file" and vanish."""
    try:
        file.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            why = "is a symbolic link that loops back on itself; replace it with the file"
        elif exc.errno == errno.ENOENT:
            why = "is a symbolic link to a file that does not exist"
        else:
            why = f"cannot be read ({exc.strerror})"
        return Issue(file.name, None, None, why)
    return None


def old_excel_problem(file: Path) -> Issue:
    """An Excel 97–2003 (or WPS .et) workbook: no reader for it is installed."""
    return Issue(
        file.name,
        None,
        None,
        "is an Excel 97-2003 workbook, which cannot be read here; open it in Excel or WPS "
        "and save it as .xlsx (文件 → 另存为 → Excel 工作簿 .xlsx)",
    )


# --------------------------------------------------------------------------- CSV


def detect_encoding(file: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, the superset of GBK and GB2312 that Chinese
    office software writes. Decided on the first megabyte."""
    with open(file, "rb") as handle:
        head = handle.read(ENCODING_SAMPLE_BYTES)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the sample's end is not evidence against UTF-8.
        if not (len(head) == ENCODING_SAMPLE_BYTES and exc.start >= len(head) - 3):
            return "gb18030"
    return "utf-8"


def nul_problem(file: Path) -> Issue | None:
    """A NUL byte: the file is not text (a binary export, or UTF-16 saved as .csv)."""
    with open(file, "rb") as handle:
        if file.stat().st_size == 0:
            return None
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            at = data.find(b"\x00")
            if at < 0:
                return None
            row = _record_at(data[:at])
    return Issue(
        file.name,
        row,
        None,
        "contains a NUL byte, so it is not a plain-text CSV (perhaps UTF-16 or a binary "
        "export); save it again as CSV (UTF-8)",
    )


def _record_at(data: bytes) -> int:
    """The record (spreadsheet row) the end of ``data`` falls in: a line break inside a
    quoted cell does not start a new record. A quote byte never occurs inside a GBK or
    UTF-8 multi-byte character, so the bytes can be read as they are."""
    record, inside = 1, False
    for line in data.split(b"\n")[:-1]:
        if line.count(b'"') % 2:
            inside = not inside
        if not inside:
            record += 1
    return record


def head_rows(file: Path, encoding: str) -> list[list[str]]:
    """The first rows of a CSV, split into fields, for finding the header."""
    with open(file, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    text = head.decode(encoding, errors="replace")
    if len(head) == HEAD_BYTES and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # leave out a line cut by the sample's end
    return list(csv.reader(_stdio.StringIO(text, newline="")))


def mixed_encoding_row(file: Path) -> tuple[int, str, str] | None:
    """The first row written in the file's minority encoding, that encoding and the other
    one, or None when the file keeps to one encoding.

    A UTF-8 file with some GBK lines pasted in (or the reverse) would otherwise load with
    some rows garbled. Lines are checked one by one, so the message can name the row."""
    counts = {"UTF-8": 0, "GBK": 0}
    first: dict[str, int] = {}
    number, inside = 0, False  # the record (spreadsheet row) a line belongs to
    with open(file, "rb") as handle:
        for line in handle:
            if not inside:
                number += 1
            if line.count(b'"') % 2:
                inside = not inside
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                kind = "UTF-8"
            except UnicodeDecodeError:
                kind = "GBK"
            counts[kind] += 1
            first.setdefault(kind, number)
    if not (counts["UTF-8"] and counts["GBK"]):
        return None
    # the rarer encoding is the intruder; on a tie, the one that starts later
    minority = min(counts, key=lambda k: (counts[k], -first[k]))
    other = "GBK" if minority == "UTF-8" else "UTF-8"
    return first[minority], minority, other


def lines_of_records(file: Path, encoding: str, records: int) -> int:
    """How many lines of the file its first ``records`` records take: a cell with a line
    break inside its quotes (``"花园\n改造"``) is one record on two lines. Arrow skips lines,
    a spreadsheet counts records."""
    if records <= 0:
        return 0
    with open(file, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    text = head.decode(encoding, errors="replace")
    reader = csv.reader(_stdio.StringIO(text, newline=""))
    for _ in range(records):
        if next(reader, None) is None:
            break
    return reader.line_num


def has_quotes(file: Path) -> bool:
    """Whether the file has a quote character anywhere: only then can a value hold a line
    break, and only then must Arrow look for them (which costs some speed)."""
    if file.stat().st_size == 0:
        return False
    with open(file, "rb") as handle:
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b'"') >= 0


def read_csv_body(
    file: Path,
    encoding: str,
    names: list[str],
    skip_rows: int,
    column_types: dict[str, pa.DataType],
    row_note: Callable[[str], bool],
) -> tuple[pa.Table, list[Issue], list[tuple[int | None, str]], list[int]]:
    """The rows of a CSV under its header, as an Arrow table of the named columns.

    ``skip_rows`` counts records (title lines and the header), as a spreadsheet numbers
    them. Rows with the wrong number of fields are skipped with an error, except lines that
    are notes or totals under the table (``row_note`` says which): those are returned apart.
    Also returns the record number of every row the parser left out (empty lines too), so
    that the rows after them keep the numbers a spreadsheet shows."""
    bad_rows: list[Issue] = []
    noted: list[tuple[int | None, str]] = []
    gone: list[int | None] = []
    lines = lines_of_records(file, encoding, skip_rows)
    shift = skip_rows - lines  # Arrow numbers rows from the lines it skipped

    def on_invalid_row(row) -> str:
        number = None if row.number is None else row.number + shift
        gone.append(number)
        text = row.text.strip().strip(",").strip()
        if not text:
            return "skip"  # a row of empty fields: nothing in it
        if row_note(row.text):
            noted.append((number, "note under the table kept: " + text))
            return "skip"
        if row.actual_columns == 1 and row.expected_columns >= 3 and is_heading(text):
            noted.append((number, "heading inside the table kept as a note: " + text))
            return "skip"
        bad_rows.append(
            Issue(
                file.name,
                number,
                None,
                f"row has {row.actual_columns} fields, header has "
                f"{row.expected_columns}; row skipped",
                row.text[:80],
            )
        )
        return "skip"

    read_options = pacsv.ReadOptions(
        encoding="utf8" if encoding.startswith("utf-8") else encoding,
        skip_rows=lines,
        column_names=names,
    )
    convert_options = pacsv.ConvertOptions(
        column_types=column_types, strings_can_be_null=True, quoted_strings_can_be_null=True
    )
    # An empty line is a row of the spreadsheet: kept in the count (and left out as blank).
    parse_options = pacsv.ParseOptions(
        invalid_row_handler=on_invalid_row,
        newlines_in_values=has_quotes(file),
        ignore_empty_lines=False,
    )
    table = pacsv.read_csv(file, read_options, parse_options, convert_options)
    if None in gone:
        # Row numbers are known only to a single-threaded parse; redo it for the report.
        bad_rows.clear()
        noted.clear()
        gone.clear()
        read_options.use_threads = False
        pacsv.read_csv(file, read_options, parse_options, convert_options)
    return table, bad_rows, noted, [n for n in gone if n is not None]


# --------------------------------------------------------------------------- Excel


def xlsx_problem(file: Path) -> str | None:
    """Why a workbook must not be opened: not a zip, or it would inflate past the limits.
    Decided from the zip's directory (declared sizes) before any XML is read."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        return "cannot read file: not a valid .xlsx workbook (not a zip archive); save it again"
    inflated = sum(m.file_size for m in members)
    if inflated > XLSX_MAX_INFLATED_BYTES:
        return (
            f"would inflate to {inflated / 2**20:,.0f} MB, above the limit of "
            f"{XLSX_MAX_INFLATED_BYTES / 2**20:,.0f} MB for a workbook; refused (split the "
            "workbook, or save the large sheet as CSV)"
        )
    for member in members:
        if member.file_size > 16 * 2**20 and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size / max(member.compress_size, 1)
            return (
                f"part {member.filename} inflates {ratio:,.0f}× (limit {XLSX_MAX_RATIO}×); "
                "refused as a likely zip bomb"
            )
    return None


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def merged_ranges(archive: zipfile.ZipFile, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a sheet as 0-based (first row, first column, last row, last column).

    Read from the sheet's XML directly, because openpyxl's streaming reader does not keep
    them; the XML is streamed in chunks, never held whole."""
    ranges = []
    tail = b""
    with archive.open(sheet_path.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            for match in _MERGE.finditer(block):
                c1, r1, c2, r2 = match.groups()
                ranges.append((int(r1) - 1, _column(c1), int(r2) - 1, _column(c2)))
            tail = block[-200:]  # a tag cut by the chunk's end is found next time
    return sorted(set(ranges))


# A cell holding a formula and no saved value: <c r="E3"><f>E2*2</f><v></v></c>, or a
# shared formula <f t="shared" si="0"/> with no <v>. Written by tools that do not calculate.
_UNCACHED = re.compile(
    rb'<(?:\w+:)?c r="([A-Z]+)(\d+)"[^>]*>\s*<(?:\w+:)?f(?:\s[^>]*)?(?:/>|>[^<]*</(?:\w+:)?f>)'
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)


def uncached_formulas(archive: zipfile.ZipFile, sheet_path: str) -> set[tuple[int, int]]:
    """Cells (0-based row, column) that hold a formula with no saved value: openpyxl reads
    them as empty, so their values would vanish without a word. Excel and WPS save the
    values; a workbook written by a script or some web systems does not."""
    cells: set[tuple[int, int]] = set()
    tail = b""
    with archive.open(sheet_path.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            if b"<f" in block or b":f" in block:
                for match in _UNCACHED.finditer(block):
                    cells.add((int(match.group(2)) - 1, _column(match.group(1))))
            tail = block[-2000:]  # a cell cut by the chunk's end is found next time
    return cells


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number - 1


def read_sheet(worksheet) -> tuple[list[tuple], str | None]:
    """A read-only worksheet's cell values, row by row, or a refusal past
    :data:`XLSX_MAX_ROWS` rows."""
    worksheet.reset_dimensions()  # a wrong stored dimension must not cut the sheet short
    grid = []
    for row in worksheet.iter_rows(values_only=True):
        if len(grid) >= XLSX_MAX_ROWS:
            return [], f"has more than {XLSX_MAX_ROWS:,} rows; refused"
        grid.append(row)
    return grid, None
