"""Discrete-time (per-round) hazard of a line ending: complementary log-log on
project-rounds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import EstimationError
from ..inputs import (
    EventCoding,
    Notes,
    clusters,
    drop_missing,
    event_indicator,
    numbers,
    require_columns,
)
from ..results import ModelResult, check_ci, fit_table


def round_hazard(
    df: pd.DataFrame,
    *,
    event: str,
    covariates: Sequence[str],
    cluster: str | None = None,
    ci: float = 0.95,
    event_coding: EventCoding = "0/1",
) -> ModelResult:
    """Discrete-time hazard of a line ending after a round: a binomial GLM with
    complementary log-log link on project-rounds, with round effects absorbed by
    ``phase`` dummies when a ``phase`` column is present.

    Under the grouped-time proportional-hazards model,
    P(end after a round | x) = 1 − exp(−h0 · exp(x'β)), the cloglog coefficients are the
    log hazard ratios exactly (Prentice & Gloeckler 1978), and covariates may change from
    round to round. Rows with a missing ``event`` (censored rounds) or covariate are left
    out and counted in ``notes``.

    Parameters
    ----------
    df
        One row per project-round.
    event
        Column: 1 (True) if the line ended after the round, 0 if it went on, missing if
        not yet known; R's 1/2 coding only with ``event_coding="1/2"``.
    covariates
        Numeric or boolean columns.
    cluster
        Column of clusters (the line) for cluster-robust errors; one cluster is refused,
        fewer than 10 noted.
    ci
        Confidence level, strictly between 0 and 1.
    event_coding
        ``"0/1"`` (default) or ``"1/2"``.

    Returns
    -------
    ModelResult
        ``table`` per term with hazard_ratio, hr_low, hr_high.

    Examples
    --------
    >>> import pandas as pd
    >>> rounds = pd.DataFrame({"ended": [0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 0] * 5,
    ...                        "matched": [0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0] * 5})
    >>> fit = round_hazard(rounds, event="ended", covariates=["matched"])
    >>> "matched" in fit.table.index
    True
    """
    # statsmodels.api would also import time series, graphics and datasets (0.26 s)
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.tools import add_constant

    function = "round_hazard"
    ci = check_ci(ci)
    covariates = list(covariates)
    require_columns(df, function, event=event, covariates=covariates, cluster=cluster)
    notes = Notes()
    data = df.copy()
    data[event] = event_indicator(df, event, function=function, coding=event_coding)
    for column in covariates:
        data[column] = numbers(df, column, argument="covariates", function=function)
    data = drop_missing(data, [event, *covariates, cluster], notes, unit="project-round")
    if cluster:
        clusters(
            data[cluster],
            function=function,
            notes=notes,
            alternative="leave cluster= out to see the model-based errors beside these",
        )
    # A covariate that does not vary (no matched project in a programme) makes the design
    # singular: leave it out and say so, rather than fail inside the solver.
    constant = [c for c in covariates if data[c].nunique() < 2]
    for c in constant:
        notes.add(
            "constant_covariate",
            f"{c!r} does not vary in these data and was left out",
            column=c,
        )
    covariates = [c for c in covariates if c not in constant]
    if not covariates:
        raise EstimationError(f"no covariate varies in these data ({', '.join(constant)})")
    if (
        np.linalg.matrix_rank(np.column_stack([np.ones(len(data)), data[covariates].astype(float)]))
        < len(covariates) + 1
    ):
        raise EstimationError(
            f"covariates {covariates} are collinear in these data; leave one of them out"
        )
    if data[event].sum() < len(covariates) + 2:
        raise EstimationError(f"too few events in {event!r} for {len(covariates)} covariates")
    design = data[covariates].astype(float)
    design = add_constant(design, has_constant="add")
    model = GLM(
        data[event].astype(float),
        design,
        family=families.Binomial(link=families.links.CLogLog()),
    )
    if cluster:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data[cluster])[0]})
    else:
        fit = model.fit()
    table = fit_table(fit, ci, ratio="hazard_ratio")
    return ModelResult(
        table,
        title="Per-round hazard of ending (cloglog)",
        inputs={
            "n": len(data),
            "events": int(data[event].sum()),
            "covariates": covariates,
            "cluster": cluster,
            "ci": ci,
        },
        notes=tuple(notes),
    )
