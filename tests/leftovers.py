"""Code and English left on the pages and in the exported files of built reports.

Used by ``tests/test_deliver.py``; also runnable to count what a folder of reports holds:
``python -m tests.leftovers reports/`` prints each leftover and the total.

Checked everywhere: ``True/False/nan/inf/None``, snake_case identifiers, machine paths, more
than three decimals, ISO timestamps, rounds printed as floats. On Chinese pages and in Chinese
headers also: English words, except the allow-list (method and author names, AUC, ...).
"""

from __future__ import annotations

import csv
import html
import re
import sys
from pathlib import Path

#: English a Chinese page may carry: methods and their authors, the software's name.
ALLOWED_WORDS = {
    "AUC",
    "BCa",
    "Kaplan",
    "Meier",
    "Callaway",
    "Sant",
    "Anna",
    "Goodman",
    "Bacon",
    "Efron",
    "Poisson",
    "GLM",
    "impact",
}
CODE_WORDS = re.compile(r"(?<![\w-])(True|False|nan|NaN|inf|None|NaT)(?![\w-])|<NA>")
SNAKE = re.compile(r"(?<![\w/.])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+")
PATH = re.compile(r"(/home/|/tmp/|/work/|/Users/|/var/|[A-Z]:\\\\)")
DECIMALS = re.compile(r"\d\.\d{4,}")
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
FLOAT_ROUND = re.compile(r"第\s*\d+\.\d+\s*届|第\s*(19|20)\d\d\s*届|round (19|20)\d\d")
ENGLISH = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z]{2,}(?![A-Za-z0-9_])")


def visible_text(page: str) -> str:
    """What a reader sees: tag-free text, figure text included, styles left out."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    page = re.sub(r"<(script|head)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def problems(text: str, language: str, where: str) -> list[str]:
    found = []
    for pattern, what in (
        (CODE_WORDS, "code value"),
        (SNAKE, "code name"),
        (PATH, "machine path"),
        (DECIMALS, "too many decimals"),
        (ISO_TIME, "machine time"),
        (FLOAT_ROUND, "round as a float"),
    ):
        found += [f"{where}: {what}: {m.group(0)!r}" for m in pattern.finditer(text)]
    if language == "zh":
        found += [
            f"{where}: English: {m.group(0)!r}"
            for m in ENGLISH.finditer(text)
            if m.group(0) not in ALLOWED_WORDS
        ]
    return found


def language_of(folder: Path) -> str:
    return "zh" if folder.name == "zh" else "en"


def cell_problems(value: str, where: str) -> list[str]:
    """A table cell printed as code: ``-9.0``, ``2.0``."""
    return [f"{where}: float as text: {value!r}"] if re.fullmatch(r"-?\d+\.0", value) else []


def scan_report(folder: Path, language: str | None = None) -> list[str]:
    """Every leftover of one report folder: its page, its CSV and workbook headers, and any
    ``inf``/``nan`` text in their cells."""
    language = language or language_of(folder)
    found = []
    page_path = folder / "report.html"
    if page_path.exists():
        page = page_path.read_text("utf-8")
        found += problems(visible_text(page), language, str(page_path))
        for cell in re.findall(r"<td[^>]*>([^<]*)</td>", page):
            found += cell_problems(html.unescape(cell).strip(), str(page_path))
    for table in sorted((folder / "tables").glob("*.csv")):
        with open(table, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        if rows:
            found += problems(" | ".join(rows[0]), language, f"{table} header")
        for row in rows[1:]:
            found += [
                f"{table}: code value: {v!r}"
                for v in row
                if v.strip() in ("inf", "-inf", "nan", "NaN", "None", "True", "False")
            ]
    for book_path in sorted(folder.glob("*.xlsx")) + sorted((folder / "tables").glob("*.xlsx")):
        from openpyxl import load_workbook

        book = load_workbook(book_path)
        for sheet in book.worksheets:
            found += problems(sheet.title, language, f"{book_path} sheet name")
            header = [str(c.value) for c in sheet[1] if c.value is not None]
            found += problems(" | ".join(header), language, f"{book_path} [{sheet.title}] header")
            for row in sheet.iter_rows(min_row=2, values_only=True):
                found += [
                    f"{book_path} [{sheet.title}]: code value: {v!r}"
                    for v in row
                    if isinstance(v, str) and v.strip() in ("inf", "-inf", "nan", "None")
                ]
    return found


#: a published report: ``<lang>`` links to the version folder ``.<lang>.v-…`` beside it
VERSION = re.compile(r"\.(zh|en)\.v-.+")


def scan(root: Path) -> list[str]:
    """Every leftover of every report under ``root``: each language's published version
    (the folder its ``zh``/``en`` link points to; ``rglob`` does not follow the link), or
    a plain ``zh``/``en`` folder; staging folders and superseded versions are skipped."""
    found = []
    for page in sorted(Path(root).rglob("report.html")):
        parts = page.relative_to(root).parts[:-1]
        if any(part.startswith(".") for part in parts[:-1]):
            continue
        folder = page.parent
        version = VERSION.fullmatch(parts[-1]) if parts else None
        if version:
            link = folder.parent / version.group(1)
            if link.is_symlink() and link.resolve() == folder.resolve():
                found += scan_report(folder, version.group(1))
        elif not (parts and parts[-1].startswith(".")):
            found += scan_report(folder)
    return found


if __name__ == "__main__":
    leftovers = scan(Path(sys.argv[1]))
    for line in leftovers:
        print(line)
    print(f"{len(leftovers)} leftovers")
