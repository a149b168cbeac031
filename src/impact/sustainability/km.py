"""Kaplan–Meier survival, its quantiles by R's rule, and the log-rank test."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .. import style
from ..inputs import EventCoding, InputError, Notes, require_columns, survival_data
from ..results import Result, StatisticalTest, Summary, axes, check_ci

_TOLERANCE = np.sqrt(np.finfo(float).eps)  # R's quantile.survfit default tolerance


@dataclass(frozen=True, repr=False)
class SurvivalResult(Result):
    """Kaplan–Meier curves (``table``), medians (``medians``: missing where a curve or
    its interval never reaches one half, shown as "not reached") and the log-rank test
    (``logrank``, a :class:`~impact.results.StatisticalTest`, or None for one group)."""

    medians: pd.DataFrame | None = None
    logrank: StatisticalTest | None = None

    def summary(self) -> Summary:
        medians = self.medians.copy()
        for column in ("median", "ci_low", "ci_high"):
            medians[column] = (
                medians[column].astype(object).where(medians[column].notna(), "not reached")
            )
        parts: list = [medians]
        if self.logrank is not None:
            parts.append(str(self.logrank))
        parts += [f"note: {n}" for n in self.notes]
        return Summary(self.title, tuple(parts))

    def _repr_table(self) -> pd.DataFrame:
        return self.medians

    def plot(self, ax=None):
        """The Kaplan–Meier curve of every group, from (0, 1) to its last follow-up, with
        shaded pointwise intervals."""
        ax = axes(ax)
        last = self.inputs.get("last_time") or {}
        for group, curve in self.table.groupby("group", sort=False):
            # As R's plot.survfit: from (0, 1) to the group's last follow-up, so a group
            # with a single event time still shows its curve.
            end = max(float(last.get(group, curve.time.max())), float(curve.time.max()))
            time = np.concatenate([[0.0], curve.time, [end]])
            survival, low, high = (
                np.concatenate([[1.0], curve[c], curve[c].iloc[-1:]])
                for c in ("survival", "ci_low", "ci_high")
            )
            # the group's values, every level of by= ("lishui / matched"), as the table
            (line,) = ax.step(time, survival, where="post", label=str(group))
            ax.fill_between(time, low, high, step="post", alpha=0.15, color=line.get_color())
        level = self.inputs.get("ci", 0.95)
        if np.all(np.mod(self.table.time, 1) == 0):  # rounds: whole numbers only
            style.integer_ticks(ax.xaxis)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel(self.inputs.get("duration", "time"))
        ax.set_ylabel(f"share still going\n(shaded: {level:.0%} pointwise intervals)")
        if self.table.group.nunique() > 1:
            ax.legend()
        return ax


def kaplan_meier(
    df: pd.DataFrame,
    *,
    duration: str,
    event: str,
    by: str | Sequence[str] | None = None,
    ci: float = 0.95,
    event_coding: EventCoding = "0/1",
) -> SurvivalResult:
    """Kaplan–Meier survival with pointwise intervals, medians with intervals, and the
    log-rank test across groups.

    Intervals use the log transform with Greenwood's variance, R's ``survfit`` default.
    Medians follow R's ``quantile.survfit``: the first time the curve drops to one half or
    below, and where it sits exactly at one half over an interval, the midpoint of that
    interval (durations 1, 2, 3, 4 all ended give 2.5, as the sample median does). A
    median or limit the curve never reaches is missing (NaN), which summaries and reports
    show as "not reached". The log-rank test is R's ``survdiff`` (statsmodels).

    Parameters
    ----------
    df
        One row per line (project, person …).
    duration
        Column of follow-up times, numbers ≥ 0 in one unit (rounds, days).
    event
        Column: 1 (or True) where the line ended, 0 (False) where censored. R's survival
        coding 1 = censored, 2 = event is refused unless ``event_coding="1/2"``.
    by
        Column(s) whose values (or combinations, labelled ``"a / b"``) get a curve each,
        compared by the log-rank test.
    ci
        Confidence level of the pointwise intervals, strictly between 0 and 1.
    event_coding
        ``"0/1"`` (default) or ``"1/2"`` (R's ``Surv(time, status)`` coding).

    Returns
    -------
    SurvivalResult
        ``table`` (the curves: group, time, at_risk, events, survival, ci_low, ci_high),
        ``medians``, ``logrank``; rows left out for missing values are counted in
        ``notes``.

    Examples
    --------
    >>> frame = pd.DataFrame({"rounds": [1, 2, 3, 4], "ended": [1, 1, 1, 1]})
    >>> float(kaplan_meier(frame, duration="rounds", event="ended").medians["median"].iloc[0])
    2.5
    """
    from statsmodels.duration.survfunc import SurvfuncRight, survdiff

    function = "kaplan_meier"
    ci = check_ci(ci)
    groups = [] if by is None else ([by] if isinstance(by, str) else list(by))
    require_columns(df, function, duration=duration, event=event, by=groups)
    notes = Notes()
    data = survival_data(
        df,
        duration=duration,
        event=event,
        columns=groups,
        function=function,
        notes=notes,
        event_coding=event_coding,
    )
    if data.empty or data[event].sum() == 0:
        raise InputError(
            f"{function}(event=...): no events in {event!r} among the rows used: survival "
            "cannot be estimated",
            argument="event",
            column=event,
        )
    by = None
    if groups:
        by = " / ".join(groups)
        data[by] = (
            data[groups[0]]
            if len(groups) == 1
            else data[groups].astype(str).agg(" / ".join, axis=1)
        )
    curves, medians = [], []
    for group, part in _groups(data, by):
        times, ended = part[duration].to_numpy(float), part[event].to_numpy(float)
        fit = SurvfuncRight(times, ended)
        low, high = _pointwise(fit, ci)
        curves.append(
            pd.DataFrame(
                {
                    "group": group,
                    "time": fit.surv_times,
                    "at_risk": fit.n_risk,
                    "events": fit.n_events,
                    "survival": fit.surv_prob,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
        )
        quantile = km_quantiles(times, ended, [0.5], ci=ci).iloc[0]
        medians.append(
            {
                "group": group,
                "n": len(part),
                "events": int(ended.sum()),
                "median": quantile["quantile"],
                "ci_low": quantile.ci_low,
                "ci_high": quantile.ci_high,
            }
        )
    logrank = None
    if by and data[by].nunique() > 1:
        chi2, p = survdiff(
            data[duration].to_numpy(float), data[event].to_numpy(float), data[by].to_numpy()
        )
        logrank = StatisticalTest(
            name="log-rank",
            null=f"survival is the same in every group of {by}",
            statistic=float(chi2),
            df=int(data[by].nunique() - 1),
            p=float(p),
        )
    return SurvivalResult(
        pd.concat(curves, ignore_index=True),
        title="Kaplan–Meier survival",
        medians=pd.DataFrame(medians).set_index("group"),
        logrank=logrank,
        inputs={
            "n": len(data),
            "duration": duration,
            "event": event,
            "by": groups or None,
            "ci": ci,
            "event_coding": event_coding,
            "last_time": {group: float(part[duration].max()) for group, part in _groups(data, by)},
        },
        notes=tuple(notes),
    )


def _groups(data: pd.DataFrame, by: str | None):
    return data.groupby(by, observed=True, sort=True) if by else [("all", data)]


def km_quantiles(durations, events, probs=(0.25, 0.5, 0.75), *, ci: float = 0.95) -> pd.DataFrame:
    """Quantiles of the Kaplan–Meier curve with interval, ported from R's
    ``quantile.survfit`` (survival 3.x, ``findq``).

    The time where the distribution function 1 − S first reaches ``p``; where 1 − S
    equals ``p`` (within √ε) over a flat stretch, the midpoint of the stretch, and at the
    end of the curve the midpoint with the last time observed. The limits apply the same
    rule to the log-transformed pointwise limits of S. A quantile never reached is NaN.

    Parameters
    ----------
    durations
        Follow-up times.
    events
        1 where the event happened, 0 where censored.
    probs
        The quantiles wanted, between 0 and 1.
    ci
        Confidence level of the limits.

    Returns
    -------
    pandas.DataFrame
        One row per ``p`` with ``quantile``, ``ci_low`` and ``ci_high``.

    Examples
    --------
    >>> km_quantiles([1, 2, 3, 4], [1, 1, 1, 1], [0.5])["quantile"].tolist()
    [2.5]
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    ci = check_ci(ci)
    times, ended = np.asarray(durations, float), np.asarray(events, float)
    fit = SurvfuncRight(times, ended)
    low, high = _pointwise(fit, ci)
    dead = fit.surv_prob == 0  # R's log interval is undefined where S = 0
    low, high = np.where(dead, np.nan, low), np.where(dead, np.nan, high)
    x = np.concatenate([[0.0], fit.surv_times])
    last = float(times.max())
    rows = []
    for p in np.atleast_1d(probs):
        rows.append(
            {
                "p": float(p),
                "quantile": _findq(x, 1 - np.concatenate([[1.0], fit.surv_prob]), p, last),
                "ci_low": _findq(x, 1 - np.concatenate([[1.0], low]), p, last),
                "ci_high": _findq(x, 1 - np.concatenate([[1.0], high]), p, last),
            }
        )
    return pd.DataFrame(rows)


def _findq(x: np.ndarray, y: np.ndarray, p: float, last: float) -> float:
    """R's ``findq`` for one ``p``: ``x`` times from 0, ``y`` the distribution function."""
    keep = ~np.isnan(y)
    x, y = x[keep], y[keep]
    if len(y) == 0 or y.max() < p - _TOLERANCE:  # R: max(y) < p, exact arithmetic
        return np.nan
    _, first = np.unique(y, return_index=True)  # drop repeated levels (censorings)
    first = np.sort(first)
    x, y = x[first], y[first]
    if p == 0:
        return float(x[0])
    n = len(y)
    index1 = np.searchsorted(y + _TOLERANCE, p, side="left")  # approx(..., "constant", f=1)
    index2 = np.searchsorted(y - _TOLERANCE, p, side="left")
    if index1 >= n:
        return np.nan
    if abs(p - y[-1]) < _TOLERANCE:  # a flat at the end of the curve
        return float((x[index1] + last) / 2)
    if index2 >= n:
        return np.nan
    return float((x[index1] + x[index2]) / 2)


def _pointwise(fit, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise interval for S(t) on the log scale with Greenwood's variance, R's
    ``survfit`` default (conf.type = "log"), capped at 1."""
    z = stats.norm.ppf(0.5 + ci / 2)
    survival = fit.surv_prob
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = z * fit.surv_prob_se / survival
        low = np.where(survival > 0, survival * np.exp(-spread), 0.0)
        high = np.where(survival > 0, np.minimum(1.0, survival * np.exp(spread)), 0.0)
    return low, high
