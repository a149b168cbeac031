"""Bootstrap confidence intervals for ratios of sums, resampling whole clusters.

Money and person-times are skewed and clustered by community and round, so intervals come
from resampling clusters (Davison & Hinkley 1997, ch. 3.8), never from a normal formula for
independent projects. A ratio of sums depends on the data only through each cluster's two
totals, so the bootstrap works on cluster totals: replicate b draws clusters with
replacement and computes Σ numerator* / Σ denominator*. Replicates are drawn in chunks of
index arrays, so 2,000 replicates over 100,000 clusters take about a second.

BCa intervals follow Efron (1987): the bias correction z0 from the share of replicates below
the estimate, the acceleration from the leave-one-cluster-out jackknife.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .errors import EstimationError

_CHUNK_ELEMENTS = 20_000_000  # index draws held at once (160 MB of int64)


@dataclass(frozen=True)
class RatioInterval:
    estimate: float
    ci_low: float
    ci_high: float
    se: float  # standard deviation of the replicates
    n_clusters: int


def cluster_totals(
    numerator: np.ndarray, denominator: np.ndarray, cluster: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Sum numerator and denominator within clusters (each row its own cluster if None)."""
    if cluster is None:
        return numerator.astype(float), denominator.astype(float)
    _, codes = np.unique(cluster, return_inverse=True)
    return (np.bincount(codes, weights=numerator), np.bincount(codes, weights=denominator))


def ratio_interval(
    numerator: np.ndarray,
    denominator: np.ndarray,
    *,
    n_boot: int = 2000,
    ci: float = 0.95,
    method: str = "bca",
    rng: np.random.Generator,
) -> RatioInterval:
    """Interval for Σ numerator / Σ denominator from cluster totals (one entry per cluster)."""
    if method not in ("bca", "percentile"):
        raise EstimationError(f"method must be 'bca' or 'percentile', not {method!r}")
    if not 0 < ci < 1:
        raise EstimationError(f"ci must be between 0 and 1, not {ci}")
    n = len(numerator)
    denominator_total = denominator.sum()
    if n == 0 or denominator_total <= 0:
        raise EstimationError("no positive denominator: nothing to take a ratio of")
    estimate = numerator.sum() / denominator_total
    if n < 2 or n_boot < 1:
        return RatioInterval(estimate, np.nan, np.nan, np.nan, n)
    replicates = _replicates(numerator, denominator, n_boot, rng)
    replicates = replicates[np.isfinite(replicates)]
    alpha = (1 - ci) / 2
    if method == "percentile":
        low, high = np.quantile(replicates, [alpha, 1 - alpha])
    else:
        low, high = _bca(numerator, denominator, estimate, replicates, alpha)
    return RatioInterval(estimate, float(low), float(high), float(replicates.std(ddof=1)), n)


def _replicates(numerator, denominator, n_boot, rng) -> np.ndarray:
    n = len(numerator)
    out = np.empty(n_boot)
    chunk = max(1, _CHUNK_ELEMENTS // n)
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        draws = rng.integers(0, n, size=(size, n))
        out[start : start + size] = numerator[draws].sum(axis=1) / denominator[draws].sum(axis=1)
    return out


def _bca(numerator, denominator, estimate, replicates, alpha) -> tuple[float, float]:
    below = (replicates < estimate).mean() + 0.5 * (replicates == estimate).mean()
    z0 = stats.norm.ppf(np.clip(below, 1e-10, 1 - 1e-10))
    with np.errstate(divide="ignore", invalid="ignore"):
        jackknife = (numerator.sum() - numerator) / (denominator.sum() - denominator)
    jackknife = jackknife[np.isfinite(jackknife)]
    spread = jackknife.mean() - jackknife
    denom = 6 * (spread**2).sum() ** 1.5
    acceleration = (spread**3).sum() / denom if denom > 0 else 0.0
    z = stats.norm.ppf([alpha, 1 - alpha])
    adjusted = stats.norm.cdf(z0 + (z0 + z) / (1 - acceleration * (z0 + z)))
    low, high = np.quantile(replicates, adjusted)
    return low, high
