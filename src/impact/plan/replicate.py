"""One replicate: simulate a data set with the workbench's generator and estimate it with
the workbench's own estimators, cheaply (analytic standard errors, no bootstrap).

Two estimands per data set:

- ``participation``: the overall participation effect on volunteers per 1,000 residents,
  :func:`impact.participation.dataset_did` aggregated ``simple``; interval: estimate ±
  z × the influence-function standard error clustered by community (Callaway & Sant'Anna
  2021), no multiplier bootstrap.
- ``leverage``: log(matched ÷ standard leverage), adjusted for team size,
  :func:`impact.leverage.compare_leverage` (Poisson QMLE, offset log grant); interval:
  the estimator's own, estimate ± t × the CR2 community-clustered standard error with
  Satterthwaite degrees of freedom (what a report shows).

"Detected" means the interval excludes 0 (a two-sided Wald test at level alpha).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

from ..errors import ImpactError
from .design import Task, replicate_seed

ESTIMANDS = ("participation", "leverage")


def run_task(task: Task) -> list[dict[str, Any]]:
    """Simulate and estimate every replicate of ``task``; one row per replicate and
    estimand. Runs in a worker: it imports what it needs and touches no files."""
    rows = []
    for replicate in range(task.first, task.first + task.count):
        seed = replicate_seed(task.seed, task.point, replicate)
        rows += estimate_replicate(task.generator_params, seed, task.alpha)
        for row in rows[-len(ESTIMANDS) :]:
            row.update(point=task.point, replicate=replicate, seed=seed)
    return rows


def estimate_replicate(params: dict, seed: int, alpha: float) -> list[dict[str, Any]]:
    """Both estimates for one simulated data set. An estimator that cannot run on this
    data set (e.g. no matched project drawn) gives a row with its reason and no estimate."""
    from ..simulate import simulate

    data = simulate(params, seed=seed)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    rows = []
    for estimand, estimate in (("participation", _participation), ("leverage", _leverage)):
        try:
            value, se, *bounds = estimate(data, alpha)
            failure = ""
        except ImpactError as exc:
            value, se, bounds = math.nan, math.nan, []
            failure = str(exc).splitlines()[0]
        if not (math.isfinite(value) and math.isfinite(se)) and not failure:
            failure = "the estimate or its standard error is not finite"
            value, se, bounds = math.nan, math.nan, []
        low, high = bounds if bounds else (value - z * se, value + z * se)
        rows.append(
            {
                "estimand": estimand,
                "estimate": value,
                "se": se,
                "ci_low": low,
                "ci_high": high,
                "failure": failure,
            }
        )
    return rows


def _participation(data, alpha: float) -> tuple[float, float]:
    from ..participation import dataset_did

    result = dataset_did(data, outcome="volunteers_per_1000")
    simple = result.aggregate("simple", n_boot=0).loc["overall"]
    return float(simple.att), float(simple.se)


def _leverage(data, alpha: float) -> tuple[float, float, float, float]:
    from ..dataset import funded_projects
    from ..leverage import compare_leverage, project_resources

    projects = data.projects.assign(
        leveraged_total=project_resources(data).leveraged_yuan.to_numpy()
    )
    result = compare_leverage(
        funded_projects(projects),
        leveraged="leveraged_total",
        grant="grant_yuan",
        group="application_type",
        covariates=["team_size"],
        cluster="community_id",
        reference="standard",
        ci=1 - alpha,
    )
    row = result.table.loc["application_type=matched"]
    return float(row.estimate), float(row.se), float(row.ci_low), float(row.ci_high)
