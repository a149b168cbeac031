"""Indicator performance tracking (IPTT): for each output indicator of a programme, the target
and the actuals summed across projects, by period, and the share of the target achieved in
the indicator's direction, overall and by tier, theme, community or any project column.

The table follows the indicator performance tracking table of M&E platforms such as
TolaData (Mercy Corps' TolaData, ``github.com/mercycorps/toladata`` at 7ca89ab, 2022):

- a numeric indicator's result is the **sum** of what was collected, and its life-of-project
  target the sum of its targets (TolaData knowledge base, "Add indicators",
  ``github.com/toladata/Knowledgebase`` ``en/indicators/what-is-an-indicator``);
- **% met** is actual ÷ target, and target ÷ actual for an indicator whose direction of
  change is negative (a decrease is good); it is not given when the target or the actual is
  missing or the divisor is 0 (``indicators/queries/utils.py``,
  ``indicator_lop_percent_met_annotation``; ``targets_queries.py``,
  ``target_percent_met_annotation``);
- progress is measured only against the targets that have results: for mid-line/end-line
  indicators TolaData sums the targets of periods *with data* (``utils.py``,
  ``indicator_lop_target_progress_annotation``, ``has_data``).

Here a target belongs to a project (its ``plan`` value), so the last rule is applied per
project: the share at a period is computed over the projects that have **both** a plan and a
value at that period, and the projects left out either way are counted in the table. A
project still running (a plan, no final value yet) thus neither deflates the final share nor
vanishes from the target; a project that reports without a plan does not inflate it.

Each period's value is read as the project's total to date (the data model's mid-term and
final values are cumulative: a final value is not the increase since mid-term), and the
data hold one target per project, its plan for the whole project. The mid-term share is
therefore progress against the whole plan (about half is on time at mid-term), not against
a mid-term target as in TolaData's periodic targets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .dataset import Dataset, funded_projects
from .errors import EstimationError
from .indicators import CATALOGUE, Direction, indicator_code
from .results import Result, Summary, axes, check_columns
from .schema import TABLES, normalise_label
from .values import parse_column

__all__ = [
    "ACTUAL_PERIODS",
    "OVERALL",
    "TrackingResult",
    "dataset_tracking",
    "indicator_tracking",
    "table_columns",
]

#: The periods with actual values; ``plan`` holds the targets.
ACTUAL_PERIODS = ("midterm", "final")
PLAN = "plan"
#: The value of the ``by`` columns in the row that adds up every group of an indicator.
OVERALL = "all"
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower")

_COLUMNS = TABLES["indicators"]
_CATALOGUE = {entry.code: entry for entry in CATALOGUE}
_REQUIRED = ("project_id", "indicator", "period", "value")
#: Columns of ``left_out``: rows of the input not used anywhere in the table, and why.
LEFT_OUT_COLUMNS = ("reason", "indicator", "period", "rows", "projects")
_SHOWN = 5  # bad values quoted in an error message


def _period_columns(period: str) -> list[str]:
    return [
        f"{period}_actual",
        f"{period}_projects",
        f"{period}_share",
        f"{period}_compared",
        f"{period}_target_compared",
        f"{period}_actual_compared",
        f"{period}_no_target",
        f"{period}_no_actual",
    ]


_DESCRIPTIVE = ["name_zh", "name_en", "unit", "direction", "in_catalogue"]


def table_columns(periods: Sequence[str] = ACTUAL_PERIODS) -> list[str]:
    """The columns of :attr:`TrackingResult.table` after ``indicator`` and the ``by``
    columns, in order."""
    columns = [*_DESCRIPTIVE, "target", "target_projects"]
    for period in periods:
        columns += _period_columns(period)
    return columns


@dataclass(frozen=True, repr=False)
class TrackingResult(Result):
    """An indicator performance tracking table.

    ``table`` has one row per indicator (and group, with a row per indicator whose ``by``
    columns hold :data:`OVERALL` adding up its groups); see :func:`indicator_tracking` for
    its columns. ``left_out`` lists the input rows used nowhere in the table, with the
    reason (``missing_value``, ``not_in_projects``, ``period_not_requested``), indicator,
    period and the counts of rows and projects; ``notes`` say the same in sentences."""

    left_out: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(LEFT_OUT_COLUMNS))
    )

    @property
    def by(self) -> list[str]:
        return list(self.inputs.get("by") or [])

    @property
    def periods(self) -> tuple[str, ...]:
        return tuple(self.inputs.get("periods") or ACTUAL_PERIODS)

    def overall(self) -> pd.DataFrame:
        """One row per indicator across all groups (the whole table without ``by``)."""
        if not self.by:
            return self.table
        chosen = np.ones(len(self.table), dtype=bool)
        for column in self.by:
            chosen &= self.table[column].astype(object).eq(OVERALL).to_numpy()
        return self.table[chosen]

    def summary(self) -> Summary:
        """The title, the table's main columns (shares as percentages), inputs and notes;
        every column is in ``result.table``."""
        table = self.table
        shown = table[["indicator", *self.by, "direction", "target"]].copy()
        for period in self.periods:
            shown[f"{period}_actual"] = table[f"{period}_actual"]
            shown[f"{period}_share"] = [_percent(v) for v in table[f"{period}_share"]]
            shown[f"{period}_compared"] = table[f"{period}_compared"]
        settings = ", ".join(f"{k}={v}" for k, v in self.inputs.items())
        parts: list[str | pd.DataFrame] = [shown.reset_index(drop=True), f"inputs: {settings}"]
        parts += [f"note: {n}" for n in self.notes]
        return Summary(self.title, tuple(parts))

    def __repr__(self) -> str:
        by = f" by {', '.join(self.by)}" if self.by else ""
        return (
            f"<TrackingResult: {self.table.indicator.nunique()} indicators{by}, periods "
            f"{', '.join(self.periods)}; {self.inputs.get('n_projects', 0)} projects; "
            f"{len(self.notes)} notes>"
        )

    def plot(self, ax=None):
        """Share of target achieved per indicator and period (all groups together), with
        the line of 100%; a missing share draws no bar, and a plot without any says so."""
        ax = axes(ax)
        rows = self.overall().reset_index(drop=True)
        y = np.arange(len(rows))
        height = 0.8 / max(len(self.periods), 1)
        for i, period in enumerate(self.periods):
            offset = (i - (len(self.periods) - 1) / 2) * height
            share = rows[f"{period}_share"].to_numpy(dtype=float) * 100
            ax.barh(y + offset, share, height=height, label=period)
        ax.set_yticks(y, [str(n) for n in rows.name_en])
        ax.invert_yaxis()
        ax.axvline(100, color="grey", linewidth=0.8)
        ax.set_xlabel("share of target achieved (%), in the indicator's direction")
        ax.legend()
        if rows[[f"{p}_share" for p in self.periods]].isna().all(axis=None):
            ax.text(
                0.5,
                0.5,
                "no share: no indicator has both a plan and a value",
                transform=ax.transAxes,
                ha="center",
            )
        return ax


def _percent(value: Any) -> str:
    return "–" if value is None or pd.isna(value) else f"{float(value):.1%}"


def _as_list(columns: str | Sequence[str] | None) -> list[str]:
    if columns is None:
        return []
    return [columns] if isinstance(columns, str) else list(columns)


def _check_periods(periods: str | Sequence[str]) -> tuple[str, ...]:
    chosen = (periods,) if isinstance(periods, str) else tuple(periods)
    wrong = [p for p in chosen if p not in ACTUAL_PERIODS]
    if not chosen or wrong or len(set(chosen)) < len(chosen):
        hint = " (plan holds the targets, not actuals)" if PLAN in wrong else ""
        raise EstimationError(
            f"periods must name each of {', '.join(ACTUAL_PERIODS)} at most once, not "
            f"{periods!r}{hint}"
        )
    return chosen


def _refuse(column: str, message: str, rows: pd.Series) -> None:
    """Raise naming the column(s), the rows (by the index labels of the table given) and
    their values."""
    quoted = "; ".join(f"index {label!r}: {value!r}" for label, value in rows.head(_SHOWN).items())
    more = f" and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    where = f"columns {column}" if "," in column else f"column {column!r}"
    raise EstimationError(f"indicators {where}: {len(rows)} row(s) {message}: {quoted}{more}")


def _name(value: Any) -> str | None:
    """An indicator name as text, or None when blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _ids(values: pd.Series) -> pd.Series:
    """Project ids as text, as the loader reads them (Excel's 101.0 is "101")."""
    return parse_column(values, _COLUMNS.column("project_id"))[0].astype(object)


def _read(indicators: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """The indicator rows as ``project_id, indicator, period, value[, unit]``: project ids as
    text, periods as codes, values as numbers (the loader's parser: ``1,200``, ``1.2万``),
    indicator names as catalogue codes where known. Refuses what cannot be read."""
    if not isinstance(indicators, pd.DataFrame):
        raise EstimationError(
            f"indicators must be a DataFrame (project_id, indicator, period, value), "
            f"not {type(indicators).__name__}"
        )
    check_columns(indicators, *_REQUIRED)
    if indicators.empty:
        raise EstimationError("the indicators table has no rows: nothing to track")
    frame = pd.DataFrame(index=indicators.index)
    frame["project_id"] = _ids(indicators.project_id)
    names = indicators.indicator.astype(object).map(_name)
    for column, values in (("project_id", frame.project_id), ("indicator", names)):
        blank = values.isna()
        if blank.any():
            _refuse(column, "are blank: the row cannot be placed", indicators.loc[blank, column])
    period, _ = parse_column(indicators.period, _COLUMNS.column("period"))
    unreadable = period.isna().to_numpy()
    if unreadable.any():
        allowed = ", ".join(_COLUMNS.column("period").allowed)
        _refuse(
            "period",
            f"are not a period (allowed: {allowed}, or their Chinese names)",
            indicators.period[unreadable],
        )
    frame["period"] = period.astype(object)
    approximate: list[tuple[np.ndarray, str]] = []
    value, problem = parse_column(indicators.value, _COLUMNS.column("value"), approximate)
    if problem is not None:
        _, bad = problem
        _refuse("value", "are not numbers", indicators.value[bad])
    values = value.to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        negative = values < 0
    if negative.any():
        _refuse("value", "are negative (a count or amount cannot be)", indicators.value[negative])
    frame["value"] = values
    for mask, message in approximate:
        notes.append(f"{int(mask.sum())} value(s): {message}")
    codes = {name: indicator_code(name) or name for name in names.unique()}
    renamed = {name: code for name, code in codes.items() if code != name}
    if renamed:
        notes.append(
            "indicator names read as catalogue codes: "
            + ", ".join(f"{name} → {code}" for name, code in renamed.items())
        )
    frame["indicator"] = names.map(codes).astype(object)
    if "unit" in indicators:
        frame["unit"] = indicators.unit.astype(object).where(indicators.unit.notna())
        _check_units(frame)
    key = ["project_id", "indicator", "period"]
    repeated = frame.duplicated(key, keep=False)
    if repeated.any():
        labels = frame.loc[repeated, key].astype(str).agg(" / ".join, axis=1)
        _refuse(
            "project_id, indicator, period",
            "repeat a project's value for one indicator and period, names read as "
            "catalogue codes (adding them up could count it twice; keep one)",
            labels,
        )
    return frame


def _check_units(frame: pd.DataFrame) -> None:
    units = frame.dropna(subset=["unit"])
    units = units.assign(unit_key=units.unit.map(lambda u: normalise_label(str(u))))
    units = units[units.unit_key != ""]
    counts = units.groupby("indicator").unit_key.nunique()
    mixed = counts[counts > 1]
    if len(mixed):
        indicator = mixed.index[0]
        written = sorted(set(units.loc[units.indicator == indicator, "unit"].astype(str)))
        raise EstimationError(
            f"indicators column 'unit': indicator {indicator!r} is written in "
            f"{len(written)} units ({', '.join(written)}); values in different units "
            "cannot be added up: convert them to one unit"
            + (f" (also: {', '.join(map(str, mixed.index[1:]))})" if len(mixed) > 1 else "")
        )


def _directions(codes: Sequence[str], given: Mapping[str, str] | None) -> dict[str, str]:
    """Each indicator's direction: the one given, else the catalogue's, else higher."""
    chosen: dict[str, str] = {}
    for name, direction in (given or {}).items():
        if direction not in DIRECTIONS:
            raise EstimationError(
                f"directions[{name!r}] must be 'higher' or 'lower' (which way is better), "
                f"not {direction!r}"
            )
        chosen[indicator_code(name) or name] = direction
    unknown = sorted(set(chosen) - set(codes))
    if unknown:
        raise EstimationError(
            f"directions names indicator(s) not in the data: {', '.join(unknown)}; the data "
            f"have {', '.join(map(str, codes))}"
        )
    return {
        code: chosen.get(code) or (_CATALOGUE[code].direction if code in _CATALOGUE else "higher")
        for code in codes
    }


def _left_out(rows: pd.DataFrame, reason: str) -> pd.DataFrame:
    """Counts of the rows left out for ``reason``, per indicator and period."""
    if rows.empty:
        return pd.DataFrame(columns=list(LEFT_OUT_COLUMNS))
    counted = (
        rows.groupby(["indicator", "period"], sort=True)
        .agg(rows=("project_id", "size"), projects=("project_id", "nunique"))
        .reset_index()
    )
    counted.insert(0, "reason", reason)
    return counted[list(LEFT_OUT_COLUMNS)]


def _aggregate(wide: pd.DataFrame, keys: list[str], periods: Sequence[str]) -> pd.DataFrame:
    """Targets, actuals and the counts behind each share, per ``keys``."""
    plan = wide[PLAN]
    work = pd.DataFrame({column: wide[column] for column in keys})
    work["target"] = plan
    work["target_projects"] = plan.notna()
    for period in periods:
        actual = wide[period]
        both = plan.notna() & actual.notna()
        work[f"{period}_actual"] = actual
        work[f"{period}_projects"] = actual.notna()
        work[f"{period}_compared"] = both
        work[f"{period}_target_compared"] = plan.where(both)
        work[f"{period}_actual_compared"] = actual.where(both)
    grouped = work.groupby(keys, dropna=False, sort=False, observed=True)
    sums = grouped.sum(min_count=1).reset_index()
    for column in sums.columns:
        if column.endswith(("_projects", "_compared")) and not column.endswith(
            ("_target_compared", "_actual_compared")
        ):
            sums[column] = sums[column].fillna(0).astype("int64")
    return sums


def _shares(table: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    higher = table.direction.eq("higher").to_numpy()
    for period in periods:
        target = table[f"{period}_target_compared"].to_numpy(dtype=float)
        actual = table[f"{period}_actual_compared"].to_numpy(dtype=float)
        divisor = np.where(higher, target, actual)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(higher, actual / target, target / actual)
        defined = (table[f"{period}_compared"].to_numpy() > 0) & (divisor > 0)
        table[f"{period}_share"] = np.where(defined, share, np.nan)
        table[f"{period}_no_target"] = table[f"{period}_projects"] - table[f"{period}_compared"]
        table[f"{period}_no_actual"] = table.target_projects - table[f"{period}_compared"]
    return table


def _describe(table: pd.DataFrame, units: Mapping[str, str]) -> pd.DataFrame:
    known = table.indicator.map(lambda code: code in _CATALOGUE)
    table["name_zh"] = [_CATALOGUE[c].zh if c in _CATALOGUE else c for c in table.indicator]
    table["name_en"] = [_CATALOGUE[c].en if c in _CATALOGUE else c for c in table.indicator]
    table["unit"] = [
        _CATALOGUE[c].unit if c in _CATALOGUE else units.get(c, np.nan) for c in table.indicator
    ]
    table["in_catalogue"] = known.to_numpy(dtype=bool)
    return table


def _order(indicators: pd.Series) -> dict[str, int]:
    """Catalogue order first, then indicators as written in order of appearance."""
    catalogue = list(_CATALOGUE)
    found = list(dict.fromkeys(indicators))
    ranked = sorted(
        found,
        key=lambda c: catalogue.index(c) if c in _CATALOGUE else len(catalogue) + found.index(c),
    )
    return {code: rank for rank, code in enumerate(ranked)}


def indicator_tracking(
    indicators: pd.DataFrame,
    projects: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] | None = None,
    periods: str | Sequence[str] = ACTUAL_PERIODS,
    directions: Mapping[str, Direction] | None = None,
) -> TrackingResult:
    """Indicator performance tracking table: target and actuals summed across projects, by
    period, with the share of the target achieved in each indicator's direction.

    Parameters
    ----------
    indicators
        Indicator values in the data model's long form: ``project_id``, ``indicator``,
        ``period`` (``plan``, ``midterm``, ``final`` or their Chinese names: 计划, 中期,
        结项 …), ``value`` and optionally ``unit``. Names such as 服务居民人次 are read as
        catalogue codes (``residents_served``); other names are kept as written.
    projects
        The projects table (``project_id`` and the ``by`` columns). When given, only the
        indicator rows of these projects are used (the rest are counted in ``left_out``).
    by
        Project column(s) to disaggregate by (``tier``, ``theme``, ``community_id``,
        ``application_type`` …). Each indicator then has a row per group and a row whose
        ``by`` columns hold ``"all"`` adding up its groups. Projects with a blank value form
        a group with a blank value.
    periods
        The periods with actuals to show: ``("midterm", "final")`` or one of them.
    directions
        Which way is better (``"higher"`` or ``"lower"``) for indicators not in the
        catalogue or to override it, e.g. ``{"垃圾堆放点": "lower"}``. Otherwise the catalogue
        says (``complaints`` is lower); indicators outside it are read as higher, in a note.

    Returns
    -------
    TrackingResult
        ``table``, one row per indicator (and group):

        - ``indicator``: catalogue code, or the name as written; the ``by`` columns;
        - ``name_zh``, ``name_en``, ``unit``: from the catalogue (for an indicator outside
          it: the name as written, and the unit the data write if they write one);
          ``in_catalogue``; ``direction``: ``higher`` or ``lower`` is better;
        - ``target``: sum of the plan values; ``target_projects``: projects with a plan;
        - per period ``p`` in ``periods``:

          - ``p_actual``: sum of the values at ``p`` of every project reporting one;
            ``p_projects``: how many report one;
          - ``p_share``: share of the target achieved, over the projects with both a plan
            and a value at ``p``: ``p_actual_compared ÷ p_target_compared``, or
            ``p_target_compared ÷ p_actual_compared`` where lower is better (1 = target met;
            above 1 = better than planned). Missing when no project has both, or the divisor
            is 0 (a target of 0, or, where lower is better, an actual of 0);
          - ``p_compared``: projects with both; ``p_target_compared`` and
            ``p_actual_compared``: their plan and value sums, the share's two terms;
          - ``p_no_target``: projects reporting at ``p`` without a plan (in ``p_actual``,
            not in the share); ``p_no_actual``: projects with a plan and no value at ``p``
            (in ``target``, not in the share), e.g. projects still running.

        ``notes`` say what was left out and why, with counts; ``left_out`` counts the input
        rows used nowhere, per reason, indicator and period.

    Notes
    -----
    Refused (:class:`~impact.errors.EstimationError`, naming the column and rows): a value
    that is not a number or is negative, a period other than plan/mid-term/final, a blank
    project or indicator, a project's value repeated for one indicator and period, one
    indicator written in several units. Left out and counted: blank values (the project does
    not report that period). An indicator without any plan value keeps its actuals, with no
    target and no share, in a note.

    The share is a ratio of sums, like TolaData's % met (see the module docstring): a large
    project weighs more than a small one. For a decreasing indicator the mid-term share
    compares a part-way count with a whole-project ceiling, so above 1 only says the
    ceiling is not yet reached.

    Examples
    --------
    >>> iptt = indicator_tracking(data.indicators, data.projects, by="tier")  # doctest: +SKIP
    >>> iptt.overall()[["indicator", "target", "final_actual", "final_share"]]  # doctest: +SKIP
    """
    return _track(indicators, projects, by, periods, directions, outside="not in projects")


def dataset_tracking(
    data: Dataset,
    by: str | Sequence[str] | None = None,
    *,
    periods: str | Sequence[str] = ACTUAL_PERIODS,
    directions: Mapping[str, Direction] | None = None,
) -> TrackingResult:
    """:func:`indicator_tracking` of a :class:`Dataset`'s funded projects (a positive
    ``grant_yuan``, :func:`impact.dataset.funded_projects`), disaggregated ``by`` any project
    column. Indicator rows of projects that were not funded are left out and counted.

    >>> dataset_tracking(impact.load("data/sample"), by="tier")   # doctest: +SKIP
    """
    data.require("projects", "indicators")
    funded = funded_projects(data.projects)
    if funded.empty:
        raise EstimationError(
            "no project has a seed grant (a positive grant_yuan), so none counts as funded; "
            "to track the indicators of every project, call "
            "indicator_tracking(data.indicators, data.projects)"
        )
    return _track(
        data.indicators,
        funded,
        by,
        periods,
        directions,
        outside="not funded (no positive grant_yuan)",
        origin=data.origin,
    )


def _track(
    indicators: pd.DataFrame,
    projects: pd.DataFrame | None,
    by: str | Sequence[str] | None,
    periods: str | Sequence[str],
    directions: Mapping[str, str] | None,
    *,
    outside: str,
    origin: str | None = None,
) -> TrackingResult:
    periods = _check_periods(periods)
    groups = _as_list(by)
    reserved = {"project_id", "indicator", *table_columns(ACTUAL_PERIODS)}
    if groups and projects is None:
        raise EstimationError(
            f"by={by!r} needs the projects table: indicator_tracking(indicators, projects, "
            f"by={by!r})"
        )
    if set(groups) & reserved or len(set(groups)) < len(groups):
        raise EstimationError(f"by cannot name {by!r}: give distinct project columns")
    notes: list[str] = []
    frame = _read(indicators, notes)
    left_out = []
    if projects is not None:
        check_columns(projects, "project_id", *groups)
        project_ids = _ids(projects.project_id)
        if project_ids.duplicated().any():
            repeated = sorted(set(project_ids[project_ids.duplicated()].astype(str)))
            raise EstimationError(
                f"projects column 'project_id': {len(repeated)} project(s) appear more than "
                f"once ({', '.join(repeated[:_SHOWN])}): a project's group must be one"
            )
        known = frame.project_id.isin(set(project_ids))
        outsiders = frame[~known]
        if len(outsiders):
            left_out.append(_left_out(outsiders, "not_in_projects"))
            notes.append(
                f"{len(outsiders)} row(s) of {outsiders.project_id.nunique()} project(s) "
                f"{outside} left out"
            )
        frame = frame[known]
    other_periods = frame[~frame.period.isin([PLAN, *periods])]
    if len(other_periods):
        left_out.append(_left_out(other_periods, "period_not_requested"))
        notes.append(
            f"{len(other_periods)} row(s) of period(s) "
            f"{', '.join(sorted(set(other_periods.period)))} not shown (periods={periods})"
        )
        frame = frame[frame.period.isin([PLAN, *periods])]
    blank = frame[frame.value.isna()]
    if len(blank):
        left_out.append(_left_out(blank, "missing_value"))
        counts = blank.period.value_counts()
        notes.append(
            f"{len(blank)} row(s) with a blank value left out ("
            + ", ".join(f"{p} {counts[p]}" for p in (PLAN, *periods) if p in counts)
            + "): those projects count as not reporting that indicator in that period"
        )
        frame = frame[frame.value.notna()]
    if frame.empty:
        raise EstimationError("no indicator value is left to track: " + "; ".join(notes))
    codes = list(_order(frame.indicator))
    direction = _directions(codes, directions)
    units = {}
    if "unit" in frame:
        written = frame.dropna(subset=["unit"]).groupby("indicator").unit.first()
        units = {code: str(unit) for code, unit in written.items()}
    wide = frame.pivot(index=["project_id", "indicator"], columns="period", values="value")
    wide = wide.reindex(columns=[PLAN, *periods]).reset_index()
    wide.columns.name = None
    if projects is not None and groups:
        lookup = projects.assign(project_id=project_ids.to_numpy())[["project_id", *groups]]
        wide = wide.merge(lookup, on="project_id", how="left", validate="many_to_one")
        notes += _group_notes(wide, groups)
    if projects is not None:
        notes += _scope_notes(projects, project_ids, set(wide.project_id), groups)
    table = _aggregate(wide, ["indicator", *groups], periods)
    if groups:
        for column in groups:
            if table[column].astype(object).eq(OVERALL).any():
                raise EstimationError(
                    f"projects column {column!r} has a group named {OVERALL!r}, the name of "
                    "the row that adds up all groups: rename it"
                )
        overall = _aggregate(wide, ["indicator"], periods)
        for column in groups:
            overall[column] = OVERALL
        table = _stack(table, overall, groups, codes)
    else:
        rank = {code: i for i, code in enumerate(codes)}
        table = table.sort_values("indicator", key=lambda s: s.map(rank)).reset_index(drop=True)
    table["direction"] = table.indicator.map(direction)
    table = _shares(_describe(table, units), periods)
    table = table[["indicator", *groups, *table_columns(periods)]]
    notes += _table_notes(table, groups, periods, direction, directions)
    return TrackingResult(
        table,
        inputs={
            "n_rows": len(frame),
            "n_projects": int(frame.project_id.nunique()),
            "indicators": len(codes),
            "by": groups or None,
            "periods": periods,
            "directions": dict(directions) if directions else None,
            **({"origin": origin} if origin else {}),
        },
        title="Indicator performance tracking: targets and actuals summed across projects",
        notes=tuple(notes),
        left_out=(
            pd.concat(left_out, ignore_index=True)
            if left_out
            else pd.DataFrame(columns=list(LEFT_OUT_COLUMNS))
        ),
    )


def _stack(
    table: pd.DataFrame, overall: pd.DataFrame, groups: list[str], codes: list[str]
) -> pd.DataFrame:
    """Groups in their sorting order (blank last), then the overall row, per indicator."""
    rank = {code: i for i, code in enumerate(codes)}
    table = table.sort_values(groups, na_position="last", kind="stable")
    table = table.sort_values("indicator", key=lambda s: s.map(rank), kind="stable")
    for column in groups:
        table[column] = table[column].astype(object)
    combined = pd.concat([table.assign(_overall=0), overall.assign(_overall=1)], ignore_index=True)
    combined["_rank"] = combined.indicator.map(rank)
    combined = combined.sort_values(["_rank", "_overall"], kind="stable")
    return combined.drop(columns=["_rank", "_overall"]).reset_index(drop=True)


def _group_notes(wide: pd.DataFrame, groups: list[str]) -> list[str]:
    notes = []
    for column in groups:
        missing = wide.loc[wide[column].isna(), "project_id"].nunique()
        if missing:
            notes.append(
                f"{missing} project(s) have no {column}: they form a group with a blank "
                f"{column} (and count in the overall row)"
            )
    return notes


def _scope_notes(
    projects: pd.DataFrame, project_ids: pd.Series, tracked: set, groups: list[str]
) -> list[str]:
    """Say when the sums add up several programmes or rounds that ``by`` does not part."""
    mine = projects[project_ids.isin(tracked).to_numpy()]
    spans = []
    for column, word in (("programme_id", "programmes"), ("round", "rounds")):
        if column in mine and column not in groups and mine[column].nunique() > 1:
            spans.append(f"{mine[column].nunique()} {word}")
    if not spans:
        return []
    return [
        f"the sums add up projects of {' and '.join(spans)}; give by='programme_id' (or "
        "'round'), or select one, for a table per programme and round"
    ]


def _table_notes(
    table: pd.DataFrame,
    groups: list[str],
    periods: Sequence[str],
    direction: Mapping[str, str],
    given: Mapping[str, str] | None,
) -> list[str]:
    notes = []
    top = table
    for column in groups:
        top = top[top[column].astype(object).eq(OVERALL)]
    no_plan = list(top.loc[top.target_projects == 0, "indicator"])
    if no_plan:
        notes.append(
            f"{len(no_plan)} indicator(s) have no plan value, so no target and no share; "
            f"their actuals are shown: {', '.join(map(str, no_plan))}"
        )
    named = {indicator_code(name) or name for name in (given or {})}
    outside = [c for c in top.indicator if c not in _CATALOGUE and c not in named]
    if outside:
        notes.append(
            f"{len(outside)} indicator(s) not in the catalogue, kept as written and read as "
            f"higher is better (give directions= to say otherwise): {', '.join(outside)}"
        )
    lower = [c for c in top.indicator if direction[c] == "lower"]
    if lower:
        notes.append(f"lower is better for {', '.join(lower)}: the share is target ÷ actual")
    planned = top[top.target_projects > 0]
    for period in periods:
        if not top[f"{period}_projects"].any():
            notes.append(f"the data have no {period} values: the {period} columns are empty")
            continue
        no_actual = int(planned[f"{period}_no_actual"].sum())
        no_target = int(planned[f"{period}_no_target"].sum())
        if no_actual or no_target:
            notes.append(
                f"{period} share: over the projects with both a plan and a {period} value "
                f"({int(planned[f'{period}_compared'].sum())} project-indicator pairs); left "
                f"out of it: {no_actual} plan(s) without a {period} value ({period}_no_actual) "
                f"and {no_target} {period} value(s) without a plan ({period}_no_target)"
            )
        undefined = table[(table[f"{period}_compared"] > 0) & table[f"{period}_share"].isna()]
        if len(undefined):
            notes.append(
                f"{period} share not defined for {', '.join(_labels(undefined, groups))}: the "
                "divisor is 0 (a target of 0, or, where lower is better, none at all)"
            )
    return notes


def _labels(rows: pd.DataFrame, groups: list[str]) -> list[str]:
    """``indicator`` or ``indicator (group, …)`` for each row, as a note names it."""
    labels = []
    for _, row in rows.iterrows():
        values = [
            f"blank {c}" if pd.isna(row[c]) else str(row[c])
            for c in groups
            if pd.isna(row[c]) or str(row[c]) != OVERALL
        ]
        labels.append(f"{row.indicator} ({', '.join(values)})" if values else str(row.indicator))
    return labels
