"""The input contract of every estimator that takes a plain DataFrame.

An estimator never turns a value it does not understand into a number. Each column it is
given passes through one of the readers here, which either return clean numbers, leave a
value out and say so in a :class:`Note` (with the count, per column), or refuse with an
:class:`InputError` that names the function's argument, the column and, for a single bad
value, its row and the value:

- :func:`event_indicator`: 0/1 or boolean only; R's survival coding (1 = censored,
  2 = event) is refused with the recode to use, or read when asked
  (``event_coding="1/2"``); yes/no text is refused with the mapping to write;
- :func:`amounts`: yuan and counts read with the loader's own value parser
  (:mod:`impact.values`: ``2,000``, ``1.2万``, ``2000元``, ``约100人``), negative amounts
  refused, ``n/a``, ``无`` and blanks missing (never 0);
- :func:`numbers`: durations, outcomes and covariates that must already be numbers
  (``20 weeks`` is refused with its row);
- :func:`drop_missing`: leaves out rows with a missing value in the columns a model
  needs, counting them per column (R's "1 observation deleted due to missingness");
- :func:`clusters`: one cluster is refused, fewer than :data:`FEW_CLUSTERS` are noted
  with the alternative;
- :func:`periods_and_cohorts`: a panel's periods and cohorts on one numeric scale, on
  one grid.

Notes are small frozen records with a stable ``key`` and their ``values`` so that a report
can word them in Chinese; their English ``text`` is what ``str(note)`` gives.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from .errors import EstimationError

__all__ = [
    "FEW_CLUSTERS",
    "TEXT_CODES",
    "EventCoding",
    "InputError",
    "Note",
    "Notes",
    "amounts",
    "clusters",
    "covariates_as_given",
    "drop_missing",
    "event_indicator",
    "numbers",
    "periods_and_cohorts",
    "require_columns",
    "survival_data",
]

#: Below this many clusters a cluster-robust variance is biased downward and its normal
#: critical values too small (Cameron & Miller 2015, *J. Human Resources* 50(2), §VI).
FEW_CLUSTERS = 10

EventCoding = Literal["0/1", "1/2"]

#: A text covariate whose values are all numbers, with more distinct values than this,
#: is refused as numbers written as text; with fewer it is read as category codes.
TEXT_CODES = 10


class InputError(EstimationError):
    """A column given to an estimator cannot be used as it is.

    ``argument`` is the function's parameter (``event``, ``grant`` …), ``column`` the
    column it named, and for one bad value ``row`` (the DataFrame's index label) and
    ``value`` as written. The message says what would fix it."""

    def __init__(
        self,
        message: str,
        *,
        argument: str | None = None,
        column: str | None = None,
        row: Any = None,
        value: Any = None,
    ) -> None:
        super().__init__(message)
        self.argument = argument
        self.column = column
        self.row = row
        self.value = value


class Note(str):
    """What an estimator did that a reader should know: a small frozen record.

    ``key`` is stable (``"dropped_missing"``, ``"few_clusters"`` …) so that a report can
    word the note in its own language from ``values`` (column, count …); ``text`` is the
    English sentence, and the note *is* that string (printing, joining and ``in`` work as
    on text).

    >>> note = Note("dropped_missing", "1 row left out: missing ph.ecog (1)",
    ...             column="ph.ecog", count=1)
    >>> note.key, note.values["count"], "ph.ecog" in note
    ('dropped_missing', 1, True)
    """

    __slots__ = ("key", "values")
    key: str
    values: Mapping[str, Any]

    def __new__(cls, key: str, text: str, /, **values: Any) -> Note:
        note = super().__new__(cls, text)
        object.__setattr__(note, "key", key)
        object.__setattr__(note, "values", MappingProxyType(dict(values)))
        return note

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Note is frozen")

    @property
    def text(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Note({self.key!r}, {self.text!r})"

    def __reduce__(self):
        return (_note, (self.key, self.text, dict(self.values)))

    def as_dict(self) -> dict[str, Any]:
        """``key``, ``text`` and the values, for JSON or a report's catalogue."""
        return {"key": self.key, "text": self.text, **self.values}

    @classmethod
    def of(cls, note: str) -> Note:
        """A note as it is, or a plain string as a Note with key ``"note"``."""
        return note if isinstance(note, Note) else cls("note", str(note))


def _note(key: str, text: str, values: dict) -> Note:
    return Note(key, text, **values)


class Notes(list):
    """The notes an estimator collects while it reads its inputs and fits."""

    def add(self, key: str, text: str, **values: Any) -> Note:
        note = Note(key, text, **values)
        self.append(note)
        return note


# --------------------------------------------------------------------------- columns


def _where(function: str | None, argument: str) -> str:
    return f"{function}({argument}=...)" if function else f"{argument}=..."


def require_columns(
    df: Any, function: str | None = None, **columns: str | Sequence[str] | None
) -> None:
    """Refuse anything but a DataFrame, and any argument naming a column it lacks (with
    the closest column name, if one is close).

    Parameters
    ----------
    df
        What the estimator was given as its data.
    function
        The estimator's name, for the message.
    **columns
        Argument name → the column (or columns) it names; None is skipped.

    Returns
    -------
    None
        Raises :class:`InputError` naming the argument and the column.

    Examples
    --------
    >>> frame = pd.DataFrame({"grant_yuan": [1000]})
    >>> require_columns(frame, "leverage_ratio", grant="grant")
    Traceback (most recent call last):
    ...
    impact.inputs.InputError: leverage_ratio(grant=...): unknown column 'grant'; did you ...
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"{function or 'the estimator'} takes a pandas DataFrame, not "
            f"{type(df).__name__}; build one with pd.DataFrame(...)"
        )
    for argument, names in columns.items():
        if names is None:
            continue
        for name in [names] if isinstance(names, str) else list(names):
            if name in df.columns:
                continue
            close = difflib.get_close_matches(str(name), [str(c) for c in df.columns], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(
                f"{_where(function, argument)}: unknown column {name!r}{hint} "
                f"(the data have {', '.join(map(str, df.columns))})",
                argument=argument,
                column=str(name),
            )


def _first_bad(series: pd.Series, mask: np.ndarray) -> tuple[Any, Any]:
    position = int(np.flatnonzero(mask)[0])
    return series.index[position], series.iloc[position]


def _row(label: Any) -> str:
    return f"row {label!r}" if not isinstance(label, (int, np.integer)) else f"row {label}"


# ---------------------------------------------------------------------------- events


def event_indicator(
    df: pd.DataFrame,
    column: str,
    *,
    argument: str = "event",
    function: str | None = None,
    coding: EventCoding = "0/1",
) -> pd.Series:
    """The column as floats 1.0 (the event happened) and 0.0 (censored, or not), missing
    values kept as NaN for :func:`drop_missing` to count.

    Accepted: booleans, and numbers 0 and 1 (``coding="0/1"``, the default). R's survival
    coding 1 = censored, 2 = event (``Surv(time, status)`` with status 1/2) is read only
    with ``coding="1/2"``; without it a column of 1s and 2s is refused, since reading it
    as 0/1 would count every censored row as an event. Text (yes/no, 是/否) is refused
    with the mapping to write.

    Parameters
    ----------
    df
        The estimator's data.
    column
        The column named by ``argument``.
    argument
        The estimator's parameter (``event``, ``treatment``), for messages.
    function
        The estimator's name, for messages.
    coding
        ``"0/1"`` or ``"1/2"`` (R's survival coding).

    Returns
    -------
    pandas.Series
        1.0, 0.0 or NaN, on the data's index.

    Examples
    --------
    >>> lung = pd.DataFrame({"status": [2, 1, 2]})
    >>> event_indicator(lung, "status", coding="1/2").tolist()
    [1.0, 0.0, 1.0]
    >>> event_indicator(lung, "status")
    Traceback (most recent call last):
    ...
    impact.inputs.InputError: event=...: column 'status' is coded 1 and 2, ...
    """
    where = _where(function, argument)
    values = df[column]
    if coding not in ("0/1", "1/2"):
        raise InputError(
            f"{_where(function, 'event_coding')}: must be '0/1' or '1/2' (R's survival "
            f"coding), not {coding!r}",
            argument="event_coding",
        )
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64")
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    numeric = pd.to_numeric(values, errors="coerce")
    text = numeric.isna() & values.notna()
    if values.dtype == object:  # True/False objects (a column with missing booleans)
        booleans = values.map(lambda v: isinstance(v, (bool, np.bool_)), na_action="ignore")
        if booleans.fillna(False).astype(bool).any():
            numeric = numeric.where(~booleans.fillna(False).astype(bool), values.astype(float))
            text = numeric.isna() & values.notna()
    if text.any():
        row, value = _first_bad(values, text.to_numpy())
        seen = sorted(map(str, values[text].unique()))[:5]
        raise InputError(
            f"{where}: column {column!r} must be 1 (event) or 0 (censored), or True/False; "
            f"it has text ({', '.join(seen)}), e.g. {_row(row)}: {value!r}. Recode it, "
            f"e.g. df[{column!r}] = df[{column!r}].map({{'yes': 1, 'no': 0}})",
            argument=argument,
            column=column,
            row=row,
            value=value,
        )
    seen = set(numeric.dropna().unique().tolist())
    if coding == "1/2":
        if not seen <= {1.0, 2.0}:
            raise InputError(
                f"{where}: event_coding='1/2' reads 1 as censored and 2 as the event, but "
                f"column {column!r} has {sorted(seen)}",
                argument=argument,
                column=column,
            )
        return numeric - 1.0
    if seen <= {0.0, 1.0}:
        return numeric.astype("float64")
    if seen <= {1.0, 2.0}:
        raise InputError(
            f"{where}: column {column!r} is coded 1 and 2, as R's survival package codes "
            "status (1 = censored, 2 = event); here 1 means the event. Recode it with "
            f"df[{column!r}] - 1, or pass event_coding='1/2' to read it as R does",
            argument=argument,
            column=column,
        )
    other = sorted(v for v in seen if v not in (0.0, 1.0))
    row, value = _first_bad(values, numeric.isin(other).to_numpy())
    raise InputError(
        f"{where}: column {column!r} must be 1 (event) or 0 (censored); it also has "
        f"{', '.join(f'{v:g}' for v in other[:5])}, e.g. {_row(row)}: {value!r}",
        argument=argument,
        column=column,
        row=row,
        value=value,
    )


# ------------------------------------------------------------------- amounts, numbers


def amounts(
    df: pd.DataFrame,
    column: str,
    *,
    argument: str,
    function: str | None = None,
    kind: Literal["money", "count"] = "money",
    notes: Notes | None = None,
) -> pd.Series:
    """Yuan (``kind="money"``) or counts (``"count"``) as floats, read as the loader reads
    an office's spreadsheet (:func:`impact.values.parse_column`).

    ``2,000``, ``1.2万``, ``2000元``, ``约100人`` are numbers; ``n/a``, ``无``, ``-`` and
    blanks are missing (NaN), never 0. A value that is not an amount, or a negative one, is
    refused naming the argument, the column, the row and the value. Text read as numbers
    is noted with its count.

    Parameters
    ----------
    df
        The estimator's data.
    column
        The column named by ``argument``.
    argument
        The estimator's parameter (``grant``, ``leveraged`` …).
    function
        The estimator's name, for messages.
    kind
        ``"money"`` or ``"count"``.
    notes
        Where the note about text read as numbers goes.

    Returns
    -------
    pandas.Series
        Floats, NaN where nothing is recorded.

    Examples
    --------
    >>> grants = pd.DataFrame({"grant": ["2,000", "1.2万", "2000元", "n/a"]})
    >>> amounts(grants, "grant", argument="grant").tolist()
    [2000.0, 12000.0, 2000.0, nan]
    """
    from .schema import Column
    from .values import parse_column

    values = df[column]
    where = _where(function, argument)
    if pd.api.types.is_bool_dtype(values.dtype):
        raise InputError(
            f"{where}: column {column!r} holds True/False, not amounts",
            argument=argument,
            column=column,
        )
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    typed, problem = parse_column(values, Column(column, kind, ""))
    if problem is not None:
        message, bad = problem
        row, value = _first_bad(values, np.asarray(bad))
        count = int(np.asarray(bad).sum())
        more = f" ({count} such values)" if count > 1 else ""
        what = "yuan" if kind == "money" else "a count"
        raise InputError(
            f"{where}: column {column!r}, {_row(row)}: {message(value)} ({value!r}){more}; "
            f"write {what} as a number (2000, 2,000, 1.2万)",
            argument=argument,
            column=column,
            row=row,
            value=value,
        )
    typed = pd.Series(typed, index=values.index).astype("float64")
    if notes is not None and not pd.api.types.is_numeric_dtype(values.dtype):
        written = values.notna() & typed.notna()
        text = written & np.array([isinstance(v, str) for v in values], dtype=bool)
        if text.any():
            examples = ", ".join(map(str, values[text].unique()[:3]))
            notes.add(
                "read_written_amounts",
                f"{int(text.sum())} value(s) of {column!r} written as text ({examples}) "
                "were read as numbers",
                column=column,
                count=int(text.sum()),
            )
    return typed


def numbers(
    df: pd.DataFrame,
    column: str,
    *,
    argument: str,
    function: str | None = None,
    minimum: float | None = None,
    what: str = "a number",
) -> pd.Series:
    """A column that must hold numbers already (a duration in rounds, an outcome, a
    period): booleans as 0/1, missing kept as NaN.

    Parameters
    ----------
    df
        The estimator's data.
    column
        The column named by ``argument``.
    argument
        The estimator's parameter, for messages.
    function
        The estimator's name, for messages.
    minimum
        Values below it are refused.
    what
        What the numbers are, for messages (``"durations (rounds, days …)"``).

    Returns
    -------
    pandas.Series
        Floats, NaN where missing. Text such as ``20 weeks``, dates and infinite values
        are refused naming the argument, column, row and value.

    Examples
    --------
    >>> lines = pd.DataFrame({"weeks": ["20", 30, None]})
    >>> numbers(lines, "weeks", argument="duration").tolist()
    [20.0, 30.0, nan]
    """
    values = df[column]
    where = _where(function, argument)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        raise InputError(
            f"{where}: column {column!r} holds dates; give {what} instead "
            f"(e.g. df[{column!r}].dt.year for years)",
            argument=argument,
            column=column,
        )
    if pd.api.types.is_timedelta64_dtype(values.dtype):
        raise InputError(
            f"{where}: column {column!r} holds time spans; give {what} as numbers in one "
            f"unit (e.g. df[{column!r}].dt.days)",
            argument=argument,
            column=column,
        )
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64")
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype(object)
    numeric = pd.to_numeric(values, errors="coerce") if values.dtype == object else None
    if numeric is None:
        try:
            numeric = values.astype("float64")
        except (TypeError, ValueError):
            numeric = pd.to_numeric(values.astype(object), errors="coerce")
    bad = numeric.isna() & values.notna()
    if values.dtype == object:
        blank = pd.Series(
            [isinstance(v, str) and not v.strip() for v in values], index=values.index
        )
        bad &= ~blank
        numeric = numeric.where(~blank)
    if bad.any():
        row, value = _first_bad(values, bad.to_numpy())
        raise InputError(
            f"{where}: column {column!r}, {_row(row)}: not a number ({value!r}); "
            f"{int(bad.sum())} value(s) are not numbers. Give {what} as numbers in one unit "
            "(e.g. 20, not '20 weeks')",
            argument=argument,
            column=column,
            row=row,
            value=value,
        )
    numeric = numeric.astype("float64")
    if not np.isfinite(numeric.dropna()).all():
        infinite = ~np.isfinite(numeric) & numeric.notna()
        row, value = _first_bad(values, infinite.to_numpy())
        raise InputError(
            f"{where}: column {column!r}, {_row(row)}: not a finite number ({value!r})",
            argument=argument,
            column=column,
            row=row,
            value=value,
        )
    if minimum is not None and (numeric < minimum).any():
        row, value = _first_bad(values, (numeric < minimum).to_numpy())
        raise InputError(
            f"{where}: column {column!r}, {_row(row)}: must not be below {minimum:g} ({value!r})",
            argument=argument,
            column=column,
            row=row,
            value=value,
        )
    return numeric


def covariates_as_given(
    df: pd.DataFrame,
    columns: Sequence[str],
    *,
    function: str | None = None,
    notes: Notes | None = None,
) -> None:
    """Refuse a covariate of text whose every value is a number (``"35"``, ``"2,000"``): a
    model would make each value a category of its own. Numbers are numbers; codes meant as
    categories are said so with ``astype("category")``.

    Parameters
    ----------
    df
        The estimator's data.
    columns
        The covariates.
    function
        The estimator's name, for messages.
    notes
        Where the note about codes read as categories goes.

    Returns
    -------
    None
        Raises :class:`InputError` naming the argument and the column.

    Examples
    --------
    >>> ages = pd.DataFrame({"age": [str(age) for age in range(40, 80)]})
    >>> covariates_as_given(ages, ["age"], function="cox")
    Traceback (most recent call last):
    ...
    impact.inputs.InputError: cox(covariates=...): column 'age' holds numbers written as text ...
    """
    for column in columns:
        values = df[column]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        present = values.dropna()
        if present.empty or not all(isinstance(v, str) for v in present):
            continue
        parsed = pd.to_numeric(present.str.replace(",", "", regex=False), errors="coerce")
        if not parsed.notna().all():
            continue
        levels = int(present.nunique())
        if levels > TEXT_CODES:
            raise InputError(
                f"{_where(function, 'covariates')}: column {column!r} holds numbers written "
                f"as text ({', '.join(map(repr, present.unique()[:3]))} …), which a model would "
                f"read as {levels} categories; convert it with pd.to_numeric(df[{column!r}]), "
                "or astype('category') if they are codes",
                argument="covariates",
                column=column,
            )
        if notes is not None and levels > 1:
            notes.add(
                "text_codes_as_categories",
                f"{column!r} holds numbers written as text: read as {levels} categories "
                f"(convert with pd.to_numeric(df[{column!r}]) if they are amounts)",
                column=column,
                levels=levels,
            )


# ---------------------------------------------------------------------- missing values


def drop_missing(
    frame: pd.DataFrame, columns: Iterable[str], notes: Notes, *, unit: str = "row"
) -> pd.DataFrame:
    """``frame`` without the rows missing a value in any of ``columns``, and one note
    counting the rows left out and, per column, its missing values (R's
    "1 observation deleted due to missingness").

    Parameters
    ----------
    frame
        The rows an estimator would use.
    columns
        The columns it needs (None entries are skipped).
    notes
        Where the note goes (none when nothing is missing).
    unit
        What a row is, for the note (``"project"``, ``"row"``).

    Returns
    -------
    pandas.DataFrame
        The complete rows.

    Examples
    --------
    >>> notes = Notes()
    >>> frame = pd.DataFrame({"x": [1, None, 3], "y": [1, 2, None]})
    >>> len(drop_missing(frame, ["x", "y"], notes))
    1
    >>> notes[0].values["columns"]
    {'x': 1, 'y': 1}
    """
    columns = list(dict.fromkeys(c for c in columns if c is not None))
    missing = frame[columns].isna()
    rows = missing.any(axis=1)
    if rows.any():
        per_column = {c: int(n) for c, n in missing.sum().items() if n}
        detail = ", ".join(f"{c}: {n}" for c, n in per_column.items())
        count = int(rows.sum())
        notes.add(
            "dropped_missing",
            f"{count} {unit}(s) of {len(frame)} left out for missing values ({detail})",
            count=count,
            total=len(frame),
            columns=per_column,
        )
    return frame.loc[~rows]


# ----------------------------------------------------------------------------- clusters


def clusters(
    values: pd.Series,
    *,
    argument: str = "cluster",
    function: str | None = None,
    notes: Notes,
    alternative: str,
    one: Literal["refuse", "note"] = "refuse",
) -> int:
    """The number of clusters in ``values`` (missing values excluded).

    One cluster is refused (no clustered interval exists), or with ``one="note"`` noted
    (for an estimate that stands without its interval, such as a ratio of sums); fewer
    than :data:`FEW_CLUSTERS` adds a note with ``alternative``, what to read or do
    instead.

    Parameters
    ----------
    values
        The cluster column of the rows used (named).
    argument
        The estimator's parameter, for messages.
    function
        The estimator's name, for messages.
    notes
        Where the notes go.
    alternative
        What to read or do instead when clusters are few.
    one
        ``"refuse"`` or ``"note"`` for a single cluster.

    Returns
    -------
    int
        The number of clusters.

    Examples
    --------
    >>> notes = Notes()
    >>> clusters(pd.Series([1, 1, 2], name="community"), notes=notes,
    ...          alternative="read the interval as rough")
    2
    >>> notes[0].key
    'few_clusters'
    """
    count = int(values.dropna().nunique())
    column = str(values.name)
    if count == 1 and one == "note":
        notes.add(
            "one_cluster",
            f"every row is in one {column!r}: no interval (a clustered interval needs at "
            "least two clusters)",
            column=column,
            count=count,
        )
        return count
    if count < 2:
        raise InputError(
            f"{_where(function, argument)}: the rows used are all in one {column!r}: a "
            "clustered interval needs at least two clusters (with one, its variance is 0 "
            f"and its interval empty); leave {argument}= out, or cluster on a column with "
            "more values",
            argument=argument,
            column=column,
        )
    if count < FEW_CLUSTERS:
        notes.add(
            "few_clusters",
            f"only {count} clusters in {column!r}: intervals that treat clusters as "
            f"independent draws are too narrow with fewer than about {FEW_CLUSTERS}; "
            f"{alternative}",
            column=column,
            count=count,
            minimum=FEW_CLUSTERS,
        )
    return count


# ------------------------------------------------------------------- periods, cohorts


def periods_and_cohorts(
    panel: pd.DataFrame,
    *,
    time: str,
    cohort: str,
    unit: str | None = None,
    function: str | None = None,
    notes: Notes,
) -> pd.DataFrame:
    """A panel whose ``time`` and ``cohort`` columns are numbers on one scale.

    Periods must be whole numbers one apart (years 2014, 2015 …, or rounds 1, 2 …):
    dates and text are refused. A cohort is the period a unit first took part; 0 or
    infinite means never; a unit with a missing cohort is left out and counted (unknown is
    not never; R ``did`` drops it too). Refused, naming both columns: cohorts none of which falls
    within the periods (years against round numbers), and cohorts within the periods'
    range that are not periods. Cohorts after the last period are read as never taking
    part within the data, as R ``did`` does, and noted with their count.

    Parameters
    ----------
    panel
        One row per unit and period.
    time
        Column of periods.
    cohort
        Column of the period each unit first took part.
    unit
        Column of units, to count those left out.
    function
        The estimator's name, for messages.
    notes
        Where the note about late cohorts goes.

    Returns
    -------
    pandas.DataFrame
        The panel with ``time`` as whole numbers and ``cohort`` as numbers (0 for never).

    Examples
    --------
    >>> panel = pd.DataFrame({"round": [1, 2, 3], "joined": [2015, 2015, 2015]})
    >>> periods_and_cohorts(panel, time="round", cohort="joined", notes=Notes())
    Traceback (most recent call last):
    ...
    impact.inputs.InputError: cohort=...: cohorts in 'joined' (2015–2015) and periods in ...
    """
    times = numbers(panel, time, argument="time", function=function, what="periods")
    if times.isna().any():
        count = int(times.isna().sum())
        raise InputError(
            f"{_where(function, 'time')}: column {time!r} has {count} missing period(s); "
            "every row of the panel needs its period",
            argument="time",
            column=time,
        )
    grid = np.unique(times.to_numpy())
    if not np.all(grid == np.round(grid)) or (len(grid) > 1 and not np.all(np.diff(grid) == 1)):
        shown = ", ".join(f"{t:g}" for t in grid[:8])
        raise InputError(
            f"{_where(function, 'time')}: periods in {time!r} must be whole numbers one apart "
            f"(years or rounds); found {shown}{' …' if len(grid) > 8 else ''}. Number the "
            f"periods 1, 2, 3 … and give {cohort!r} on the same numbering",
            argument="time",
            column=time,
        )
    raw = panel[cohort]
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        raise InputError(
            f"{_where(function, 'cohort')}: column {cohort!r} holds dates; give the period "
            f"of joining on the scale of {time!r} (e.g. df[{cohort!r}].dt.year)",
            argument="cohort",
            column=cohort,
        )
    values = raw.astype(object) if raw.dtype == object else raw
    if pd.api.types.is_float_dtype(values.dtype):  # R's Inf for never
        values = values.replace([np.inf], 0)
    cohorts = numbers(
        pd.DataFrame({cohort: values}, index=panel.index),
        cohort,
        argument="cohort",
        function=function,
        what="the period each unit joined (0 for never)",
    )
    missing = cohorts.isna()
    if missing.any():  # unknown is not never: R did drops these rows too
        units = int(panel.loc[missing, unit].nunique()) if unit else int(missing.sum())
        notes.add(
            "dropped_missing_cohort",
            f"{units} unit(s) with no value in {cohort!r} left out: a missing cohort is "
            "unknown, not 'never' (write 0 for never), as R did drops them",
            column=cohort,
            count=units,
        )
        panel, times, cohorts = panel[~missing], times[~missing], cohorts[~missing]
    joined = np.unique(cohorts[cohorts > 0].to_numpy())
    low, high = grid.min(), grid.max()
    if len(joined) and not ((joined >= low) & (joined <= high)).any():
        raise InputError(
            f"{_where(function, 'cohort')}: cohorts in {cohort!r} ({joined.min():g}–"
            f"{joined.max():g}) and periods in {time!r} ({low:g}–{high:g}) do not overlap: "
            "are they on one scale (both years, or both round numbers)? Give the cohort as "
            f"the period of {time!r} in which each unit first took part",
            argument="cohort",
            column=cohort,
        )
    off_grid = [g for g in joined if low <= g <= high and g not in set(grid)]
    if off_grid:
        raise InputError(
            f"{_where(function, 'cohort')}: cohort(s) {', '.join(f'{g:g}' for g in off_grid)} "
            f"in {cohort!r} are not periods of {time!r} ({', '.join(f'{t:g}' for t in grid)}); "
            "a cohort is the period in which a unit first took part",
            argument="cohort",
            column=cohort,
        )
    late = cohorts > high
    if late.any():
        units = int(late.sum() / max(1, len(grid)))
        late_values = sorted(set(cohorts[late].tolist()))
        notes.add(
            "cohort_after_last_period",
            f"cohort(s) {', '.join(f'{g:g}' for g in late_values)} in {cohort!r} join after "
            f"the last period ({high:g}): read as never taking part within the data, as R "
            "did does",
            column=cohort,
            cohorts=late_values,
            rows=int(late.sum()),
            units=units,
        )
        cohorts = cohorts.where(~late, 0)
    # whole periods stay whole: messages say "period 2004", not "2004.0"
    return panel.assign(**{time: times.astype("int64"), cohort: cohorts})


# ----------------------------------------------------------------------------- survival


def survival_data(
    df: pd.DataFrame,
    *,
    duration: str,
    event: str,
    columns: Sequence[str | None] = (),
    function: str,
    notes: Notes,
    event_coding: EventCoding = "0/1",
) -> pd.DataFrame:
    """The rows and columns a survival estimator uses: ``duration`` as non-negative
    numbers, ``event`` as 0/1 (:func:`event_indicator`), the other ``columns`` as given,
    rows missing any of them left out and counted (:func:`drop_missing`).

    Parameters
    ----------
    df
        One row per line.
    duration
        Column of follow-up times.
    event
        Column of events (0/1, or 1/2 with ``event_coding="1/2"``).
    columns
        Further columns the estimator needs (covariates, groups, cluster).
    function
        The estimator's name, for messages.
    notes
        Where the notes go.
    event_coding
        ``"0/1"`` or ``"1/2"``.

    Returns
    -------
    pandas.DataFrame
        The complete rows, duration and event as floats.

    Examples
    --------
    >>> notes = Notes()
    >>> lines = pd.DataFrame({"t": [3, None, 5], "e": [2, 1, 1]})
    >>> survival_data(lines, duration="t", event="e", function="cox", notes=notes,
    ...               event_coding="1/2").e.tolist()
    [1.0, 0.0]
    """
    columns = [c for c in columns if c is not None]
    frame = df[list(dict.fromkeys([duration, event, *columns]))].copy()
    frame[duration] = numbers(
        df,
        duration,
        argument="duration",
        function=function,
        minimum=0,
        what="durations (rounds, days …)",
    )
    frame[event] = event_indicator(
        df, event, argument="event", function=function, coding=event_coding
    )
    if event_coding == "1/2":
        notes.add(
            "event_coding",
            f"{event!r} read with R's survival coding: 1 = censored, 2 = event",
            column=event,
        )
    return drop_missing(frame, [duration, event, *columns], notes)


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
