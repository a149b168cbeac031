"""Typing values as offices write them: ``2,000``, ``1.2万``, ``约100人``, ``无``,
``2022年7月``, Excel serial dates, 是/否, and codes in Chinese with their negations.

Each column is parsed with vectorised string operations; a value that cannot be read is
reported through a ``(message, mask)`` pair, and a value read with less precision than it
seems to have (a month, an approximate count) through ``notes``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .mapping import MAPPING_FILE
from .schema import Column, category_map, match_code, negated_code, normalise_label

STRING = pd.StringDtype("pyarrow")
_TRUE = {"是", "有", "yes", "y", "true", "t", "1", "√", "✓", "对"}
_FALSE = {"否", "无", "no", "n", "false", "f", "0", "×", "✗", "不"}


def parse_column(
    values: pd.Series,
    column: Column,
    notes: list[tuple[np.ndarray, str]] | None = None,
    user_codes: dict[str, dict[str, str]] | None = None,
):
    """Parse one column. Returns the typed series and, if some values could not be read,
    ``(message_for_value, bad_mask)``. Values read with less precision than written
    suggests (a month for a date, an approximate count) are added to ``notes`` as
    ``(mask, message)``."""
    notes = [] if notes is None else notes
    kind = column.type
    if kind in ("id", "text"):
        return _as_text(values, kind == "id"), None
    if kind == "category":
        return _as_category(values, column, (user_codes or {}).get(column.name, {}), notes)
    if kind == "date":
        return _as_date(values, notes)
    if kind == "bool":
        return _as_bool(values)
    return _as_number(values, kind, notes)


def _as_text(values: pd.Series, identifier: bool) -> pd.Series:
    if identifier and pd.api.types.is_float_dtype(values.dtype):
        # Excel stores 101 as 101.0; an identifier is "101".
        whole = values.dropna()
        if (whole == np.floor(whole)).all():
            values = values.astype("Int64")
        text = values.astype(STRING)
    else:
        text = _text_of(values)
    text = text.str.strip()
    return text.mask(text == "")


def display(value) -> str | None:
    """A value as a user wrote or would write it: 12 not 12.0, 2022-07-01 not a timestamp."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    return _cell_text(value)


def _text_of(values: pd.Series, cell_text=None) -> pd.Series:
    """Values as Arrow-backed text: a cheap cast for string columns, a per-cell conversion
    only for mixed columns such as those Excel gives."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype(STRING)
    return values.map(cell_text or _cell_text, na_action="ignore").astype(STRING)


def _date_text(value) -> str:
    return value if isinstance(value, str) else str(value)[:10]  # a Timestamp's day


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _blank(values: pd.Series) -> np.ndarray:
    """True where a cell is empty: missing, or only spaces."""
    missing = values.isna().to_numpy()
    if values.dtype == STRING or values.dtype == object:
        stripped = values.astype(STRING).str.strip()
        missing = missing | (stripped == "").fillna(True).to_numpy(dtype=bool)
    return missing


_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3}


_NONE_WRITTEN = r"^(?:无|/|／|—+|-+|–|暂无|n/?a|none)$"  # "nothing", as offices write it
_ABOUT_BEFORE = r"^(?:约|大约|近|逾|超过|多于)"
_ABOUT_AFTER = r"(?:余|多|\+|以上|左右)$"
_COUNT_UNITS = r"(?:人次|场次|人|个|次|场|篇|户|名|位|项|件|条|天|小时|支|家|期|条次)$"


def _as_number(values: pd.Series, kind: str, notes: list | None = None):
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype(object)
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.astype("float64")
        blank = np.zeros(len(values), dtype=bool)
        unreadable = np.zeros(len(values), dtype=bool)
    else:
        text = _text_of(values).str.normalize("NFKC").str.strip()
        text = text.mask(text.str.lower().str.fullmatch(_NONE_WRITTEN).fillna(False))
        blank = _blank(text)
        text = text.str.replace(r"[,，\s]|元|人民币|(?i:rmb|cny)|¥|￥", "", regex=True)
        if kind == "int":
            text = _ordinal_text(text)
        if kind != "share":
            text = text.str.replace(_COUNT_UNITS, "", regex=True)
            about = (
                text.str.contains(f"{_ABOUT_BEFORE}|{_ABOUT_AFTER}", regex=True)
                .fillna(False)
                .to_numpy(dtype=bool)
            )
            if about.any():
                text = text.str.replace(_ABOUT_BEFORE, "", regex=True)
                text = text.str.replace(_ABOUT_AFTER, "", regex=True)
                text = text.str.replace(_COUNT_UNITS, "", regex=True)
        else:
            about = np.zeros(len(values), dtype=bool)
        multiplier = pd.Series(1.0, index=values.index)
        for suffix, factor in _MULTIPLIERS.items():
            ends = text.str.endswith(suffix).fillna(False).to_numpy(dtype=bool)
            multiplier[ends] = factor
            text = text.mask(ends, text.str.slice(0, -1))
        if kind == "share":
            percent = text.str.endswith("%").fillna(False).to_numpy(dtype=bool)
            multiplier[percent] = 0.01
            text = text.mask(percent, text.str.slice(0, -1))
        if kind == "ratio":
            text, multiplier = _split_ratio(text, multiplier)
        numbers = pd.to_numeric(text, errors="coerce").astype("float64") * multiplier
        unreadable = numbers.isna().to_numpy() & ~blank
        if notes is not None and (about & ~unreadable).any():
            notes.append(
                (about & ~unreadable, "approximate (约, 余, +) read as the number written")
            )
    # "1e999" parses as infinity, and integers past 2**53 lose digits: neither is a figure.
    with np.errstate(invalid="ignore"):
        limit = 2.0**53 if kind in ("int", "count") else np.inf
        unreadable |= ~np.isnan(numbers.to_numpy()) & ~(np.abs(numbers.to_numpy()) < limit)
    numbers = numbers.where(~unreadable)
    problems: list[tuple[np.ndarray, Callable[[object], str]]] = []
    if unreadable.any():
        problems.append((unreadable, lambda v: "not a number"))
    valid = numbers.to_numpy()
    with np.errstate(invalid="ignore"):
        if kind in ("money", "count", "ratio", "share"):
            negative = valid < 0
            if negative.any():
                problems.append((negative, lambda v: "must not be negative"))
        if kind in ("int", "count"):
            fractional = ~np.isnan(valid) & (valid != np.floor(valid))
            if fractional.any():
                problems.append((fractional, lambda v: "must be a whole number"))
        if kind == "share":
            above = valid > 1
            if above.any():
                problems.append(
                    (above, lambda v: "a share must be between 0 and 1; write 60% or 0.6")
                )
    bad_any = np.zeros(len(values), dtype=bool)
    for mask, _ in problems:
        bad_any |= mask
    typed = numbers.where(~bad_any)
    if kind in ("int", "count"):
        typed = typed.round().astype("Int64")
    if not problems:
        return typed, None
    if len(problems) == 1:
        return typed, (problems[0][1], bad_any)
    return typed, (lambda value: _describe_number(value, kind), bad_any)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS |= {"七": 7, "八": 8, "九": 9}
_ORDINAL = r"^第?(?P<n>[\d零〇一二两三四五六七八九十百首]+)(?:届|期|轮|批|次|年度|年)?$"


def chinese_number(text: str) -> int | None:
    """A whole number written in Chinese numerals (四, 十二, 二十一, 一百零五, 二〇二四) or
    digits, or None."""
    if text.isdigit():
        return int(text)
    if text == "首":  # 首届: the first
        return 1
    if not text or any(c not in _DIGITS and c not in "十百" for c in text):
        return None
    if "十" not in text and "百" not in text:  # 二〇二四: digit by digit
        return int("".join(str(_DIGITS[c]) for c in text))
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            unit = 10 if char == "十" else 100
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


def _ordinal_text(text: pd.Series) -> pd.Series:
    """Rounds and years as offices write them: 第四届, 第4期, 四, 2024年, 2024年度 → the
    number as digits; anything else is left for the number parser to refuse."""
    found = text.str.extract(_ORDINAL)["n"]
    mask = found.notna().to_numpy()
    if not mask.any():
        return text
    numbers = found[mask].map(chinese_number)
    converted = numbers.map(lambda n: None if n is None else str(n))
    out = text.copy()
    out[mask] = converted.where(converted.notna(), text[mask]).astype(STRING)
    return out


def _describe_number(value, kind: str) -> str:
    text = str(value).strip()
    number = pd.to_numeric(
        pd.Series([text]).str.replace(r"[,，\s元¥￥%万]", "", regex=True), errors="coerce"
    ).iloc[0]
    if pd.isna(number):
        return "not a number"
    if number < 0:
        return "must not be negative"
    if kind in ("int", "count") and number != int(number):
        return "must be a whole number"
    return "a share must be between 0 and 1; write 60% or 0.6"


def _split_ratio(text: pd.Series, multiplier: pd.Series):
    parts = text.str.replace("：", ":").str.split(":", n=1, expand=True, regex=False)
    if parts.shape[1] < 2:
        return text, multiplier
    has_colon = parts[1].notna().to_numpy()
    left = pd.to_numeric(parts[0], errors="coerce")
    right = pd.to_numeric(parts[1], errors="coerce")
    ratio = (left / right).astype("float64")
    text = text.mask(has_colon, ratio.astype(STRING))
    return text, multiplier


_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # day 0 of Excel's serial dates (1900 system)
_SERIAL_RANGE = (1, 2_958_465)  # 1900-01-01 to 9999-12-31
_MONTH_ONLY = r"^(\d{4})-(\d{1,2})-?$"


def _as_date(values: pd.Series, notes: list | None = None):
    """Days; an Excel serial number (44743) is a day; a month alone (2022年7月, 2022-07)
    is read as its first day and listed in ``notes``, so its precision is not lost."""
    notes = [] if notes is None else notes
    blank = _blank(values)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        dates = values.dt.normalize()
    elif pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    ):
        dates = _serial_dates(values.astype("float64"))
        if dates.notna().any():
            notes.append((dates.notna().to_numpy(), "Excel serial numbers read as dates"))
    else:
        text = _text_of(values, _date_text).str.normalize("NFKC").str.strip()
        # a time after the day (2024/3/5 0:00, as Excel exports a date cell to CSV) goes
        text = text.str.replace(r"\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$", "", regex=True)
        text = text.str.replace(r"\s+", "", regex=True)
        text = text.str.replace(r"[年月/.]", "-", regex=True).str.replace(
            r"[日号]$", "", regex=True
        )
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        missed = dates.isna().to_numpy() & ~blank
        if missed.any():
            month = text.str.extract(_MONTH_ONLY).where(pd.Series(missed, index=text.index))
            month_dates = pd.to_datetime(
                month[0] + "-" + month[1] + "-1", format="%Y-%m-%d", errors="coerce"
            )
            is_month = month_dates.notna().to_numpy()
            if is_month.any():
                dates = dates.where(~is_month, month_dates)
                notes.append((is_month, "a month only: read as the first day of the month"))
            serial = pd.to_numeric(text.where(missed & ~is_month), errors="coerce")
            serial_dates = _serial_dates(serial)
            is_serial = serial_dates.notna().to_numpy()
            if is_serial.any():
                dates = dates.where(~is_serial, serial_dates)
                notes.append((is_serial, "Excel serial numbers read as dates"))
    dates = dates.astype("datetime64[s]") if len(dates) else dates
    unreadable = dates.isna().to_numpy() & ~blank
    if not unreadable.any():
        return dates, None
    return dates, (lambda v: "not a date (write 2022-07-01, 2022/7/1 or 2022年7月1日)", unreadable)


def _serial_dates(numbers: pd.Series) -> pd.Series:
    whole = numbers.where(
        (numbers >= _SERIAL_RANGE[0]) & (numbers <= _SERIAL_RANGE[1]) & (numbers % 1 == 0)
    )
    return _EXCEL_EPOCH + pd.to_timedelta(whole, unit="D")


def _as_bool(values: pd.Series):
    blank = _blank(values)
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), None
    text = _text_of(values).str.normalize("NFKC").str.strip().str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    # 已登记 / 已签约: done, yes; 未登记 / 没有 / 不是: no
    done = text.str.match("^已[\u4e00-\u9fff]{1,4}$").fillna(False).to_numpy(dtype=bool)
    undone = text.str.match("^(?:未|没有|没|不|非)[\u4e00-\u9fff]{1,4}$")
    undone = undone.fillna(False).to_numpy(dtype=bool)
    result[done] = True
    result[undone] = False
    result[text.isin(_TRUE).fillna(False).to_numpy(dtype=bool)] = True
    result[text.isin(_FALSE).fillna(False).to_numpy(dtype=bool)] = False
    unreadable = result.isna().to_numpy() & ~blank
    if not unreadable.any():
        return result, None
    return result, (lambda v: "not yes or no (write 是/否, yes/no or 1/0)", unreadable)


def _as_category(
    values: pd.Series,
    column: Column,
    user_codes: dict[str, str] | None = None,
    notes: list | None = None,
):
    codes_map = category_map(column) | (user_codes or {})
    if isinstance(values.dtype, pd.CategoricalDtype):  # read dictionary-encoded
        codes, uniques = values.cat.codes.to_numpy(), values.cat.categories
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    normalised = [normalise_label(_cell_text(u)) for u in uniques]
    mapped: list[str | None] = []
    read_by: dict[int, str] = {}  # unique → how a code was read (团队型 → team, by its stem)
    ambiguous: dict[str, tuple[str, ...]] = {}  # normalised value → the codes it could be
    for index, key in enumerate(normalised):
        code, candidates, how = match_code(key, codes_map) if key else (None, (), "")
        mapped.append(code)
        if how:
            read_by[index] = f"{_cell_text(uniques[index])} → {code}"
        if candidates:
            ambiguous[key] = candidates
    unknown = {
        i for i, (n, m) in enumerate(zip(normalised, mapped, strict=True)) if m is None and n
    }
    categories = list(column.allowed)
    lookup = np.array([categories.index(m) if m else -1 for m in mapped] + [-1], dtype=np.int64)
    category_codes = lookup[codes]  # codes of -1 (missing) index the trailing -1
    typed = pd.Series(
        pd.Categorical.from_codes(category_codes, categories=categories),
        index=values.index,
    )
    if read_by and notes is not None:
        notes.append(
            (
                np.isin(codes, list(read_by)),
                "codes read by their stem or the code word in them: "
                + "; ".join(read_by[i] for i in sorted(read_by)),
            )
        )
    if not unknown:
        return typed, None
    bad = np.isin(codes, list(unknown))
    allowed = ", ".join(column.allowed)

    def message(value) -> str:
        written = _cell_text(value)
        denied = negated_code(column, written)
        if denied is not None:
            # 未签约 must never be offered as 'signed': say what it denies instead.
            return (
                f"not an allowed value; a negation of {denied!r} with no code of its own: "
                f"map it in {MAPPING_FILE} (codes:); allowed: {allowed}"
            )
        candidates = ambiguous.get(normalise_label(written))
        if candidates:
            return (
                f"not an allowed value; it could be {' or '.join(map(repr, candidates))}: "
                f"map it in {MAPPING_FILE} (codes:); allowed: {allowed}"
            )
        close = nearest_code(written, codes_map)
        hint = f"did you mean {close!r}? " if close else ""
        return f"not an allowed value; {hint}allowed: {allowed}"

    return typed, (message, bad)


def nearest_code(written: str, codes: dict[str, str]) -> str | None:
    """The code a misspelt value most likely means, for a hint or a suggested mapping line;
    None unless one is clearly near. A suggestion must never say the opposite of what was
    written, so a negation (未签约, not signed) gets none, a value is compared only with
    spellings in its own script (Chinese with Chinese, English with English), and an English
    value must be a near miss of a whole spelling (``complted``), not a word that shares two
    letters with one (``done`` is nothing like ``idea``)."""
    key = normalise_label(written)
    if not key or key.startswith(_NEGATED):
        return None
    chinese = bool(_HAN.search(key))
    same_script = {
        s: c
        for s, c in codes.items()
        if s and bool(_HAN.search(s)) == chinese and not s.startswith(_NEGATED)
    }
    if chinese:
        close = difflib.get_close_matches(key, list(same_script), n=3, cutoff=0.5)
        close = [c for c in close if set(c) & set(key)]
    else:
        close = difflib.get_close_matches(key, list(same_script), n=3, cutoff=0.8)
    codes_found = {same_script[c] for c in close}
    if len(codes_found) != 1:
        return None  # nothing near, or near to two codes: no guess
    return codes_found.pop()


_HAN = re.compile(r"[\u4e00-\u9fff]")
# Negated spellings (未签约, unsigned): never offered, and a negated value is offered nothing.
_NEGATED = ("未", "不", "非", "无", "没有", "not_", "non_", "non", "un", "no_")
