"""R's ``cox.zph``: the score test of proportional hazards, per term and global."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import EstimationError
from ..inputs import EventCoding, Notes, covariates_as_given, require_columns, survival_data
from ..results import Result, StatisticalTest, Summary

TRANSFORMS = ("km", "identity", "log", "rank")


@dataclass(frozen=True, repr=False)
class ZphResult(Result):
    """``table``: one row per term and a last row ``GLOBAL`` with ``chisq``, ``df`` and
    ``p``, as R prints ``cox.zph``; ``global_test`` is the global row as a
    :class:`~impact.results.StatisticalTest`."""

    global_test: StatisticalTest | None = None

    def summary(self) -> Summary:
        return Summary(self.title, (self.table, *(f"note: {n}" for n in self.notes)))

    def test(self, term: str = "GLOBAL") -> StatisticalTest:
        """One row of the table as a :class:`~impact.results.StatisticalTest`."""
        if term not in self.table.index:
            raise EstimationError(f"no term {term!r}; terms are {list(self.table.index)}")
        row = self.table.loc[term]
        scope = "global" if term == "GLOBAL" else term
        return StatisticalTest(
            name=f"proportional hazards ({scope}, cox.zph)",
            null=(
                "every hazard ratio is constant over time"
                if term == "GLOBAL"
                else f"the hazard ratio of {term} is constant over time"
            ),
            statistic=float(row.chisq),
            df=int(row.df),
            p=float(row.p),
        )


def cox_zph(
    df: pd.DataFrame,
    *,
    duration: str,
    event: str,
    covariates: Sequence[str],
    ties: str = "efron",
    transform: str = "km",
    event_coding: EventCoding = "0/1",
) -> ZphResult:
    """Test of proportional hazards for a Cox model, ported from R's ``cox.zph``
    (survival 3.x): fits the model, then a score test at the fitted β of adding
    g(t)·x for each covariate, g the transformed event time centred over the events:
    per term (1 df each) and global (all terms). ``transform`` is ``"km"`` (R's default,
    1 − the left-continuous Kaplan–Meier curve), ``"identity"``, ``"log"`` or ``"rank"``.

    Reference: Grambsch P. & Therneau T. (1994), Proportional hazards tests and
    diagnostics based on weighted residuals, *Biometrika* 81, 515–526; the score form is
    that of survival ≥ 3.0 (``zph1.c``).

    Parameters
    ----------
    df
        One row per line.
    duration, event, covariates, ties, event_coding
        As in :func:`~impact.sustainability.cox`; rows missing any of them are left out
        and counted in ``notes``.
    transform
        The time transform g(t).

    Returns
    -------
    ZphResult
        ``table`` with chisq, df and p per term and ``GLOBAL``; ``global_test``.

    Examples
    --------
    >>> from lifelines.datasets import load_lung
    >>> zph = cox_zph(load_lung(), duration="time", event="status", covariates=["sex"])
    >>> list(zph.table.index)
    ['sex', 'GLOBAL']
    """
    from .coxph import _design, cox_fit

    function = "cox_zph"
    covariates = list(covariates)
    require_columns(df, function, duration=duration, event=event, covariates=covariates)
    notes = Notes()
    covariates_as_given(df, covariates, function=function, notes=notes)
    data = survival_data(
        df,
        duration=duration,
        event=event,
        columns=covariates,
        function=function,
        notes=notes,
        event_coding=event_coding,
    )
    time_ = data[duration].to_numpy(float)
    status = data[event].to_numpy(float)
    design, assign = _design(data, covariates)
    fit = cox_fit(time_, status, design.to_numpy(float), ties, residuals=False)
    result = zph_from_fit(
        fit, time_, status, list(design.columns), assign=assign, transform=transform
    )
    return replace(result, notes=(*notes, *result.notes), inputs=result.inputs | {"n": len(data)})


def zph_from_fit(
    fit, time_, status, columns, *, assign: dict | None = None, transform: str = "km"
) -> ZphResult:
    """:func:`cox_zph` from a :class:`~impact.sustainability.coxph.CoxFit`: ``columns``
    name the model's columns, ``assign`` maps each term to its column positions (a
    categorical term is tested on all its columns together, with as many df, as R's
    ``cox.zph(terms = TRUE)``); without it each column is a term."""
    if transform not in TRANSFORMS:
        raise EstimationError(
            f"transform must be one of {', '.join(TRANSFORMS)}, not {transform!r}"
        )
    g = _time_transform(time_, status, fit.event_times, transform)
    g = g - g.mean()
    columns = list(columns)
    p = len(columns)
    assign = assign or {name: [j] for j, name in enumerate(columns)}
    residuals, variance = fit.event_residuals, fit.event_variance
    score = np.concatenate([np.zeros(p), (g[:, None] * residuals).sum(axis=0)])
    information = np.zeros((2 * p, 2 * p))
    information[:p, :p] = variance.sum(axis=0)
    information[:p, p:] = (g[:, None, None] * variance).sum(axis=0)
    information[p:, :p] = information[:p, p:].T
    information[p:, p:] = ((g**2)[:, None, None] * variance).sum(axis=0)
    rows, df = [], []
    for positions in assign.values():
        keep = [*range(p), *(p + j for j in positions)]
        u = score[keep]
        rows.append(float(u @ np.linalg.solve(information[np.ix_(keep, keep)], u)))
        df.append(len(positions))
    rows.append(float(score @ np.linalg.solve(information, score)))
    df.append(p)
    table = pd.DataFrame(
        {"chisq": rows, "df": df, "p": stats.chi2.sf(rows, df)},
        index=pd.Index([*assign, "GLOBAL"], name="term"),
    )
    result = ZphResult(
        table,
        title=f"Test of proportional hazards (R's cox.zph, transform {transform!r})",
        inputs={"terms": list(assign), "transform": transform, "events": len(g)},
        notes=("a small p: the hazard ratio of that term may change over time",),
    )
    return replace(result, global_test=result.test("GLOBAL"))


def _time_transform(time_, status, event_times, transform) -> np.ndarray:
    if transform == "identity":
        return event_times.astype(float)
    if transform == "log":
        return np.log(event_times)
    if transform == "rank":
        ranks = stats.rankdata(time_)  # over every row, as R's rank(times)
        return np.sort(ranks[status == 1])
    # 1 − S(t−): the Kaplan–Meier curve of all rows just before each event time.
    times, inverse = np.unique(time_, return_inverse=True)
    at_risk = len(time_) - np.concatenate([[0], np.cumsum(np.bincount(inverse))[:-1]])
    deaths = np.bincount(inverse, weights=status)
    survival = np.cumprod(1 - deaths / at_risk)
    before = np.concatenate([[1.0], survival[:-1]])
    return 1 - before[np.searchsorted(times, event_times)]
