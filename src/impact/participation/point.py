"""Effects at one time point: :func:`att` (difference in means, outcome regression, inverse
probability weighting or augmented IPW, with overlap diagnostics) and :func:`count_effect`
(rate ratios for person-time counts from a Poisson or negative-binomial GLM with an
exposure offset and cluster-robust errors)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import EstimationError
from ..inputs import (
    Notes,
    amounts,
    clusters,
    covariates_as_given,
    drop_missing,
    event_indicator,
    numbers,
)
from ..results import ModelResult, check_ci, check_columns, model_table, z_value
from .results import EffectResult

ATT_METHODS = ("diff", "regression", "ipw", "aipw")


def att(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str] = (),
    method: str = "aipw",
    estimand: str = "ate",
    propensity_model=None,
    trim: float | None = None,
    se: str = "influence",
    n_boot: int = 999,
    seed: int = 0,
    ci: float = 0.95,
    keep_draws: bool = False,
) -> EffectResult:
    """Effect of taking part (``treatment`` 1/0) on ``outcome`` at one time point.

    ``method`` is one of:

    - ``"diff"``: difference in means (a randomised comparison);
    - ``"regression"``: outcome regression, OLS of the outcome on the covariates in each
      group;
    - ``"ipw"``: inverse probability weighting with normalised (Hájek) weights;
    - ``"aipw"``: augmented IPW, doubly robust: consistent if either the propensity or the
      outcome model is right (Robins, Rotnitzky & Zhao 1994).

    Standard errors come from influence functions (``se="influence"``) that include the
    estimation of the outcome regressions; the estimation of the propensity scores is not
    included (for ``aipw`` it does not matter to first order; for ``ipw`` it can, either
    way). ``se="bootstrap"`` resamples units ``n_boot`` times and refits everything.

    Assumptions: no unmeasured confounding given the covariates, and overlap: every unit
    could have taken part or not. ``balance`` and ``plot()`` show whether overlap holds.
    Rows missing the outcome, the treatment or a covariate are left out and counted in
    ``notes``.

    Parameters
    ----------
    df
        One row per unit (community).
    outcome
        Column of the outcome, numbers.
    treatment
        Column: 1 (True) for units that took part, 0 (False) for the others; text such as
        yes/no is refused with the mapping to write.
    covariates
        Columns adjusted for (numbers, or categories as indicators).
    method
        ``"diff"``, ``"regression"``, ``"ipw"`` or ``"aipw"`` (see above).
    estimand
        ``"ate"`` (everyone) or ``"att"`` (those who took part).
    propensity_model
        Any scikit-learn classifier with ``predict_proba`` (default: unpenalised logistic
        regression).
    trim
        Drop units whose score is below ``trim`` or above 1 − ``trim``.
    se
        ``"influence"`` or ``"bootstrap"``.
    n_boot, seed
        Bootstrap replicates and seed (``se="bootstrap"``).
    ci
        Confidence level, strictly between 0 and 1.
    keep_draws
        With ``se="bootstrap"``, keep the replicate estimates in ``result.draws`` (the
        seed in ``draws.attrs["seed"]``).

    Returns
    -------
    EffectResult
        ``table`` (one row ``effect``: estimate, se, ci_low, ci_high, p, n_treated,
        n_control), ``balance``, ``propensity``.

    Examples
    --------
    >>> frame = pd.DataFrame({"y": [1.0, 3.0, 2.0, 6.0, 4.0], "joined": [1, 1, 0, 0, 0]})
    >>> float(att(frame, outcome="y", treatment="joined", method="diff")
    ...       .table.estimate.iloc[0])   # mean(1, 3) − mean(2, 6, 4)
    -2.0
    """
    ci = check_ci(ci)
    if method not in ATT_METHODS:
        raise EstimationError(f"method must be one of {ATT_METHODS}, not {method!r}")
    if estimand not in ("ate", "att"):
        raise EstimationError(f"estimand must be 'ate' or 'att', not {estimand!r}")
    if se not in ("influence", "bootstrap"):
        raise EstimationError(f"se must be 'influence' or 'bootstrap', not {se!r}")
    covariates = list(covariates)
    check_columns(df, outcome, treatment, *covariates)
    if method != "diff" and not covariates:
        raise EstimationError(f"method {method!r} needs covariates; use method='diff'")
    input_notes = Notes()
    data = _point_inputs(df, outcome, treatment, covariates, None, "att", input_notes)
    treated = data[treatment].astype(float).to_numpy()
    if treated.sum() < 2 or (1 - treated).sum() < 2:
        raise EstimationError(f"{treatment!r} needs at least two units in each group")
    y = data[outcome].astype(float).to_numpy()
    x = (
        pd.get_dummies(data[covariates], drop_first=True, dtype=float).to_numpy()
        if covariates
        else np.empty((len(data), 0))
    )
    propensity = None
    trimmed = 0
    if method in ("ipw", "aipw") or covariates:
        propensity = _propensity(x, treated, propensity_model)
        if trim:
            keep = (propensity >= trim) & (propensity <= 1 - trim)
            trimmed = int((~keep).sum())
            y, x, treated, propensity = y[keep], x[keep], treated[keep], propensity[keep]
            data = data[keep]
    estimate, influence = _effect(y, x, treated, propensity, method, estimand)
    draws = None
    if se == "bootstrap":
        rng = np.random.default_rng(seed)
        replicates = []
        for _ in range(n_boot):
            draw = rng.integers(0, len(y), len(y))
            if treated[draw].min() == treated[draw].max():
                continue
            score = (
                _propensity(x[draw], treated[draw], propensity_model)
                if propensity is not None
                else None
            )
            replicates.append(_effect(y[draw], x[draw], treated[draw], score, method, estimand)[0])
        standard_error = float(np.std(replicates, ddof=1))
        if keep_draws:
            draws = pd.DataFrame({"effect": replicates})
            draws.attrs["seed"] = seed
    else:
        standard_error = float(np.sqrt((influence**2).sum()) / len(y))
    z = z_value(ci)
    table = pd.DataFrame(
        {
            "estimate": [estimate],
            "se": [standard_error],
            "ci_low": [estimate - z * standard_error],
            "ci_high": [estimate + z * standard_error],
            "p": [2 * stats.norm.sf(abs(estimate / standard_error))],
            "n_treated": [int(treated.sum())],
            "n_control": [int((1 - treated).sum())],
        },
        index=pd.Index(["effect"], name="term"),
    )
    balance = None
    scores = None
    if propensity is not None:
        balance = _balance(data[covariates], treated, propensity, estimand)
        scores = pd.Series(propensity, index=data.index, name="propensity")
        scores.attrs["treated"] = treated.astype(bool)
    notes = []
    if propensity is not None and (propensity.min() < 0.02 or propensity.max() > 0.98):
        notes.append(
            "some propensity scores are near 0 or 1: overlap is weak; consider "
            "trim=0.05 and look at plot()"
        )
    if trimmed:
        notes.append(f"{trimmed} unit(s) outside the trimming bounds were dropped")
    return EffectResult(
        table,
        title=f"Effect of {treatment} on {outcome} ({estimand.upper()}, {method})",
        inputs={
            "n": len(y),
            "method": method,
            "estimand": estimand,
            "covariates": covariates or None,
            "trim": trim,
            "se": se,
            "seed": seed if se == "bootstrap" else None,
            "trimmed": trimmed,
        },
        notes=(*input_notes, *notes),
        balance=balance,
        propensity=scores,
        draws=draws,
    )


def _point_inputs(df, outcome, treatment, covariates, cluster, function, notes, count=False):
    """The input contract of :func:`att` and :func:`count_effect` (:mod:`impact.inputs`):
    the treatment 0/1 or boolean, the outcome as numbers (a count read as the loader
    reads one), rows missing any column left out and counted, enough clusters."""
    covariates_as_given(df, covariates, function=function, notes=notes)
    columns = list(dict.fromkeys([outcome, treatment, *covariates, cluster]))
    data = df[[c for c in columns if c is not None]].copy()
    data[treatment] = event_indicator(df, treatment, argument="treatment", function=function)
    data[outcome] = (
        amounts(df, outcome, argument="outcome", function=function, kind="count", notes=notes)
        if count
        else numbers(df, outcome, argument="outcome", function=function)
    )
    data = drop_missing(data, data.columns, notes)
    if cluster:
        clusters(
            data[cluster],
            function=function,
            notes=notes,
            alternative="leave cluster= out to see heteroskedasticity-robust errors beside these",
        )
    return data


def _propensity(x, treated, model) -> np.ndarray:
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # Unpenalised logistic regression is the textbook propensity model; scaling does not
    # change its fit but lets the solver reach it when covariates are yuan and years.
    model = (
        clone(model)
        if model is not None
        else make_pipeline(
            StandardScaler(), LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-12)
        )
    )
    model.fit(x, treated)
    return np.clip(model.predict_proba(x)[:, 1], 1e-12, 1 - 1e-12)


def _ols_influence(x, y, in_group, n):
    """Fitted values of OLS on one group and each unit's influence on the coefficients."""
    design = np.column_stack([np.ones(len(y)), x])
    chosen = design[in_group]
    coefficients, *_ = np.linalg.lstsq(chosen, y[in_group], rcond=None)
    fitted = design @ coefficients
    bread = np.linalg.pinv(chosen.T @ chosen / n)
    score = design * ((y - fitted) * in_group)[:, None]
    return fitted, design, score @ bread.T


def _effect(y, x, treated, propensity, method, estimand):
    n = len(y)
    t = treated
    p = t.mean()
    if method == "diff":
        mean1, mean0 = y[t == 1].mean(), y[t == 0].mean()
        influence = t * (y - mean1) / p - (1 - t) * (y - mean0) / (1 - p)
        return mean1 - mean0, influence
    if method == "regression":
        fitted0, design, influence0 = _ols_influence(x, y, t == 0, n)
        if estimand == "att":
            estimate = float(((y - fitted0) * t).sum() / t.sum())
            mean_design = design[t == 1].mean(axis=0)
            influence = t * (y - fitted0 - estimate) / p - influence0 @ mean_design
            return estimate, influence
        fitted1, _, influence1 = _ols_influence(x, y, t == 1, n)
        estimate = float((fitted1 - fitted0).mean())
        mean_design = design.mean(axis=0)
        influence = (
            fitted1 - fitted0 - estimate + influence1 @ mean_design - influence0 @ mean_design
        )
        return estimate, influence
    e = propensity
    if method == "ipw":
        if estimand == "att":
            w1, w0 = t, (1 - t) * e / (1 - e)
        else:
            w1, w0 = t / e, (1 - t) / (1 - e)
        mean1 = (w1 * y).sum() / w1.sum()
        mean0 = (w0 * y).sum() / w0.sum()
        influence = w1 * (y - mean1) / w1.mean() - w0 * (y - mean0) / w0.mean()
        return float(mean1 - mean0), influence
    fitted0, _, _ = _ols_influence(x, y, t == 0, n)
    if estimand == "att":
        weight0 = (1 - t) * e / (1 - e)
        estimate = float(((t - weight0) * (y - fitted0)).sum() / t.sum())
        influence = ((t - weight0) * (y - fitted0) - t * estimate) / p
        return estimate, influence
    fitted1, _, _ = _ols_influence(x, y, t == 1, n)
    terms = fitted1 - fitted0 + t * (y - fitted1) / e - (1 - t) * (y - fitted0) / (1 - e)
    estimate = float(terms.mean())
    return estimate, terms - estimate


def _balance(covariates: pd.DataFrame, treated, propensity, estimand) -> pd.DataFrame:
    """Standardised mean differences (pooled SD, unweighted) before and after weighting."""
    x = pd.get_dummies(covariates, drop_first=True, dtype=float)
    if estimand == "att":
        w1, w0 = treated, (1 - treated) * propensity / (1 - propensity)
    else:
        w1, w0 = treated / propensity, (1 - treated) / (1 - propensity)
    rows = []
    for name in x.columns:
        values = x[name].to_numpy()
        pooled = np.sqrt((values[treated == 1].var(ddof=1) + values[treated == 0].var(ddof=1)) / 2)
        before = values[treated == 1].mean() - values[treated == 0].mean()
        after = (w1 * values).sum() / w1.sum() - (w0 * values).sum() / w0.sum()
        rows.append(
            {
                "covariate": name,
                "smd_before": before / pooled if pooled else 0.0,
                "smd_after": after / pooled if pooled else 0.0,
            }
        )
    return pd.DataFrame(rows).set_index("covariate")


# ---------------------------------------------------------------------------- counts


def count_effect(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    exposure: str | None = None,
    family: str = "poisson",
    ci: float = 0.95,
) -> ModelResult:
    """Rate ratio of a count (person-times, activities) between those who took part and
    those who did not, from a Poisson or negative-binomial GLM with log link.

    ``exposure`` (e.g. population) enters as an offset, log(exposure), so the model is one
    of rates per resident. Standard errors are cluster-robust when ``cluster`` is given and
    heteroskedasticity-robust otherwise, so the Poisson fit stays valid for over-dispersed
    counts; ``family="negbin"`` estimates the dispersion and weights accordingly.

    Parameters
    ----------
    df
        One row per unit.
    outcome
        Column of counts (``约100人`` is read as 100); negative counts are refused.
    treatment
        Column: 1 (True) for units that took part, 0 (False) for the others.
    covariates
        Columns adjusted for.
    cluster
        Column of clusters for cluster-robust errors; one is refused, fewer than 10 noted.
    exposure
        Column of exposure (population), positive.
    family
        ``"poisson"`` or ``"negbin"``.
    ci
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    ModelResult
        One row per term with ``rate_ratio``, ``rr_low``, ``rr_high``.

    Examples
    --------
    >>> frame = pd.DataFrame({"served": [30, 50, 10, 12, 40, 9],
    ...                       "joined": [1, 1, 0, 0, 1, 0],
    ...                       "population": [1000, 2000, 1000, 1200, 1500, 900]})
    >>> fit = count_effect(frame, outcome="served", treatment="joined",
    ...                    exposure="population")
    >>> round(float(fit.table.rate_ratio["joined"]), 3)   # (120 ÷ 4500) ÷ (31 ÷ 3100)
    2.667
    """
    # statsmodels.api would also import time series, graphics and datasets (0.26 s)
    from statsmodels.discrete.discrete_model import NegativeBinomial
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.tools import add_constant

    ci = check_ci(ci)
    if family not in ("poisson", "negbin"):
        raise EstimationError(f"family must be 'poisson' or 'negbin', not {family!r}")
    covariates = list(covariates)
    check_columns(df, outcome, treatment, *covariates, cluster, exposure)
    notes = Notes()
    data = _point_inputs(
        df,
        outcome,
        treatment,
        [*covariates, exposure] if exposure else covariates,
        cluster,
        "count_effect",
        notes,
        count=True,
    )
    counts = data[outcome].astype(float)
    design = add_constant(
        pd.get_dummies(data[[treatment, *covariates]], drop_first=True, dtype=float),
        has_constant="add",
    )
    offset = None
    if exposure:
        if (data[exposure] <= 0).any():
            raise EstimationError(f"{exposure!r} must be positive to serve as exposure")
        offset = np.log(data[exposure].astype(float))
    cov = (
        {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(data[cluster])[0]}}
        if cluster
        else {"cov_type": "HC1"}
    )
    if family == "poisson":
        fit = GLM(counts, design, family=families.Poisson(), offset=offset).fit(**cov)
        params, bse, bounds, pvalues = fit.params, fit.bse, fit.conf_int(1 - ci), fit.pvalues
    else:
        model = NegativeBinomial(counts, design, offset=offset)
        fit = model.fit(disp=0, maxiter=500, **cov)
        keep = [name for name in fit.params.index if name != "alpha"]
        params, bse = fit.params[keep], fit.bse[keep]
        bounds, pvalues = fit.conf_int(1 - ci).loc[keep], fit.pvalues[keep]
    table = model_table(params, bse, bounds[0], bounds[1], pvalues, ratio="rate_ratio")
    return ModelResult(
        table,
        title=f"Rate ratio of {outcome} ({family} GLM, log link)",
        inputs={
            "n": len(data),
            "treatment": treatment,
            "family": family,
            "covariates": covariates or None,
            "cluster": cluster,
            "exposure": exposure,
            "ci": ci,
            "n_clusters": int(data[cluster].nunique()) if cluster else None,
        },
        notes=tuple(notes),
    )
