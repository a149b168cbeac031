"""Group-time cells: ATT(g, t) for every cohort g and period t, each a 2×2 comparison of
the cohort with its comparison units between period t and a base period, and each unit's
influence on it.

With covariates the 2×2 comparison is one of Sant'Anna & Zhao's (2020, *J. Econometrics*
219(1)) panel estimators, written after R ``DRDID`` (``reg_did_panel``,
``std_ipw_did_panel``, ``drdid_panel``) as R ``did::att_gt`` calls them:

- ``reg``: outcome regression (Heckman, Ichimura & Todd 1997): the comparison units'
  outcome change regressed on the covariates predicts the treated units' change;
- ``ipw``: inverse probability weighting (Abadie 2005) with normalised weights;
- ``dr``: doubly robust, consistent if either the propensity or the outcome model is
  right.

Covariates are taken in the earlier of the two periods (R ``did``'s rule for balanced
panels), so a time-varying covariate is not affected by the treatment it adjusts for.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy.special import expit

from ..errors import EstimationError

CellMethod = Literal["dr", "ipw", "reg"]
CELL_METHODS: tuple[str, ...] = ("dr", "ipw", "reg")

#: Comparison units whose propensity score reaches this are left out (R ``DRDID``).
TRIM_LEVEL = 0.995


def group_time_cells(
    y: np.ndarray,
    cohorts: np.ndarray,
    periods: np.ndarray,
    design: list[np.ndarray] | None,
    *,
    control: str,
    anticipation: int,
    method: str,
    estimated: list[float] | None = None,
    base_period: str = "varying",
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """Every ATT(g, t) with its influence function (units × cells).

    ``y`` is units × periods; ``design`` is, per period, the units' covariate design with
    an intercept (``None`` without covariates). The base period is R ``did``'s: with
    ``base_period="varying"``, g − 1 − anticipation for t ≥ g − anticipation and t − 1
    before; with ``"universal"``, the last period before g − anticipation for every t,
    and the cell of that period itself is 0 with no influence (R's normalisation).
    ``estimated`` are the cohorts to estimate effects for (default: every cohort)."""
    n = len(y)
    never = cohorts == 0
    period_index = {p: i for i, p in enumerate(periods)}
    rows, influence, notes = [], [], []
    if estimated is None:
        estimated = sorted(c for c in np.unique(cohorts) if c > 0)
    for g in estimated:
        before = periods[periods + anticipation < g]
        if g - anticipation - 1 < periods[0] or not len(before):
            notes.append(f"cohort {g:g} has no period before joining and is left out")
            continue
        members = cohorts == g
        for t in periods:
            post = t >= g - anticipation
            if base_period == "universal":
                base = before.max()
            else:
                base = g - 1 - anticipation if post else t - 1
            if base not in period_index:
                continue
            if t == base:
                if base_period == "universal":  # R: ATT(g, g − 1) ≡ 0, no influence
                    rows.append(_cell_row(g, t, 0.0, members, members & False))
                    influence.append(np.zeros(n))
                continue
            if control == "never":
                comparison = never
            else:
                comparison = never | (cohorts > max(t, base) + anticipation)
            comparison = comparison & ~members
            if not comparison.any():
                raise EstimationError(f"cohort {g:g} in period {t} has no comparison units")
            in_cell = members | comparison
            change = y[in_cell, period_index[t]] - y[in_cell, period_index[base]]
            x = None
            if design is not None:
                x = design[period_index[min(t, base)]][in_cell]
            try:
                att, psi_cell = two_by_two(change, members[in_cell], x, method)
            except EstimationError as exc:
                raise EstimationError(f"cohort {g:g}, period {t}: {exc}") from None
            psi = np.zeros(n)
            psi[in_cell] = psi_cell * n / in_cell.sum()  # R did: (n / n1) × cell influence
            rows.append(_cell_row(g, t, att, members, comparison))
            influence.append(psi)
    if not rows:
        raise EstimationError("no cohort has a period before joining to compare with")
    return pd.DataFrame(rows), np.column_stack(influence), notes


def _cell_row(g, t, att, members, comparison) -> dict:
    return {
        "cohort": g,
        "time": t,
        "att": att,
        "post": bool(t >= g),
        "event_time": t - g,
        "n_treated": int(members.sum()),
        "n_comparison": int(comparison.sum()),
    }


def two_by_two(
    change: np.ndarray, treated: np.ndarray, x: np.ndarray | None, method: str
) -> tuple[float, np.ndarray]:
    """ATT of one 2×2 comparison and each unit's influence on it, on R's scale
    (estimate − truth ≈ mean of the influence over the cell's units).

    ``change`` is each unit's outcome change, ``treated`` marks the cohort (the rest are
    comparison units), ``x`` the covariate design with an intercept, or ``None``: then
    all three methods are the difference of mean changes."""
    d = treated.astype(float)
    if x is None:
        share = d.mean()
        mean_treated, mean_comparison = change[treated].mean(), change[~treated].mean()
        influence = d * (change - mean_treated) / share - (1 - d) * (change - mean_comparison) / (
            1 - share
        )
        return float(mean_treated - mean_comparison), influence
    n = len(d)
    if method in ("reg", "dr"):
        fitted, ols_rep = _outcome_regression(change, d, x, n)
    if method in ("ipw", "dr"):
        score, ps_rep = _propensity(d, x, n)
        kept = np.where(d == 1, 1.0, score < TRIM_LEVEL)
        w_treated = kept * d
        w_comparison = kept * score * (1 - d) / (1 - score)
    if method == "reg":
        eta_treated = (d * change).mean() / d.mean()
        eta_comparison = (d * fitted).mean() / d.mean()
        inf_treated = d * (change - eta_treated) / d.mean()
        m1 = (d[:, None] * x).mean(axis=0)
        inf_comparison = (d * (fitted - eta_comparison) + ols_rep @ m1) / d.mean()
        return float(eta_treated - eta_comparison), inf_treated - inf_comparison
    residual = change if method == "ipw" else change - fitted
    eta_treated = (w_treated * residual).mean() / w_treated.mean()
    eta_comparison = (w_comparison * residual).mean() / w_comparison.mean()
    inf_treated = w_treated * (residual - eta_treated)
    inf_comparison = w_comparison * (residual - eta_comparison)
    # estimation of the propensity score moves the comparison mean
    m2 = ((w_comparison * (residual - eta_comparison))[:, None] * x).mean(axis=0)
    inf_comparison = inf_comparison + ps_rep @ m2
    if method == "dr":  # estimation of the outcome regression moves both means
        inf_treated = inf_treated - ols_rep @ (w_treated[:, None] * x).mean(axis=0)
        inf_comparison = inf_comparison - ols_rep @ (w_comparison[:, None] * x).mean(axis=0)
    influence = inf_treated / w_treated.mean() - inf_comparison / w_comparison.mean()
    return float(eta_treated - eta_comparison), influence


def _outcome_regression(change, d, x, n):
    """OLS of the change on the covariates among comparison units: fitted values for all,
    and each unit's influence on the coefficients (asymptotic linear representation)."""
    comparison = d == 0
    xc = x[comparison]
    gram = xc.T @ xc / n
    if np.linalg.cond(gram, 1) * np.finfo(float).eps >= 1:
        raise EstimationError(
            "the covariates are collinear among the comparison units; remove or "
            "combine some covariates"
        )
    coefficients = np.linalg.solve(xc.T @ xc, xc.T @ change[comparison])
    fitted = x @ coefficients
    scores = ((1 - d) * (change - fitted))[:, None] * x
    return fitted, scores @ np.linalg.inv(gram)


def _propensity(d, x, n, max_iter: int = 100):
    """Logit of joining on the covariates by Newton–Raphson (the exact maximum likelihood
    R's ``fastglm`` approximates); fitted scores capped at 1 − 1e-6 as in R ``DRDID``, and
    each unit's influence on the coefficients."""
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise EstimationError("the covariates are collinear; remove or combine some covariates")
    no_overlap = EstimationError(
        "the propensity model did not converge: a covariate separates the cohort from "
        "its comparison units (no overlap); use fewer covariates or est_method='reg'"
    )
    beta = np.zeros(x.shape[1])
    for _ in range(max_iter):
        p = expit(x @ beta)
        hessian = x.T @ (x * (p * (1 - p))[:, None])
        try:
            step = np.linalg.solve(hessian, x.T @ (d - p))
        except np.linalg.LinAlgError:
            raise no_overlap from None
        beta = beta + step
        if np.abs(step).max() < 1e-10 * (1 + np.abs(beta).max()):
            break
    else:
        raise no_overlap
    score = np.minimum(expit(x @ beta), 1 - 1e-6)
    weight = score * (1 - score)
    information = np.linalg.inv(x.T @ (x * weight[:, None])) * n
    return score, ((d - score)[:, None] * x) @ information
