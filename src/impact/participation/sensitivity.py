"""How much would parallel trends have to fail to overturn a participation effect?
:func:`sensitivity` runs Rambachan & Roth's (2023) sensitivity analysis on an event study
(from :func:`~impact.participation.did` with ``base_period="universal"``, or any event-study
coefficients with their covariance matrix) and returns a :class:`SensitivityResult`: one
robust interval per value of M̄ (relative magnitudes) or M (smoothness), the original
interval, and the breakdown value. The computations live in :mod:`.honest`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import EstimationError
from ..results import Result, Summary, axes, check_ci
from . import honest
from .aggregation import aggregate_cells
from .inference import covariance
from .results import DidResult

Restriction = Literal["relative_magnitude", "smoothness"]
RESTRICTIONS: tuple[str, ...] = (honest.RELATIVE_MAGNITUDE, honest.SMOOTHNESS)
#: What the grid values mean, for tables and plots.
GRID_NAMES = {honest.RELATIVE_MAGNITUDE: "Mbar", honest.SMOOTHNESS: "M"}
#: The breakdown value's possible states (see :class:`SensitivityResult`).
BreakdownStatus = Literal["not_significant", "not_robust", "breaks_within_grid", "robust_on_grid"]


@dataclass(frozen=True, repr=False)
class SensitivityResult(Result):
    """Robust confidence intervals for one event-study effect under bounded failures of
    parallel trends (Rambachan & Roth 2023).

    ``table`` has one row per grid value: ``m`` (M̄ or M), ``ci_low``, ``ci_high``,
    ``method`` (C-LF, conditional or FLCI). ``original`` is the usual interval, assuming
    parallel trends hold exactly (R's ``constructOriginalCS``): ``estimate``, ``se``,
    ``ci_low``, ``ci_high``.

    The breakdown value is the largest grid value up to which every robust interval
    excludes zero on the side of the original estimate. ``breakdown_status`` reads it:

    - ``"not_significant"``: the original interval already includes zero; there is no
      conclusion to overturn (``breakdown`` is NaN);
    - ``"not_robust"``: the first grid value already overturns it (``breakdown`` is 0
      when the grid starts at 0, else NaN: below the grid);
    - ``"breaks_within_grid"``: it holds up to ``breakdown`` and fails at the next value;
    - ``"robust_on_grid"``: it holds over the whole grid; ``breakdown`` is its largest
      value, a lower bound.
    """

    restriction: str = honest.RELATIVE_MAGNITUDE
    original: pd.Series = field(default_factory=pd.Series)
    breakdown: float = float("nan")
    breakdown_status: BreakdownStatus = "not_significant"

    @property
    def grid_name(self) -> str:
        return GRID_NAMES[self.restriction]

    def summary(self) -> Summary:
        """The robust intervals, the original one, the breakdown value and the notes."""
        original = self.original
        level = 1 - self.inputs["alpha"]
        explained = {
            honest.RELATIVE_MAGNITUDE: "Mbar: post-period violations of parallel trends at "
            "most Mbar times the largest pre-period violation",
            honest.SMOOTHNESS: "M: the slope of the difference in trends changes by at most "
            "M per period",
        }[self.restriction]
        parts: list = [
            f"{self.inputs['target']}; {level:.0%} intervals; {explained}",
            f"original interval (parallel trends exactly): {original['estimate']:.4g} "
            f"[{original['ci_low']:.4g}, {original['ci_high']:.4g}]",
            self.table,
            f"breakdown value: {self._breakdown_text()}",
        ]
        parts += [f"note: {n}" for n in self.notes]
        return Summary(self.title, tuple(parts))

    def _breakdown_text(self) -> str:
        name, value, grid = self.grid_name, self.breakdown, self.table["m"]
        status = self.breakdown_status
        if status == "not_significant":
            return "none: the original interval already includes zero"
        if status == "not_robust":
            return f"the conclusion fails at the smallest {name} ({grid.iloc[0]:g})"
        if status == "robust_on_grid":
            return f"at least {name} = {value:g} (holds over the whole grid)"
        following = grid[grid > value].iloc[0]
        return f"{name} = {value:g} (the conclusion fails at the next value, {following:g})"

    def __repr__(self) -> str:
        return str(self.summary())

    def plot(self, ax=None):
        """R's ``createSensitivityPlot``: the original interval (left, red) beside the
        robust interval at each grid value, with the line of no effect."""
        ax = axes(ax)
        grid = self.table["m"].to_numpy(float)
        gap = float(np.min(np.diff(np.sort(grid)))) if len(grid) > 1 else 1.0
        x_original = grid.min() - gap
        width = gap / 4
        ax.errorbar(
            [x_original],
            [(self.original["ci_low"] + self.original["ci_high"]) / 2],
            yerr=[[(self.original["ci_high"] - self.original["ci_low"]) / 2]],
            fmt="none",
            ecolor="red",
            capsize=4,
            label="Original",
        )
        centre = (self.table["ci_low"] + self.table["ci_high"]) / 2
        half = (self.table["ci_high"] - self.table["ci_low"]) / 2
        ax.errorbar(
            grid,
            centre,
            yerr=half,
            fmt="none",
            ecolor="#01a2d9",
            capsize=4,
            label=str(self.table["method"].iloc[0]),
        )
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xlim(x_original - width * 2, grid.max() + width * 2)
        ax.set_xlabel(r"$\bar{M}$" if self.restriction == honest.RELATIVE_MAGNITUDE else "M")
        ax.set_ylabel(f"effect ({self.inputs['target']})")
        # above the plot: below it, a relabelled axis title of two lines ran into it
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        return ax


def sensitivity(
    result: DidResult | None = None,
    *,
    betahat: Sequence[float] | None = None,
    sigma: np.ndarray | None = None,
    num_pre: int | None = None,
    num_post: int | None = None,
    restriction: Restriction = "relative_magnitude",
    grid: Sequence[float] | None = None,
    l_vec: Sequence[float] | None = None,
    alpha: float = 0.05,
    method: str | None = None,
    grid_points: int = 1000,
    theta_bounds: tuple[float, float] | None = None,
    min_e: int | None = None,
    max_e: int | None = None,
) -> SensitivityResult:
    """Robust confidence intervals for an event-study effect when parallel trends may
    fail by a bounded amount, and the breakdown value (Rambachan & Roth 2023, R
    ``HonestDiD``'s ``createSensitivityResults_relativeMagnitudes`` and
    ``createSensitivityResults``).

    Parameters
    ----------
    result
        A :func:`~impact.participation.did` result with ``base_period="universal"``; its
        dynamic aggregation (event study) is used, the reference period −1 left out, the
        covariance from its influence functions (clustered as the result was). Event
        times must be consecutive; ``min_e``/``max_e`` choose the window (R ``aggte``'s).
    betahat, sigma, num_pre, num_post
        Or the event-study coefficients (pre periods first, the reference period left
        out) and their covariance matrix, as R's functions take them.
    restriction
        ``"relative_magnitude"``: post-period violations of parallel trends are at most
        M̄ times the largest pre-period violation (between consecutive periods).
        ``"smoothness"``: the slope of the difference in trends changes by at most M per
        period (M = 0: a linear pre-trend continues).
    grid
        The values of M̄ or M. Default, as R: 10 values of M̄ from 0 to 2; 10 values of M
        from 0 to the largest upper confidence bound of the pre-period second
        differences (R's ``DeltaSD_upperBound_Mpre``).
    l_vec
        Weights on the post-period effects defining the target θ = l′τ: default the
        first post period; e.g. ``[1/n] * n`` for the average of the post periods.
    alpha
        1 − confidence level (R's ``alpha``): 0.05 for 95% intervals.
    method
        Default R's: ``"C-LF"`` (conditional / least-favourable hybrid) for relative
        magnitudes, ``"FLCI"`` (optimal fixed-length interval) for smoothness. Also
        ``"conditional"`` (both) and ``"C-LF"`` (smoothness).
    grid_points
        Points of the grid of θ on which C-LF and conditional intervals are found (R's
        ``gridPoints``; R's ``honest_did`` uses 100); intervals are grid points.
    theta_bounds
        Ends of that grid (R's ``grid.lb``, ``grid.ub``). Default for relative
        magnitudes: θ̂ ± (M̄ · sum over t of t·abs(l_t) · largest pre-period change + 20
        standard errors), the grid of R's published README output (also Stata's and
        moderndid's); R's package source defaults to ±20 standard errors around 0, which cuts long
        intervals off (a note says so). For smoothness: the identified set at β = 0
        widened by 20 standard errors, as R.
    min_e, max_e
        With a ``did`` result: the first and last event times of the event study used
        (R ``aggte``'s ``min_e``/``max_e``); the whole window by default. The computation
        grows quickly with the post periods: keep to about six.

    Returns
    -------
    SensitivityResult
        ``table`` (m, ci_low, ci_high, method), ``original``, ``breakdown``,
        ``breakdown_status``, ``summary()``, ``plot()``.

    Notes
    -----
    Assumptions: the event-study coefficients are approximately normal with the given
    covariance (many clusters). The restriction on the violations of parallel trends is
    the researcher's: the table shows how the answer changes with it.

    Matches R ``HonestDiD`` 0.2.8 to about 1e-10 (R's own simulated numbers are
    reproduced with R's random-number generator); see ``tests/reference/honestdid``.
    C-LF and conditional intervals take time that grows steeply with the number of post
    periods (about 0.04 s per grid value with 5, several seconds with 9, refused beyond
    about 9): choose the event-time window with ``min_e``/``max_e``.

    Examples
    --------
    >>> es = did(panel, outcome="y", unit="id", time="year", cohort="g",
    ...          base_period="universal")  # doctest: +SKIP
    >>> sensitivity(es, grid=[0.5, 1, 1.5, 2]).breakdown  # doctest: +SKIP
    """
    check_ci(1 - alpha, "1 - alpha")
    if restriction not in RESTRICTIONS:
        raise EstimationError(f"restriction must be one of {RESTRICTIONS}, not {restriction!r}")
    method = method or honest.METHODS[restriction][0]
    if method not in honest.METHODS[restriction]:
        raise EstimationError(
            f"method for {restriction} must be one of {honest.METHODS[restriction]}, not {method!r}"
        )
    if isinstance(grid_points, bool) or int(grid_points) != grid_points or grid_points < 10:
        raise EstimationError(f"grid_points must be a whole number ≥ 10, not {grid_points!r}")
    notes: list[str] = []
    if result is not None:
        if betahat is not None or sigma is not None:
            raise EstimationError("give either a did result or betahat and sigma, not both")
        betahat, sigma, num_pre, num_post, event_times = _event_study(result, min_e, max_e)
        source = {"event_times": f"{event_times[0]:g}..{event_times[-1]:g} (−1 left out)"}
    else:
        if betahat is None or sigma is None or num_pre is None or num_post is None:
            raise EstimationError("give a did result, or betahat, sigma, num_pre and num_post")
        source = {}
    betahat, sigma = _checked(betahat, sigma, num_pre, num_post)
    l_vec = _target(l_vec, num_post)
    grid = _grid(grid, restriction, betahat, sigma, num_pre)
    if theta_bounds is not None:
        theta_bounds = tuple(float(x) for x in theta_bounds)
        if len(theta_bounds) != 2 or not theta_bounds[0] < theta_bounds[1]:
            raise EstimationError(f"theta_bounds must be (low, high), not {theta_bounds!r}")
    compute = _interval_function(
        restriction, method, betahat, sigma, num_pre, num_post, l_vec, theta_bounds
    )
    rows, open_ends = [], []
    for m in grid:
        low, high, open_end = compute(m, alpha, grid_points)
        rows.append({"m": m, "ci_low": low, "ci_high": high, "method": method})
        if open_end:
            open_ends.append(m)
    table = pd.DataFrame(rows)
    if open_ends:
        notes.append(
            f"the interval reaches the edge of the grid of θ at {GRID_NAMES[restriction]} = "
            f"{', '.join(f'{m:g}' for m in open_ends)}: it may be longer than shown"
        )
    if table["ci_low"].isna().any():
        notes.append("every θ was rejected at some grid values: the interval is empty there")
    original = _original(betahat, sigma, num_pre, l_vec, alpha)
    breakdown, status = _breakdown(table, original)
    target = _target_name(l_vec)
    return SensitivityResult(
        table=table,
        title="Sensitivity to violations of parallel trends (Rambachan & Roth 2023)",
        inputs={
            "restriction": restriction,
            "method": method,
            "target": target,
            "l_vec": tuple(float(x) for x in l_vec),
            "alpha": alpha,
            "num_pre": num_pre,
            "num_post": num_post,
            "grid_points": grid_points if method != "FLCI" else None,
            "theta_bounds": theta_bounds,
            **source,
        },
        notes=tuple(notes),
        restriction=restriction,
        original=original,
        breakdown=breakdown,
        breakdown_status=status,
    )


def _event_study(result: DidResult, min_e, max_e):
    if not isinstance(result, DidResult):
        raise EstimationError(
            f"sensitivity takes a participation.did result, not {type(result).__name__}"
        )
    if result.inputs.get("base_period") != "universal":
        raise EstimationError(
            "the event study needs a universal base period: run did(..., "
            "base_period='universal') (R's honest_did refuses a varying one too)"
        )
    window = {
        "min_e": -np.inf if min_e is None else min_e,
        "max_e": np.inf if max_e is None else max_e,
    }
    estimates, influence, labels = aggregate_cells(
        result.att_gt, result._influence, result._cohort_of_unit, "dynamic", **window
    )
    event_times = np.array(labels[1:], float)
    keep = event_times != -1
    if np.any(np.diff(event_times) != 1):
        raise EstimationError(
            f"event times must be consecutive, not {event_times.tolist()}; choose a window "
            "with min_e and max_e"
        )
    if not (event_times == -1).any():
        raise EstimationError("the event study has no reference period −1")
    variance = covariance(influence[:, 1:], result._cluster_codes)
    betahat = np.asarray(estimates[1:], float)[keep]
    sigma = variance[np.ix_(keep, keep)]
    num_pre = int((event_times < -1).sum())
    return betahat, sigma, num_pre, len(betahat) - num_pre, event_times


def _checked(betahat, sigma, num_pre, num_post):
    betahat = np.asarray(betahat, float).ravel()
    sigma = np.asarray(sigma, float)
    for name, value in (("num_pre", num_pre), ("num_post", num_post)):
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise EstimationError(f"{name} must be a whole number ≥ 1, not {value!r}")
    if len(betahat) != num_pre + num_post:
        raise EstimationError(
            f"betahat has {len(betahat)} coefficients, but num_pre + num_post = "
            f"{num_pre + num_post} (leave the reference period out)"
        )
    if sigma.shape != (len(betahat), len(betahat)):
        raise EstimationError(f"sigma must be {len(betahat)} × {len(betahat)}, not {sigma.shape}")
    if not (np.isfinite(betahat).all() and np.isfinite(sigma).all()):
        raise EstimationError("betahat and sigma must be finite numbers")
    if np.abs(sigma - sigma.T).max() > 1e-10 * max(np.abs(sigma).max(), 1e-300):
        raise EstimationError("sigma must be symmetric")
    if np.linalg.eigvalsh(sigma).min() < -1e-10 * np.abs(sigma).max():
        raise EstimationError("sigma must be positive semi-definite")
    return betahat, sigma


def _target(l_vec, num_post) -> np.ndarray:
    if l_vec is None:
        return np.eye(num_post)[0]
    l_vec = np.asarray(l_vec, float).ravel()
    if len(l_vec) != num_post or not np.isfinite(l_vec).all() or not l_vec.any():
        raise EstimationError(
            f"l_vec must be {num_post} finite weights, not all zero, one per post period"
        )
    return l_vec


def _target_name(l_vec) -> str:
    n = len(l_vec)
    if np.count_nonzero(l_vec) == 1 and l_vec.max() == 1:
        k = int(np.flatnonzero(l_vec)[0])
        return f"effect {k} period(s) after joining" if k else "effect in the period of joining"
    if np.allclose(l_vec, 1 / n):
        return f"average effect over the {n} post periods"
    return "weighted post-period effect, l = (" + ", ".join(f"{x:g}" for x in l_vec) + ")"


def _grid(grid, restriction, betahat, sigma, num_pre) -> list[float]:
    if grid is None:
        if restriction == honest.RELATIVE_MAGNITUDE:
            return list(np.linspace(0, 2, 10))
        top = (
            float(np.sqrt(sigma[0, 0]))
            if num_pre == 1
            else honest.smoothness_upper_bound(betahat, sigma, num_pre)
        )
        return list(np.linspace(0, max(top, 0), 10))
    values = np.asarray(grid, float).ravel()
    if not len(values) or not np.isfinite(values).all() or (values < 0).any():
        raise EstimationError(f"grid must be non-negative numbers, not {list(grid)!r}")
    if np.any(np.diff(values) <= 0):
        raise EstimationError("grid must be increasing")
    return [float(v) for v in values]


def _interval_function(restriction, method, betahat, sigma, num_pre, num_post, l_vec, bounds):
    """m, alpha, grid points → (low, high, whether the interval reaches the θ grid's end)."""
    if restriction == honest.SMOOTHNESS and method == "FLCI":
        flci: dict[float, honest.FixedLengthInterval] = {}

        def fixed_length(m, alpha, points):
            if alpha not in flci:
                flci[alpha] = honest.FixedLengthInterval(sigma, num_pre, num_post, l_vec, alpha)
            return (*flci[alpha].interval(betahat, m), False)

        return fixed_length
    interval = (
        honest.relative_magnitude_interval
        if restriction == honest.RELATIVE_MAGNITUDE
        else honest.smoothness_conditional_interval
    )

    def compute(m, alpha, points):
        return interval(
            betahat, sigma, num_pre, num_post, l_vec, m,
            alpha=alpha, method=method, grid_points=points, bounds=bounds,
        )  # fmt: skip

    return compute


def _original(betahat, sigma, num_pre, l_vec, alpha) -> pd.Series:
    """R's ``constructOriginalCS``."""
    estimate = float(l_vec @ betahat[num_pre:])
    se = float(np.sqrt(l_vec @ sigma[num_pre:, num_pre:] @ l_vec))
    z = float(stats.norm.ppf(1 - alpha / 2))
    return pd.Series(
        {"estimate": estimate, "se": se, "ci_low": estimate - z * se, "ci_high": estimate + z * se}
    )


def _breakdown(table: pd.DataFrame, original: pd.Series) -> tuple[float, str]:
    if original["ci_low"] <= 0 <= original["ci_high"]:
        return float("nan"), "not_significant"
    positive = original["estimate"] > 0
    holds = (table["ci_low"] > 0) if positive else (table["ci_high"] < 0)
    holds = holds.fillna(False).to_numpy()
    if not holds[0]:
        first = float(table["m"].iloc[0])
        return (0.0 if first == 0 else float("nan")), "not_robust"
    last = len(holds) if holds.all() else int(np.argmin(holds))
    status = "robust_on_grid" if holds.all() else "breaks_within_grid"
    return float(table["m"].iloc[last - 1]), status
