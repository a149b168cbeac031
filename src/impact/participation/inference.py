"""Inference for group-time effects and their aggregates: standard errors from unit-level
influence functions (clustered when asked), a multiplier bootstrap for simultaneous
bands, the pre-trend tests, and the two-way fixed-effects estimate shown beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..results import StatisticalTest, z_value
from .aggregation import aggregate_cells

#: R ``did`` treats a standard error at or below this as zero (and the cell as missing).
ZERO_SE = np.sqrt(np.finfo(float).eps) * 10

#: Below this many units (or clusters) per pre-treatment cell, R's joint pre-test is
#: flagged as oversized. Measured under a true null (no pre-trends; 10 periods, cohorts
#: of equal expected size, 150–200 panels each), rejection at the 5% level: 72 units in
#: 8 cohorts (44 cells) 100%; 500 units (36 cells, 14 per cell) 17%; 1,000 (28 per cell)
#: 13%; 2,000 (56 per cell) 9%; 500 units in 2 cohorts (8 cells, 62 per cell) 7%.
UNITS_PER_PRETEST_CELL = 50


@dataclass(frozen=True, repr=False)
class PretrendTest(StatisticalTest):
    """A Wald test of parallel trends before joining; ``cells`` pre-treatment ATT(g, t)
    entered it (directly or through event-time averages)."""

    cells: int = 0
    warning: str | None = None

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}\n  caution: {self.warning}" if self.warning else text

    def as_dict(self):
        return super().as_dict() | {"cells": self.cells, "warning": self.warning}


@dataclass(frozen=True, repr=False)
class TwfeComparison(StatisticalTest):
    """The two-way fixed-effects coefficient (``estimate``, ``se``) and its t test; shown
    beside the staggered estimates for comparison only."""

    estimate: float = float("nan")
    se: float = float("nan")

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.estimate:.4g} (se {self.se:.4g}); {self.distribution}"
            f"({self.df:g}) = {self.statistic:.3f}, p = {self.p:.4g}\n"
            f"  null hypothesis: {self.null}"
        )

    def keys(self):
        return ("estimate", "se", *super().keys())

    def __getitem__(self, key: str):
        if key in ("estimate", "se"):
            return getattr(self, key)
        return super().__getitem__(key)

    def as_dict(self):
        return super().as_dict() | {"estimate": self.estimate, "se": self.se}


def cluster_sums(psi: np.ndarray, cluster_codes: np.ndarray | None) -> np.ndarray:
    """Influence summed within clusters (units themselves when there are none)."""
    if cluster_codes is None:
        return psi
    sums = np.zeros((cluster_codes.max() + 1, psi.shape[1]))
    np.add.at(sums, cluster_codes, psi)
    return sums


def standard_errors(psi: np.ndarray, cluster_codes: np.ndarray | None) -> np.ndarray:
    n = psi.shape[0]
    return np.sqrt((cluster_sums(psi, cluster_codes) ** 2).sum(axis=0)) / n


def covariance(psi: np.ndarray, cluster_codes: np.ndarray | None) -> np.ndarray:
    """Variance matrix of the estimates (R's ``V / n``)."""
    sums = cluster_sums(psi, cluster_codes)
    return sums.T @ sums / psi.shape[0] ** 2


def with_inference(estimates, influence, labels, cluster_codes, ci, n_boot, seed, index_name):
    """The aggregation table: att, se, pointwise interval, p and a band from the
    multiplier bootstrap: simultaneous over the rows, and for ``overall`` the bootstrap
    interval of that one number (estimate ± z × bootstrap standard error, R ``aggte``'s).
    ``band`` says which: ``simultaneous``, ``bootstrap``, ``pointwise`` (overall with
    ``n_boot=0``: the band is the pointwise interval) or ``none`` (rows, ``n_boot=0``)."""
    estimates = np.asarray(estimates, float)
    se = standard_errors(influence, cluster_codes)
    z = z_value(ci)
    table = pd.DataFrame(
        {
            "att": estimates,
            "se": se,
            "ci_low": estimates - z * se,
            "ci_high": estimates + z * se,
            "p": 2 * stats.norm.sf(np.abs(estimates / np.where(se > 0, se, np.nan))),
        },
        index=pd.Index(labels, name=index_name),
    )
    replicates = multiplier_replicates(influence, cluster_codes, n_boot, seed)
    critical = (
        simultaneous_critical_value(influence[:, 1:], cluster_codes, ci, n_boot, seed)
        if influence.shape[1] > 1
        else z
    )
    table["band_low"] = estimates - critical * se
    table["band_high"] = estimates + critical * se
    table["band"] = "simultaneous" if n_boot >= 1 else "none"
    overall = table.index.get_loc("overall")
    if replicates is None:
        table.iloc[overall, table.columns.get_indexer(["band_low", "band_high"])] = table.iloc[
            overall
        ][["ci_low", "ci_high"]].to_numpy(float)
        table.iloc[overall, table.columns.get_loc("band")] = "pointwise"
    else:
        boot_se = bootstrap_se(replicates[:, overall])
        table.iloc[overall, table.columns.get_indexer(["band_low", "band_high"])] = (
            estimates[overall] + np.array([-z, z]) * boot_se
        )
        table.iloc[overall, table.columns.get_loc("band")] = "bootstrap"
    return table


def multiplier_replicates(influence, cluster_codes, n_boot, seed) -> np.ndarray | None:
    """θ* − θ = Σ V_i ψ_i / n for ``n_boot`` Mammen multipliers V (per cluster when
    clustered), one row per draw; ``None`` when ``n_boot`` is 0."""
    if n_boot < 1:
        return None
    rng = np.random.default_rng(seed)
    n = influence.shape[0]
    sums = cluster_sums(influence, cluster_codes)
    golden = np.sqrt(5)
    p = (golden + 1) / (2 * golden)
    draws = rng.random((n_boot, sums.shape[0])) < p
    multipliers = np.where(draws, -(golden - 1) / 2, (golden + 1) / 2)
    return multipliers @ sums / n


def bootstrap_se(replicates: np.ndarray) -> float:
    """R ``did``'s bootstrap standard error: the interquartile range of the replicates
    (type-1 quantiles) over that of the standard normal."""
    q75, q25 = np.quantile(replicates, [0.75, 0.25], method="inverted_cdf")
    return float((q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25)))


def simultaneous_critical_value(influence, cluster_codes, ci, n_boot, seed) -> float:
    """Multiplier bootstrap (Mammen weights) of the sup-t statistic over the estimates,
    as in R did: replicate θ* − θ = Σ V_i ψ_i / n, scaled by the analytic standard errors."""
    replicates = multiplier_replicates(influence, cluster_codes, n_boot, seed)
    if replicates is None:
        return float("nan")  # no bands asked for
    n = influence.shape[0]
    sums = cluster_sums(influence, cluster_codes)
    se = np.sqrt((sums**2).sum(axis=0)) / n  # as _se, on units or cluster sums
    se = np.where(se > 0, se, np.inf)
    sup = np.abs(replicates / se).max(axis=1)
    return float(np.quantile(sup, ci))


def pretrend_cells(att_gt, psi, cluster_codes) -> tuple[PretrendTest | None, str | None]:
    """R ``did::att_gt``'s Wald pre-test: every ATT(g, t) with t < g is zero, jointly.

    As R (``pre <- which(group > tt)``): the cells are those with t < g, so with
    ``anticipation`` the anticipation-window cells (g − a ≤ t < g) are tested too
    (csdid tests only t < g − a). Cells whose standard error is zero or missing are
    left out; the statistic is a′V⁻¹a over the remaining pre-treatment cells, with V
    their (cluster-robust when clustered) variance; it is not computed when V is
    singular (reciprocal condition number at or below machine epsilon). Returns the
    test, or ``None`` and why not."""
    se = standard_errors(psi, cluster_codes)
    pre = np.flatnonzero((att_gt.cohort > att_gt.time).to_numpy() & (se > ZERO_SE))
    if not len(pre):
        return None, "no pre-treatment ATT(g, t) to test parallel trends with"
    estimate = att_gt.att.to_numpy()[pre]
    variance = covariance(psi[:, pre], cluster_codes)
    if 1 / np.linalg.cond(variance, 1) <= np.finfo(float).eps:
        return None, (
            "the pre-trend test is not reported: the pre-treatment estimates' variance "
            "matrix is singular (as R did)"
        )
    statistic = float(estimate @ np.linalg.solve(variance, estimate))
    units = psi.shape[0] if cluster_codes is None else int(cluster_codes.max()) + 1
    warning = None
    if units < UNITS_PER_PRETEST_CELL * len(pre):
        warning = (
            f"{len(pre)} pre-treatment cells tested jointly with {units} "
            f"{'clusters' if cluster_codes is not None else 'units'}: with fewer than "
            f"{UNITS_PER_PRETEST_CELL} per cell this test rejects true parallel trends too "
            "often (in simulation, 72 units in 8 cohorts: every time); read the event-time "
            "test beside it"
        )
    return PretrendTest(
        name="pre-trend test: every pre-treatment ATT(g, t) (R did::att_gt)",
        null="every ATT(g, t) before joining is zero (parallel trends before joining)",
        statistic=statistic,
        df=len(pre),
        p=float(stats.chi2.sf(statistic, len(pre))),
        cells=len(pre),
        warning=warning,
    ), None


def pretrend_event_time(att_gt, psi, cohorts, cluster_codes, anticipation) -> PretrendTest | None:
    """Wald test that the event-time (dynamic) effects before joining are all zero.

    Fewer restrictions than :func:`pretrend_cells` (one per event time rather than one
    per cell), so better conditioned with many cohorts and few units; it can disagree
    with R's test at usual levels."""
    estimates, influence, labels = aggregate_cells(att_gt, psi, cohorts, "dynamic")
    pre = [i for i, label in enumerate(labels) if label != "overall" and label < -anticipation]
    if not pre:
        return None
    variance = covariance(influence[:, pre], cluster_codes)
    estimate = np.asarray(estimates)[pre]
    statistic = float(estimate @ np.linalg.pinv(variance) @ estimate)
    return PretrendTest(
        name="pre-trend test: event-time effects before joining",
        null="every event-time effect before joining is zero",
        statistic=statistic,
        df=len(pre),
        p=float(stats.chi2.sf(statistic, len(pre))),
        cells=int(sum(att_gt.event_time.to_numpy() < -anticipation)),
    )


def twfe(y, cohorts, periods, cluster_codes) -> TwfeComparison | None:
    """y_it = α_i + λ_t + β·D_it + ε on the balanced panel, by two-way demeaning, with
    standard errors clustered by unit (or the given cluster), as Stata's ``xtreg, fe
    vce(cluster)`` and fixest; the t test has G − 1 degrees of freedom."""
    treated = ((cohorts[:, None] > 0) & (periods[None, :] >= cohorts[:, None])).astype(float)

    def demean(matrix):
        return matrix - matrix.mean(axis=1, keepdims=True) - matrix.mean(axis=0) + matrix.mean()

    y_dot, d_dot = demean(y), demean(treated)
    if (d_dot**2).sum() == 0:
        return None
    beta = float((d_dot * y_dot).sum() / (d_dot**2).sum())
    residual = y_dot - beta * d_dot
    scores = (d_dot * residual).sum(axis=1)
    groups = cluster_codes if cluster_codes is not None else np.arange(len(y))
    cluster_scores = np.bincount(groups, weights=scores)
    n_clusters = len(cluster_scores)
    n_obs, n_params = y.size, len(y) + len(periods)
    adjustment = n_clusters / (n_clusters - 1) * (n_obs - 1) / (n_obs - n_params)
    se = float(np.sqrt(adjustment * (cluster_scores**2).sum()) / (d_dot**2).sum())
    statistic = beta / se if se > 0 else float("nan")
    return TwfeComparison(
        name="two-way fixed effects (for comparison)",
        null="the coefficient on taking part is zero",
        statistic=statistic,
        df=n_clusters - 1,
        p=float(2 * stats.t.sf(abs(statistic), n_clusters - 1)),
        distribution="t",
        estimate=beta,
        se=se,
    )
