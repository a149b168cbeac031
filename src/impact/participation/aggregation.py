"""Aggregation of group-time effects into one number or a profile, as R ``did``'s ``aggte``
(Callaway & Sant'Anna 2021, section 3): ``simple`` (post-treatment cells weighted by
cohort size), ``group`` (per cohort), ``dynamic`` (per event time t − g) and ``calendar``
(per period). Each aggregate carries its influence function, including the estimation of
the cohort weights (R's ``wif``), so its standard error is exact to first order.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Aggregation = Literal["simple", "group", "dynamic", "calendar"]
AGGREGATIONS: tuple[str, ...] = ("simple", "group", "dynamic", "calendar")

#: What the first row, ``overall``, of each aggregation is.
OVERALL_MEANING = {
    "simple": "post-treatment ATT(g, t) weighted by cohort size",
    "group": "cohort effects weighted by cohort size",
    "dynamic": "mean of the event-time effects from joining on (event time ≥ 0)",
    "calendar": "mean of the calendar-period effects",
}

INDEX_NAMES = {"simple": "", "group": "cohort", "dynamic": "event_time", "calendar": "time"}


def _weights_influence(cohorts: np.ndarray, cell_cohorts: np.ndarray) -> tuple:
    """Weights proportional to cohort shares over the chosen cells, and the influence of
    estimating those shares (R did's ``wif``)."""
    share = np.array([(cohorts == g).mean() for g in cell_cohorts])
    total = share.sum()
    weights = share / total
    indicator = np.column_stack([(cohorts == g).astype(float) for g in cell_cohorts])
    centred = indicator - share
    influence = centred / total - np.outer(centred.sum(axis=1), share / total**2)
    return weights, influence


def _combine(att_gt, psi, cohorts, cells: np.ndarray):
    weights, weight_influence = _weights_influence(cohorts, att_gt.cohort.to_numpy()[cells])
    estimate = float(weights @ att_gt.att.to_numpy()[cells])
    influence = psi[:, cells] @ weights + weight_influence @ att_gt.att.to_numpy()[cells]
    return estimate, influence


def aggregate_cells(att_gt, psi, cohorts, kind, min_e=-np.inf, max_e=np.inf):
    """Estimates, influence (units × rows) and labels of one aggregation, ``overall``
    first; for ``dynamic``, only event times in [min_e, max_e] (R ``aggte``'s window)."""
    post = att_gt.post.to_numpy()
    if kind == "simple":
        estimate, influence = _combine(att_gt, psi, cohorts, np.flatnonzero(post))
        return [estimate], influence[:, None], ["overall"]
    if kind == "group":
        keys = sorted(att_gt.cohort[post].unique())
        select = lambda key: np.flatnonzero(post & (att_gt.cohort.to_numpy() == key))  # noqa
    elif kind == "dynamic":
        keys = [e for e in sorted(att_gt.event_time.unique()) if min_e <= e <= max_e]
        select = lambda key: np.flatnonzero(att_gt.event_time.to_numpy() == key)  # noqa
    else:
        keys = sorted(att_gt.time[post].unique())
        select = lambda key: np.flatnonzero(post & (att_gt.time.to_numpy() == key))  # noqa
    estimates, influences = [], []
    for key in keys:
        cells = select(key)
        if kind == "group":  # a cohort's own cells: a plain average over its periods
            estimate = float(att_gt.att.to_numpy()[cells].mean())
            influence = psi[:, cells].mean(axis=1)
        else:
            estimate, influence = _combine(att_gt, psi, cohorts, cells)
        estimates.append(estimate)
        influences.append(influence)
    influences = np.column_stack(influences)
    if kind == "group":  # overall: cohorts weighted by their size, with weight influence
        group_table = pd.DataFrame({"cohort": keys, "att": estimates})
        overall, overall_influence = _combine(
            group_table, influences, cohorts, np.arange(len(keys))
        )
    else:  # dynamic: mean over event times ≥ 0; calendar: mean over periods
        chosen = [i for i, k in enumerate(keys) if kind == "calendar" or k >= 0]
        overall = float(np.mean([estimates[i] for i in chosen]))
        overall_influence = influences[:, chosen].mean(axis=1)
    return (
        [overall, *estimates],
        np.column_stack([overall_influence, influences]),
        ["overall", *keys],
    )
