"""Values as a reader expects to see them: numbers by unit, rounds, yes/no, blanks, local time.

One home for how a report writes a value, so the page, the Excel workbook, the CSV, the PDF and
the Word document agree. A column's *unit* decides everything: ``yuan`` (whole yuan with
separators), ``yuan_fine`` (yuan with two decimals, for costs per unit), ``percent`` (shares
stored as fractions), ``ratio`` (two decimals), ``count`` (whole numbers with separators),
``number`` (at most two decimals), ``round`` (第N届 / round N), ``year`` (no separator),
``flag`` (是/否), ``text``. The unit comes from the section's display pattern when it gives
one (``"{:.0%}"`` is a percentage) and otherwise from the column's name and type.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .catalogue import t

TIMEZONE = "Asia/Shanghai"
ZONE_NAMES = {"Asia/Shanghai": {"zh": "北京时间", "en": "Beijing time"}}

NUMERIC = {"yuan", "yuan_fine", "percent", "ratio", "count", "number", "year"}
#: Excel number formats by unit (the workbook shows what the page shows, as numbers).
EXCEL_FORMAT = {
    "yuan": "#,##0",
    "yuan_fine": "#,##0.00",
    "percent": "0.0%",
    "ratio": "0.00",
    "count": "#,##0",
    "number": "#,##0.00",
    "year": "0",
}
PERCENT_COLUMNS = {
    "achieved",
    "conversion",
    "spend_rate",
    "risk",
    "peer_median",
    "active_share",
    "registered_share",
    "self_financing_share",
    "match_share",
}
RATIO_COLUMNS = {"leverage", "leverage_ratio", "ratio", "hazard_ratio", "multiplier"}
COUNT_COLUMNS = {"n", "n_clusters", "reached", "units", "events", "projects", "duration_rounds"}
ROUND_COLUMNS = {"round", "first_round", "last_round"}
YEAR_COLUMNS = {"year", "first_year", "last_year"}


@dataclass(frozen=True)
class Column:
    """One column of a table as shown: its key in the data, header and unit."""

    key: str
    header: str
    unit: str
    decimals: int | None = None

    @property
    def numeric(self) -> bool:
        """Aligned right: numbers, and numbers a section already wrote as text."""
        return self.unit in NUMERIC or self.unit == "number_text"

    @property
    def excel_format(self) -> str:
        if self.unit == "percent" and self.decimals is not None:
            return "0" + ("." + "0" * self.decimals if self.decimals else "") + "%"
        if self.unit in ("ratio", "number") and self.decimals is not None:
            return "#,##0" + ("." + "0" * self.decimals if self.decimals else "")
        return EXCEL_FORMAT.get(self.unit, "@")


def unit_from_pattern(pattern: str) -> tuple[str, int | None]:
    """The unit a display pattern such as ``"{:.1%}"`` or ``"{:,.0f}"`` stands for."""
    match = re.search(r"\{:(,?)\.(\d+)([f%])\}", pattern)
    if not match:
        return "number", None
    separators, decimals, kind = match.group(1), int(match.group(2)), match.group(3)
    if kind == "%":
        return "percent", decimals
    if decimals == 0:
        return ("count" if separators else "count"), 0
    return "ratio", decimals


def unit_of(key: str, values: pd.Series | None = None) -> str:
    """The unit of a column named ``key`` (its values break ties)."""
    if key.endswith("_yuan"):
        return "yuan"
    if key in ("cost_per_unit",):
        return "yuan_fine"
    if key in PERCENT_COLUMNS or key.endswith("_share"):
        return "percent"
    if key in RATIO_COLUMNS or key.endswith("_ratio"):
        return "ratio"
    if key in ROUND_COLUMNS:
        return "round"
    if key in YEAR_COLUMNS:
        return "year"
    if key in COUNT_COLUMNS:
        return "count"
    if values is None:
        return "text"
    if pd.api.types.is_bool_dtype(values):
        return "flag"
    if pd.api.types.is_integer_dtype(values):
        return "count"
    if pd.api.types.is_float_dtype(values):
        finite = values[np.isfinite(values.astype(float))]
        if len(finite) and (finite == finite.round()).all() and finite.abs().max() >= 100:
            return "count"
        return "number"
    if values.dtype == object and len(values.dropna()):
        kinds = {type(v) for v in values.dropna()}
        if kinds <= {bool, np.bool_}:
            return "flag"
    return "text"


def header(key: str, unit: str, language: str, label: str | None = None) -> str:
    """A column header in the reader's language, with its unit where the words lack one."""
    words = t(label or key, language)
    if language == "en" and words[:1].islower():  # a header, not a word inside a sentence
        words = words[0].upper() + words[1:]
    if unit in ("yuan", "yuan_fine") and "元" not in words and "yuan" not in words:
        words += "（元）" if language == "zh" else " (yuan)"
    return words


def columns(
    frame: pd.DataFrame,
    language: str,
    formats: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> list[Column]:
    """How each column of ``frame`` is shown."""
    found = []
    for key in frame.columns:
        key = str(key)
        decimals = None
        if formats and key in formats:
            unit, decimals = unit_from_pattern(formats[key])
            if unit == "count" and unit_of(key) in ("yuan", "yuan_fine"):
                unit = unit_of(key)
        else:
            unit = unit_of(key, frame[key])
        label = headers.get(key) if headers else None
        found.append(Column(key, header(key, unit, language, label), unit, decimals))
    return found


def is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def value_text(value, column: Column, language: str) -> str:
    """One value as the page shows it."""
    if is_missing(value):
        return ""
    unit = column.unit
    if isinstance(value, (bool, np.bool_)) or unit == "flag":
        if isinstance(value, str):
            return value
        return t("yes", language) if bool(value) else t("no", language)
    if unit == "round":
        return round_text(value, language)
    if unit == "year":
        year = _integer_text(value, separators=False)
        return t("year_label", language, year=year) if language == "zh" else year
    if unit in NUMERIC:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return plain(value, language)
        if math.isinf(number):
            return t("not_reached", language) if number > 0 else ""
        return number_text(number, unit, column.decimals)
    return plain(value, language)


def number_text(number: float, unit: str, decimals: int | None = None) -> str:
    """A finite number formatted for its unit (minus sign as U+2212 is avoided: ASCII ``-``)."""
    if unit == "percent":
        places = 0 if decimals is None else decimals
        return f"{number * 100:,.{places}f}%"
    if unit == "yuan" or unit == "count":
        return f"{number:,.0f}"
    if unit == "yuan_fine":
        return f"{number:,.2f}"
    if unit == "ratio":
        return f"{number:,.{2 if decimals is None else decimals}f}"
    if unit == "year":
        return f"{number:.0f}"
    # a number: whole numbers stay whole, others keep at most two decimals
    if number == round(number):
        return f"{number:,.0f}"
    places = 2 if decimals is None else decimals
    return f"{number:,.{places}f}"


def _integer_text(value, separators: bool = True) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f}" if separators else f"{number:.0f}"


def round_text(value, language: str, year: int | None = None) -> str:
    """A round as 第N届 (or the year, when the round is a year)."""
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return str(value)
    if year is not None or number >= 1990:
        return f"{year or number}年" if language == "zh" else str(year or number)
    return f"第{number}届" if language == "zh" else f"round {number}"


def period_text(period, language: str) -> str:
    """An event time in words: 加入前3年 / 加入当年 / 加入后2年 (years since joining)."""
    if period == "overall":
        return t("overall", language)
    number = int(float(period))
    if number == 0:
        return t("year_joined", language)
    key = ("years_before" if number < 0 else "years_after") + ("_one" if abs(number) == 1 else "")
    return t(key, language, n=abs(number))


def plain(value, language: str) -> str:
    """Text as text; stray numbers, booleans and special values in words."""
    if isinstance(value, (bool, np.bool_)):
        return t("yes", language) if bool(value) else t("no", language)
    if isinstance(value, (float, np.floating)):
        if math.isinf(value):
            return t("not_reached", language) if value > 0 else ""
        return number_text(float(value), "number")
    if isinstance(value, (int, np.integer)):
        return f"{int(value)}"
    text = str(value)
    if text in ("nan", "NaN", "None", "<NA>", "NaT", "inf", "-inf"):
        return ""
    if text in ("True", "False"):
        return t("yes" if text == "True" else "no", language)
    return text


def excel_value(value, column: Column):
    """One value as the workbook stores it: a number for numeric units (blank when missing or
    infinite), text otherwise (neutralised later)."""
    if is_missing(value):
        return None
    if column.unit in NUMERIC:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        return None if math.isinf(number) else number
    return value


def local_time(moment: str | datetime | None = None, language: str = "zh") -> str:
    """A moment in the office's time zone, with the zone named:
    ``2026年11月24日 08:30（北京时间）`` / ``24 Nov 2026, 08:30 (Beijing time, Asia/Shanghai)``."""
    if moment is None:
        moment = datetime.now(UTC)
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(ZoneInfo(TIMEZONE))
    name = ZONE_NAMES.get(TIMEZONE, {}).get(language, TIMEZONE)
    if language == "zh":
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（{name}）"
    return f"{local.day} {local:%b %Y, %H:%M} ({name}, {TIMEZONE})"
