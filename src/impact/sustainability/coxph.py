"""Cox proportional hazards as R's ``coxph``: Efron or Breslow ties, a vectorised Newton
solver, and cluster-robust (sandwich) variance from Efron-type score residuals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import EstimationError
from ..inputs import (
    EventCoding,
    Note,
    Notes,
    clusters,
    covariates_as_given,
    require_columns,
    survival_data,
)
from ..results import ModelResult, Summary, check_ci, model_table


@dataclass(frozen=True, repr=False)
class CoxResult(ModelResult):
    """Cox model: ``table`` has one row per covariate (estimate, se, interval, p, hazard
    ratio and ``ph_test_p``, the per-term p-value of R's ``cox.zph``); ``ph_test`` is the
    full :class:`~impact.sustainability.zph.ZphResult` (per term and global)."""

    ph_test: object = None

    def summary(self) -> Summary:
        base = super().summary()
        extra = (str(self.ph_test.global_test),) if self.ph_test is not None else ()
        return Summary(base.title, base.parts + extra)


@dataclass(frozen=True)
class CoxFit:
    """What the solver leaves behind, in the order of the rows given: coefficients, the
    information matrix, score residuals (R's ``residuals(fit, type = "score")``) and, for
    each event in order of time, its time, covariates minus the Efron risk-set mean, and
    that mean's variance (the pieces of the information matrix) for :func:`cox_zph`."""

    beta: np.ndarray
    information: np.ndarray
    score_residuals: np.ndarray
    event_times: np.ndarray
    event_residuals: np.ndarray
    event_variance: np.ndarray
    loglik: float


def cox(
    df: pd.DataFrame,
    *,
    duration: str,
    event: str,
    covariates: Sequence[str],
    ties: str = "efron",
    cluster: str | None = None,
    robust: bool = False,
    ci: float = 0.95,
    event_coding: EventCoding = "0/1",
) -> CoxResult:
    """Cox proportional-hazards regression, as R's ``survival::coxph``.

    The partial likelihood (Efron ties by default, or Breslow) is maximised by a
    vectorised Newton solver: risk-set sums are reverse cumulative sums over sorted times,
    so 200,000 rows take about a second. Covariates may be numeric (booleans as 0/1) or
    categorical: a categorical column enters as indicators of each level but the first
    (R's treatment contrasts; a pandas Categorical keeps its order, other text is sorted),
    named ``column=level``.

    With ``cluster``, the variance is R's robust (sandwich) variance
    ``coxph(..., cluster = id)``: I⁻¹ (Σ_c U_c U_cᵀ) I⁻¹ where U_c sums the score
    residuals of a cluster's rows (Lin & Wei 1989), the residuals computed with the same
    tie method as the fit (Efron-type, as R's ``coxscore2``), and no small-sample factor,
    as R. ``robust=True`` without ``cluster`` is R's ``coxph(..., robust = TRUE)``: each row
    its own cluster. The robust variance gives ``se``, the intervals and p-values, and the
    model-based one is kept in ``naive_se`` (R's ``se(coef)`` beside ``robust se``). It is
    vectorised like the fit and costs little more.

    ``ph_test_p`` in the table and ``ph_test`` on the result are R's ``cox.zph`` with the
    Kaplan–Meier time transform (Grambsch & Therneau 1994, score test as in survival 3.x):
    small p-values suggest a hazard ratio changes over time.

    Rows missing the duration, the event, a covariate or the cluster are left out and
    counted in ``notes`` (R: "1 observation deleted due to missingness").

    Parameters
    ----------
    df
        One row per line (project, person …).
    duration
        Column of follow-up times, numbers ≥ 0 in one unit.
    event
        Column: 1 (True) where the line ended, 0 (False) where censored; R's 1/2 coding
        only with ``event_coding="1/2"``.
    covariates
        Columns of the model: numbers, booleans or categories.
    ties
        ``"efron"`` (R's default) or ``"breslow"``.
    cluster
        Column of clusters for R's robust variance; one cluster is refused, fewer than 10
        noted.
    robust
        Robust variance with each row its own cluster.
    ci
        Confidence level, strictly between 0 and 1.
    event_coding
        ``"0/1"`` (default) or ``"1/2"`` (R's ``Surv(time, status)`` coding).

    Returns
    -------
    CoxResult
        ``table`` per term (estimate, se, ci_low, ci_high, p, hazard_ratio, hr_low,
        hr_high, ph_test_p; ``naive_se`` with a robust variance), ``ph_test``, ``notes``.

    Examples
    --------
    >>> from lifelines.datasets import load_lung
    >>> fit = cox(load_lung(), duration="time", event="status", covariates=["age", "sex"])
    >>> round(float(fit.params["sex"]), 4)   # R: coxph(Surv(time, status) ~ age + sex, lung)
    -0.5132
    """
    from .zph import zph_from_fit

    function = "cox"
    ci = check_ci(ci)
    covariates = list(covariates)
    require_columns(
        df, function, duration=duration, event=event, covariates=covariates, cluster=cluster
    )
    if ties not in ("efron", "breslow"):
        raise EstimationError(f"ties must be 'efron' or 'breslow', not {ties!r}")
    notes = Notes()
    covariates_as_given(df, covariates, function=function, notes=notes)
    data = survival_data(
        df,
        duration=duration,
        event=event,
        columns=[*covariates, cluster],
        function=function,
        notes=notes,
        event_coding=event_coding,
    )
    if cluster:
        clusters(
            data[cluster],
            function=function,
            notes=notes,
            alternative="the robust se may be smaller than the model-based one; read "
            "naive_se beside it, or leave cluster= out",
        )
    events = int(data[event].sum())
    if events < len(covariates) + 2:
        raise EstimationError(f"too few events ({events}) for {len(covariates)} covariate(s)")
    time_ = data[duration].to_numpy(float)
    status = data[event].to_numpy(float)
    design, assign = _design(data, covariates)
    terms, x = list(design.columns), design.to_numpy(float)
    robust = bool(robust or cluster)
    try:
        fit = cox_fit(time_, status, x, ties, residuals=robust)
        inverse = np.linalg.inv(fit.information)
    except np.linalg.LinAlgError:
        raise EstimationError(
            f"the covariates {terms} are constant or collinear among the rows used: "
            "their hazard ratios cannot be told apart; drop or combine some"
        ) from None
    if robust:
        codes = pd.factorize(data[cluster])[0] if cluster else np.arange(len(data))
        per_cluster = np.column_stack(
            [np.bincount(codes, weights=column) for column in fit.score_residuals.T]
        )
        covariance = inverse @ (per_cluster.T @ per_cluster) @ inverse
    else:
        covariance = inverse
    beta = fit.beta
    se = np.sqrt(np.diag(covariance))
    z = stats.norm.ppf(0.5 + ci / 2)
    table = model_table(
        beta,
        se,
        beta - z * se,
        beta + z * se,
        2 * stats.norm.sf(np.abs(beta / se)),
        ratio="hazard_ratio",
    )
    table.index = pd.Index(terms, name="term")
    if robust:
        table["naive_se"] = np.sqrt(np.diag(inverse))
    ph_test = zph_from_fit(fit, time_, status, terms, assign=assign, transform="km")
    term_of = {terms[j]: term for term, positions in assign.items() for j in positions}
    table["ph_test_p"] = [ph_test.table.p[term_of[t]] for t in terms]
    return CoxResult(
        table,
        title=f"Cox proportional hazards ({ties} ties"
        + (f", robust variance clustered by {cluster})" if cluster else "")
        + (", robust variance)" if robust and not cluster else "")
        + (")" if not robust else ""),
        inputs={
            "n": len(data),
            "events": events,
            "duration": duration,
            "event": event,
            "covariates": covariates,
            "cluster": cluster,
            "robust": robust,
            "ties": ties,
            "ci": ci,
            "event_coding": event_coding,
            "n_clusters": int(data[cluster].nunique()) if cluster else None,
        },
        notes=(
            *notes,
            Note(
                "hazard_ratio_meaning",
                "hazard_ratio > 1: the covariate makes ending sooner; "
                "ph_test_p small: the ratio may change over time (R's cox.zph)",
            ),
        ),
        ph_test=ph_test,
    )


def _design(data: pd.DataFrame, covariates: list[str]) -> tuple[pd.DataFrame, dict]:
    """Numeric covariates as they are (booleans as 0/1); categorical ones as indicators of
    every level but the first (R's treatment contrasts: a categorical column's own order,
    else sorted), named ``column=level``. Also returns each covariate's column positions
    (R's ``assign``), which ``cox.zph`` tests together."""
    columns, assign = {}, {}
    for name in covariates:
        column = data[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            assign[name] = [len(columns)]
            columns[name] = column.astype(float)
            continue
        if not isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(str).astype(
                pd.CategoricalDtype(sorted(column.astype(str).unique()))
            )
        start = len(columns)
        for level in column.cat.categories[1:]:
            columns[f"{name}={level}"] = (column == level).astype(float)
        assign[name] = list(range(start, len(columns)))
    return pd.DataFrame(columns, index=data.index), assign


def cox_fit(
    time_: np.ndarray,
    status: np.ndarray,
    x: np.ndarray,
    ties: str = "efron",
    *,
    residuals: bool = True,
    tolerance: float = 1e-10,
    max_iter: int = 50,
) -> CoxFit:
    """Maximise the Cox partial likelihood (Newton with step halving) and return the
    pieces later steps need; ``residuals=False`` skips the score residuals."""
    order = np.argsort(time_, kind="stable")
    sorted_time, status_sorted = time_[order], status[order]
    x = x[order] - x.mean(axis=0)  # centring changes no estimate, only round-off
    n, p = x.shape
    # Distinct times; the risk set of each is every row from its first position on.
    dead = status_sorted == 1
    times, first_of_time = np.unique(sorted_time, return_index=True)
    group_of_row = np.searchsorted(times, sorted_time)
    deaths_in_group = np.bincount(group_of_row[dead], minlength=len(times))
    # One entry per death: its group and its rank l = 0 … d − 1 within the tie; Efron
    # removes the share l / d of the tied deaths' risk from the l-th denominator.
    death_group = group_of_row[dead]
    tie_size = deaths_in_group[death_group].astype(float)
    tie_rank = np.arange(len(death_group)) - np.searchsorted(death_group, death_group)
    fraction = tie_rank / tie_size if ties == "efron" else np.zeros(len(death_group))
    x_dead = x[dead]
    tail = lambda values: np.cumsum(values[::-1], axis=0)[::-1]  # noqa: E731

    def pieces(beta):
        eta = x @ beta
        shift = eta.max()
        risk = np.exp(eta - shift)  # a common factor cancels from every ratio
        weighted = x * risk[:, None]
        outer = np.einsum("ni,nj->nij", x, weighted)
        s0, s1, s2 = (tail(v)[first_of_time][death_group] for v in (risk, weighted, outer))
        t0 = np.bincount(death_group, weights=risk[dead], minlength=len(times))[death_group]
        t1 = _group_sum(death_group, weighted[dead], len(times))
        t2 = _group_sum(death_group, outer[dead], len(times))
        t1, t2 = t1[death_group], t2[death_group]
        denominator = s0 - fraction * t0
        expected = (s1 - fraction[:, None] * t1) / denominator[:, None]
        second = (s2 - fraction[:, None, None] * t2) / denominator[:, None, None]
        variance = second - np.einsum("ki,kj->kij", expected, expected)
        loglik = (eta[dead] - shift).sum() - np.log(denominator).sum()
        gradient = x_dead.sum(axis=0) - expected.sum(axis=0)
        return loglik, gradient, variance.sum(axis=0), expected, variance, denominator, risk

    beta = np.zeros(p)
    state = pieces(beta)
    for _ in range(max_iter):
        step = np.linalg.solve(state[2], state[1])
        for _halving in range(30):
            candidate = beta + step
            new = pieces(candidate)
            if new[0] >= state[0] - 1e-12:
                break
            step /= 2
        change = new[0] - state[0]
        beta, state = candidate, new
        if abs(change) < tolerance and np.abs(step).max() < 1e-8:
            break
    loglik, _, information, expected, variance, denominator, risk = state
    # Schoenfeld residuals: each event's covariates minus the mean over its tie of the
    # (Efron) risk-set means.
    group_mean = _group_sum(death_group, expected, len(times))
    group_mean /= np.maximum(deaths_in_group, 1)[:, None]
    schoenfeld = x_dead - group_mean[death_group]
    score = np.zeros((n, p))
    if residuals:
        score_sorted = _score_residuals(
            x, dead, risk, group_of_row, death_group, fraction, denominator, expected, len(times)
        )
        score[order] = score_sorted
        score[order[dead]] += schoenfeld
    return CoxFit(
        beta=beta,
        information=information,
        score_residuals=score,
        event_times=sorted_time[dead],
        event_residuals=x_dead - expected,
        event_variance=variance,
        loglik=float(loglik),
    )


def _score_residuals(x, dead, risk, group_of_row, death_group, fraction, denominator, xbar, g):
    """Score residuals without the Schoenfeld part, vectorised from R's ``coxscore2``.

    Each death entry k (time t_k, rank l of d in its tie) adds the hazard increment
    h_k = 1 / denominator_k with mean xbar_k. Row i is charged −r_i (x_i H(T_i) − XH(T_i))
    with H and XH the running sums of h and h·xbar up to its time; a death is charged only
    1 − l/d of each of its own tie's increments (Efron), so it gets back
    r_i Σ_own (l/d) h_k (x_i − xbar_k). Breslow is the case l/d = 0.
    """
    hazard = 1.0 / denominator  # in the units of ``risk`` (both scaled by exp(−max η))
    cumulative = np.cumsum(np.bincount(death_group, weights=hazard, minlength=g))
    weighted_mean = np.cumsum(_group_sum(death_group, xbar * hazard[:, None], g), axis=0)
    residuals = -risk[:, None] * (
        x * cumulative[group_of_row][:, None] - weighted_mean[group_of_row]
    )
    own = fraction * hazard
    own_sum = np.bincount(death_group, weights=own, minlength=g)
    own_mean = _group_sum(death_group, xbar * own[:, None], g)
    rows = group_of_row[dead]
    residuals[dead] += risk[dead][:, None] * (x[dead] * own_sum[rows][:, None] - own_mean[rows])
    return residuals


def _group_sum(groups: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Sum rows of ``values`` (any trailing shape) by ``groups``; ``np.bincount`` per
    column, many times faster than ``np.add.at``."""
    flat = values.reshape(len(values), -1)
    sums = np.column_stack(
        [np.bincount(groups, weights=flat[:, k], minlength=size) for k in range(flat.shape[1])]
    )
    return sums.reshape((size, *values.shape[1:]))
