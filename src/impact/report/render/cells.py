"""What the spreadsheet formats share: text that can never run as a formula, the width of
text as Excel counts it, and valid sheet names.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return) is neutralised: prefixed with a single quote in CSV (OWASP, "CSV
injection") and stored as a text cell, never a formula, in the workbook.
"""

from __future__ import annotations

import re
import unicodedata

from .. import format as fmt
from ..blocks import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
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
    name, number = _cut(base, 31), 2
    while name.lower() in {n.lower() for n in taken}:
        suffix = f" {number}"
        name, number = _cut(base, 31 - len(suffix)) + suffix, number + 1
    return name


def _cut(text: str, most: int) -> str:
    """``text`` in at most ``most`` characters: a longer one is cut at a word where it has
    words (English), ending with an ellipsis, never with a space."""
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    if " " in cut and " " not in text[most - 1 : most]:
        cut = cut.rsplit(" ", 1)[0] if len(cut.rsplit(" ", 1)[0]) > most // 2 else cut
    return cut.rstrip(" -–,;:(（") + "…"


def percent_suffix(header: str, unit: str) -> str:
    """``（%）`` after a percentage column's header where the header does not say so (the
    CSV writes percentages in per cent)."""
    if unit != "percent" or "%" in header:
        return ""
    return "（%）" if re.search(r"[\u4e00-\u9fff]", header) else " (%)"


def columns_written(table: Table) -> list[tuple[int, bool]]:
    """The sheet's columns: (the table's column, whether it is the words beside a number).
    A numeric column gets its words beside it where any cell's text is not the number
    written for its unit (a source's ``100余``)."""
    found = []
    for place in range(len(table.columns)):
        found.append((place, False))
        if any(as_words(table, row, place) for row in range(len(table.values))):
            found.append((place, True))
    return found


def as_words(table: Table, row: int, place: int) -> bool:
    value, text = table.values[row][place], table.texts[row][place]
    if not isinstance(value, int | float) or isinstance(value, bool) or not text:
        return False
    column = table.cell_column(row, place)
    if column.unit not in fmt.NUMERIC:
        return False
    return text != fmt.value_text(value, column, table.language)
