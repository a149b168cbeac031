"""Estimator speed against the established implementation, on the same data, in one run.

- Cox regression on 200,000 rows: impact.sustainability.cox (vectorised Newton) against
  lifelines' CoxPHFitter;
- cluster-robust Cox on the same rows in 2,000 clusters: impact's sandwich from
  vectorised score residuals against lifelines' ``cluster_col``; the ratio of impact's
  clustered to unclustered time is printed too (target: under 2);
- staggered DiD on 20,000 units × 10 periods: impact.participation.did against csdid (the
  Python port of R's did), analytic standard errors in both;
- the bootstrap interval of a leverage ratio on 100,000 projects with 2,000 replicates:
  impact.leverage.leverage_ratio against scipy.stats.bootstrap, percentile method in both
  (scipy's BCa jackknife is O(n²) and does not finish at this size); impact's BCa and
  studentised (default) intervals beside;
- the Rambachan-Roth sensitivity analysis of an event study with 5 pre and 5 post
  periods: impact.participation.sensitivity against moderndid's ``didhonest`` (a Python
  port of R HonestDiD, solving R's linear programmes one by one), one grid value each
  (moderndid takes minutes per value), relative magnitudes (C-LF) and smoothness (FLCI);
  then impact's time for R's default grid of 10 values (target: under 2 s each).
  Skipped, saying so, when moderndid is not installed (pip install
  'moderndid[didhonest]'); it is no dependency of impact.

Prints seconds for each and the ratio (reference ÷ impact: above 1 means impact is faster),
and checks that both give the same numbers.

    python bench/estimators.py [--scale 1.0]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
import warnings

import numpy as np
import pandas as pd


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def bench_cox(rows: int) -> tuple[float, float, float]:
    from lifelines import CoxPHFitter

    from impact.sustainability import cox

    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 3))
    time_ = rng.exponential(1 / (0.1 * np.exp(x @ [0.5, -0.3, 0.1])))
    censor = rng.uniform(0, 20, rows)
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(
        t=np.minimum(time_, censor), e=(time_ <= censor).astype(int)
    )
    ours, ours_s = timed(
        lambda: cox(frame, duration="t", event="e", covariates=["a", "b", "c"]).table.estimate
    )
    theirs, theirs_s = timed(lambda: CoxPHFitter().fit(frame, "t", "e").params_)
    return ours_s, theirs_s, float(np.abs(ours.to_numpy() - theirs.to_numpy()).max())


def bench_cox_cluster(rows: int) -> tuple[float, float, float, float]:
    """Returns impact s, lifelines s, the largest relative difference of the robust standard
    errors, and impact's clustered ÷ unclustered seconds."""
    from lifelines import CoxPHFitter

    from impact.sustainability import cox

    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 3))
    cluster = rng.integers(0, 2000, rows)
    frailty = rng.lognormal(0, 0.3, 2000)[cluster]
    time_ = rng.exponential(1 / (0.1 * frailty * np.exp(x @ [0.5, -0.3, 0.1])))
    censor = rng.uniform(0, 20, rows)
    frame = pd.DataFrame(x, columns=["a", "b", "c"]).assign(
        t=np.minimum(time_, censor), e=(time_ <= censor).astype(int), k=cluster
    )
    options = dict(duration="t", event="e", covariates=["a", "b", "c"])
    _, plain_s = timed(lambda: cox(frame, **options))
    ours, ours_s = timed(lambda: cox(frame, cluster="k", **options).table.se)
    theirs, theirs_s = timed(
        lambda: CoxPHFitter().fit(frame, "t", "e", cluster_col="k").standard_errors_
    )
    difference = float(np.abs(ours.to_numpy() / theirs[["a", "b", "c"]].to_numpy() - 1).max())
    return ours_s, theirs_s, difference, ours_s / plain_s


def bench_did(units: int, periods: int) -> tuple[float, float, float]:
    from csdid.att_gt import ATTgt

    from impact.participation import did

    rng = np.random.default_rng(1)
    years = np.arange(2010, 2010 + periods)
    g = rng.choice([2013, 2015, 2017, 0], units)
    y = (
        rng.normal(0, 2, units)[:, None]
        + 0.3 * (years - 2010)
        + np.where((g[:, None] > 0) & (years >= g[:, None]), 2.0, 0.0)
        + rng.normal(0, 1, (units, periods))
    )
    panel = pd.DataFrame(
        {
            "unit": np.repeat(np.arange(units), periods),
            "time": np.tile(years, units),
            "y": y.ravel(),
            "g": np.repeat(g, periods),
        }
    )

    def ours():
        result = did(panel, outcome="y", unit="unit", time="time", cohort="g")
        return result.aggregate("simple", n_boot=0).loc["overall", "att"]

    def theirs():
        with contextlib.redirect_stdout(io.StringIO()):
            fitted = ATTgt(
                yname="y",
                gname="g",
                idname="unit",
                tname="time",
                data=panel,
                control_group=["nevertreated"],
            ).fit(est_method="reg", bstrap=False)
            fitted.aggte(typec="simple", bstrap=False)
        return fitted.atte["overall_att"]

    ours_value, ours_s = timed(ours)
    theirs_value, theirs_s = timed(theirs)
    return ours_s, theirs_s, abs(ours_value - theirs_value)


def bench_bootstrap(projects: int, replicates: int) -> tuple[float, ...]:
    """Percentile intervals from both (scipy's BCa runs a jackknife of n statistics over
    n − 1 points each, O(n²), which does not finish at this size); impact's BCa timed
    beside them. Returns impact s, scipy s, relative difference of the lower bounds, and
    impact's BCa seconds."""
    from scipy import stats

    from impact.leverage import leverage_ratio

    rng = np.random.default_rng(2)
    grant = rng.integers(4, 21, projects) * 500.0
    leveraged = grant * rng.lognormal(0, 0.8, projects)
    frame = pd.DataFrame({"g": grant, "l": leveraged})

    def ours(method):
        return leverage_ratio(
            frame, leveraged="l", grant="g", n_boot=replicates, method=method, seed=0
        ).table.iloc[0]

    percentile, ours_s = timed(lambda: ours("percentile"))
    _, bca_s = timed(lambda: ours("bca"))
    _, studentized_s = timed(lambda: ours("studentized"))

    def ratio(lev, gr, axis=-1):
        return lev.sum(axis=axis) / gr.sum(axis=axis)

    theirs, theirs_s = timed(
        lambda: (
            stats.bootstrap(
                (leveraged, grant),
                ratio,
                paired=True,
                vectorized=True,
                n_resamples=replicates,
                method="percentile",
                batch=50,
                random_state=np.random.default_rng(3),
            ).confidence_interval
        )
    )
    difference = abs(percentile.ci_low - theirs.low) / percentile.leverage
    return ours_s, theirs_s, difference, bca_s, studentized_s


def event_study_5_5() -> tuple[np.ndarray, np.ndarray]:
    """Event-study coefficients with 5 pre and 5 post periods and an AR(1)-like
    covariance, small pre-trends and effects growing after joining."""
    betahat = np.array([0.01, -0.005, 0.004, 0.002, -0.003, 0.05, 0.06, 0.07, 0.07, 0.08])
    lags = np.abs(np.subtract.outer(np.arange(10), np.arange(10)))
    return betahat, 1e-4 * 0.5**lags


def bench_sensitivity(restriction: str) -> tuple[float, ...]:
    """Returns impact s and moderndid s for one grid value (NaN when moderndid is not
    installed), the largest difference of the interval ends, and impact s for 10 values."""
    from impact.participation import sensitivity

    betahat, sigma = event_study_5_5()
    common = dict(betahat=betahat, sigma=sigma, num_pre=5, num_post=5, restriction=restriction)
    one = [1.0] if restriction == "relative_magnitude" else [0.01]
    ours, ours_s = timed(lambda: sensitivity(**common, grid=one).table)
    _, ten_s = timed(lambda: sensitivity(**common).table)
    try:
        from moderndid import didhonest
    except ImportError:
        return ours_s, float("nan"), float("nan"), ten_s
    kwargs = dict(betahat=betahat, sigma=sigma, num_pre_periods=5, num_post_periods=5)
    if restriction == "relative_magnitude":
        run = lambda: didhonest.create_sensitivity_results_rm(**kwargs, m_bar_vec=one)  # noqa: E731
    else:
        run = lambda: didhonest.create_sensitivity_results_sm(**kwargs, m_vec=one)  # noqa: E731
    theirs, theirs_s = timed(run)
    ends = np.array([theirs["lb"].to_list(), theirs["ub"].to_list()]).T
    difference = float(np.abs(ours[["ci_low", "ci_high"]].to_numpy() - ends).max())
    return ours_s, theirs_s, difference, ten_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="shrink the data to try it")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    s = args.scale
    print(f"{'task':52} {'impact s':>9} {'reference s':>12} {'ratio':>7} {'difference':>11}")
    for task, run in (
        (f"Cox, {int(200_000 * s):,} rows (lifelines)", lambda: bench_cox(int(200_000 * s))),
        (
            f"cluster-robust Cox, {int(200_000 * s):,} rows (lifelines)",
            lambda: bench_cox_cluster(int(200_000 * s)),
        ),
        (
            f"staggered DiD, {int(20_000 * s):,} units x 10 periods (csdid)",
            lambda: bench_did(int(20_000 * s), 10),
        ),
        (
            f"percentile leverage CI, {int(100_000 * s):,} projects x 2,000 (scipy)",
            lambda: bench_bootstrap(int(100_000 * s), 2000),
        ),
        (
            "sensitivity, relative magnitudes, 1 Mbar (moderndid)",
            lambda: bench_sensitivity("relative_magnitude"),
        ),
        ("sensitivity, smoothness FLCI, 1 M (moderndid)", lambda: bench_sensitivity("smoothness")),
    ):
        ours_s, theirs_s, difference, *extra = run()
        print(
            f"{task:52} {ours_s:9.2f} {theirs_s:12.2f} {theirs_s / ours_s:7.1f} {difference:11.2g}"
        )
        if extra and task.startswith("sensitivity"):
            print(f"{'  impact, R default grid of 10 values (target < 2 s)':52} {extra[0]:9.2f}")
        elif extra and task.startswith("cluster-robust"):
            print(f"{'  impact clustered / unclustered time':52} {extra[0]:9.2f}")
        elif extra:  # impact's BCa and studentised (default), no reference at this size
            print(f"{'  impact BCa, same data (scipy BCa is O(n^2))':52} {extra[0]:9.2f}")
            print(f"{'  impact studentized (the default), same data':52} {extra[1]:9.2f}")


if __name__ == "__main__":
    main()
