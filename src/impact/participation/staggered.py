"""Staggered difference-in-differences, the entry point: :func:`did` checks its arguments,
shapes the panel, and assembles group-time cells, tests and headline figures into a
:class:`~impact.participation.results.DidResult`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import EstimationError
from ..inputs import (
    Notes,
    clusters,
    drop_missing,
    numbers,
    periods_and_cohorts,
    require_columns,
)
from ..results import check_ci, check_columns, z_value
from .cells import CELL_METHODS, group_time_cells
from .inference import pretrend_cells, pretrend_event_time, standard_errors, twfe
from .results import DidResult, headline_table

Control = Literal["never", "notyet"]
BasePeriod = Literal["varying", "universal"]
BASE_PERIODS: tuple[str, ...] = ("varying", "universal")
#: R ``did``'s names for the comparison groups are accepted too.
CONTROL_NAMES = {
    "never": "never",
    "notyet": "notyet",
    "nevertreated": "never",
    "notyettreated": "notyet",
}


def did(
    panel: pd.DataFrame,
    *,
    outcome: str,
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] = (),
    est_method: Literal["dr", "ipw", "reg"] = "dr",
    control: Control = "never",
    anticipation: int = 0,
    cluster: str | None = None,
    ci: float = 0.95,
    base_period: BasePeriod = "varying",
) -> DidResult:
    """Staggered difference-in-differences: group-time average treatment effects on the
    treated, ATT(g, t), as in Callaway & Sant'Anna (2021), optionally conditional on
    covariates (R ``did::att_gt``'s ``xformla``).

    Parameters
    ----------
    panel
        One row per unit and period (a balanced panel; units missing any period, or any
        covariate, are dropped, and the number dropped is recorded).
    outcome, unit, time
        Columns of the outcome, the unit (community) and the period (year).
    cohort
        The period the unit first took part; 0 or infinite means never (missing: left
        out and counted in the notes, as R drops it). As in R
        ``did``, units already taking part in the first period are dropped; without
        never-taking-part units the last cohort serves as the comparison.
    covariates
        Columns that parallel trends are conditional on (e.g. ``["population"]``); text
        columns enter as indicators of each level but the first. Values are taken in the
        base period of each comparison (the earlier of the two periods), as R ``did``
        does for balanced panels.
    est_method
        How covariates enter each 2×2 comparison (Sant'Anna & Zhao 2020): ``"dr"`` doubly
        robust (default), ``"ipw"`` inverse probability weighting, ``"reg"`` outcome
        regression. Without covariates all three are the difference of mean changes.
    control
        ``"never"`` (or R's ``"nevertreated"``): never-treated units are the comparison;
        ``"notyet"`` (``"notyettreated"``): units not yet treated by the later of t and
        the base period (plus anticipation), as well.
    anticipation
        Periods before joining in which units may already respond.
    cluster
        A column constant within units to cluster on; standard errors are always at least
        clustered by unit.
    ci
        Confidence level, strictly between 0 and 1 (0.95, not 95).
    base_period
        R ``did``'s ``base_period``. ``"varying"`` (default): effects after joining
        compare with the period before joining, and each pre-treatment ATT(g, t) with
        the period before t, so pre-treatment estimates are period-to-period changes.
        ``"universal"``: every ATT(g, t) compares with the same period, the last before
        joining (less anticipation), whose own effect is 0 by construction; the event
        study then reads like a regression event study with the period before joining
        left out, which is what :func:`~impact.participation.sensitivity` needs. The
        post-treatment effects, and so ``simple`` and ``group``, are the same either way.

    Returns
    -------
    DidResult
        ``table`` (the overall effect of each aggregation, ``simple`` first),
        ``att_gt`` (cohort, time, att, se …), ``aggregate(kind)``, ``pretrend`` (R's
        test of every pre-treatment ATT(g, t)), ``pretrend_event_time``, ``twfe``,
        ``summary()``, ``plot()`` (event study).

    Notes
    -----
    Assumptions. Parallel trends: without the programme, each cohort's average outcome
    would have moved like the comparison group's (among units with the same covariates,
    when given). No anticipation beyond ``anticipation`` periods. Treatment is absorbing:
    once joined, a community stays joined. With covariates, overlap: every cohort's
    covariate values also occur among its comparison units.

    ATT(g, t) compares E[Y_t − Y_b | G = g] with the comparison units' change, with base
    period b = g − 1 − anticipation for t ≥ g − anticipation and, before, b = t − 1 (R
    ``did``'s "varying" base period) or b = g − 1 − anticipation ("universal").
    Standard errors come from unit-level influence functions that include the estimation
    of the propensity and outcome models; aggregations add the influence of estimating
    the cohort weights, as R ``did``'s ``aggte`` does. Agreement with R ``did`` 2.5
    (through csdid) is tested to 1e-6.

    Examples
    --------
    >>> result = did(panel, outcome="lemp", unit="countyreal", time="year",
    ...              cohort="first.treat", covariates=["lpop"])  # doctest: +SKIP
    >>> result.table.loc["simple", "att"]  # doctest: +SKIP
    """
    ci = check_ci(ci)
    if control not in CONTROL_NAMES:
        raise EstimationError(
            f"control must be 'never' or 'notyet' (R: 'nevertreated', 'notyettreated'), "
            f"not {control!r}"
        )
    control = CONTROL_NAMES[control]
    if base_period not in BASE_PERIODS:
        raise EstimationError(
            f"base_period must be 'varying' or 'universal' (R did's names), not {base_period!r}"
        )
    if est_method not in CELL_METHODS:
        raise EstimationError(f"est_method must be one of {CELL_METHODS}, not {est_method!r}")
    if isinstance(covariates, str):
        covariates = [covariates]
    covariates = list(covariates)
    if isinstance(anticipation, bool) or not float(anticipation).is_integer() or anticipation < 0:
        raise EstimationError(f"anticipation must be a whole number ≥ 0, not {anticipation!r}")
    check_columns(panel, outcome, unit, time, cohort, cluster, *covariates)
    panel, input_notes = checked_panel(panel, outcome, unit, time, cohort, cluster)
    wide, cohorts, design, dropped = _balanced(panel, outcome, unit, time, cohort, covariates)
    if not (cohorts > 0).any():
        raise EstimationError(f"no treated units: every {cohort!r} is 0 or missing")
    wide, cohorts, design, estimated, notes = _sample_as_r(
        wide, cohorts, design, control, anticipation
    )
    small = _small_groups(cohorts, len(covariates), control)
    if small:
        notes.append(
            "few units in "
            + ", ".join(f"{'never' if g == 0 else f'cohort {g:g}'} ({k})" for g, k in small)
            + f": fewer than {len(covariates) + 5} (R did's warning level), so their "
            "estimates are imprecise"
        )
    periods = wide.columns.to_numpy()
    y = wide.to_numpy(float)
    n = len(wide)
    treated_cohorts = sorted(c for c in np.unique(cohorts) if c > 0)
    att_gt, psi, cell_notes = group_time_cells(
        y,
        cohorts,
        periods,
        design,
        control=control,
        anticipation=anticipation,
        method=est_method,
        estimated=estimated,
        base_period=base_period,
    )
    notes += cell_notes
    cluster_codes = None
    if cluster:
        cluster_of_unit = panel.drop_duplicates(unit).set_index(unit)[cluster]
        cluster_codes = pd.factorize(cluster_of_unit.reindex(wide.index))[0]
    se = standard_errors(psi, cluster_codes)
    z = z_value(ci)
    att_gt["se"] = se
    att_gt["ci_low"] = att_gt.att - z * se
    att_gt["ci_high"] = att_gt.att + z * se
    pretrend, why_not = pretrend_cells(att_gt, psi, cluster_codes)
    if why_not and (att_gt.cohort > att_gt.time).any():
        notes.append(why_not)
    if pretrend is not None and pretrend.warning:
        notes.append(f"pre-trend test: {pretrend.warning}")
    if len(treated_cohorts) > 1:
        notes.append(
            "two-way fixed effects is shown for comparison only: with cohorts "
            "joining at different times and effects that change over time it can "
            "be biased, even in sign (Goodman-Bacon 2021)"
        )
    if dropped:
        notes.append(
            f"{dropped} unit(s) without every period"
            + (" or covariate" if covariates else "")
            + " were dropped (balanced panel needed)"
        )
    return DidResult(
        table=headline_table(att_gt, psi, cohorts, cluster_codes, ci),
        title="Staggered difference-in-differences (Callaway & Sant'Anna 2021)",
        inputs={
            "outcome": outcome,
            "unit": unit,
            "time": time,
            "cohort": cohort,
            "covariates": covariates or None,
            "method": est_method if covariates else None,
            "control": control,
            "anticipation": anticipation,
            "base_period": base_period,
            "cluster": cluster,
            "ci": ci,
            "n_units": n,
            "cohorts": len(estimated),
            "units_dropped": dropped,
            "small_cohorts": [int(g) for g, _ in small if g > 0] or None,
        },
        notes=(*input_notes, *notes),
        att_gt=att_gt,
        pretrend=pretrend,
        pretrend_event_time=pretrend_event_time(att_gt, psi, cohorts, cluster_codes, anticipation),
        twfe=twfe(y, cohorts, periods, cluster_codes),
        _influence=psi,
        _cohort_of_unit=cohorts,
        _cluster_codes=cluster_codes,
    )


def checked_panel(panel, outcome, unit, time, cohort, cluster):
    """The input contract of :func:`did` (:mod:`impact.inputs`): periods and cohorts as
    numbers on one scale and grid, the outcome as numbers, enough clusters. Returns the
    panel (cohorts after the last period read as never, as R did) and the notes."""
    notes = Notes()
    require_columns(panel, "did", outcome=outcome, unit=unit, time=time, cohort=cohort)
    panel = drop_missing(panel, [unit], notes)  # a row of no unit belongs to none
    panel = periods_and_cohorts(
        panel, time=time, cohort=cohort, unit=unit, function="did", notes=notes
    )
    panel[outcome] = numbers(panel, outcome, argument="outcome", function="did")
    if cluster:
        clusters(
            panel.drop_duplicates(unit)[cluster],
            function="did",
            notes=notes,
            alternative="leave cluster= out to cluster by unit only",
        )
    return panel, notes


MIN_GROUP = 5  # R did warns when a group has fewer than this many units plus covariates


def _small_groups(cohorts, n_covariates, control) -> list[tuple[float, int]]:
    """Groups (cohorts and never, 0) with fewer than ``n_covariates`` + 5 units, R
    ``did``'s warning level; a never-treated group that small cannot be the comparison
    (R stops too)."""
    groups, sizes = np.unique(cohorts, return_counts=True)
    small = [
        (g, int(k)) for g, k in zip(groups, sizes, strict=True) if k < n_covariates + MIN_GROUP
    ]
    if control == "never" and any(g == 0 for g, _ in small):
        raise EstimationError(
            f"only {dict(small)[0]} unit(s) never take part: too few to serve as the "
            "comparison; use control='notyet' to compare with units not yet taking part"
        )
    return small


def _sample_as_r(wide, cohorts, design, control, anticipation):
    """R ``did``'s sample rules (``pre_process_did``): units already treated in the first
    period (allowing for anticipation) are dropped; without never-treated units, periods
    from the last cohort's start (less anticipation) on are dropped and that cohort is
    only a comparison: coerced to never-treated for ``control="never"``, left without
    effects of its own for ``"notyet"``. Returns the sample, the cohorts to estimate and
    notes saying what was done."""
    notes = []
    periods = wide.columns.to_numpy()
    early = (cohorts > 0) & (cohorts <= periods[0] + anticipation)
    if early.any():
        notes.append(
            f"{int(early.sum())} unit(s) already taking part in the first period "
            f"{periods[0]} were dropped (no period before joining), as R did does"
        )
        wide, cohorts = wide[~early], cohorts[~early]
        design = None if design is None else [x[~early] for x in design]
    if not (cohorts > 0).any():
        raise EstimationError("no unit joins after the first period: nothing to compare")
    estimated = sorted(c for c in np.unique(cohorts) if c > 0)
    if not (cohorts == 0).any():
        latest = max(estimated)
        keep = periods < latest - anticipation
        wide = wide.loc[:, keep]
        design = None if design is None else [x for x, k in zip(design, keep, strict=True) if k]
        estimated = [g for g in estimated if g < latest]
        if control == "never":
            cohorts = np.where(cohorts == latest, 0.0, cohorts)
        notes.append(
            f"no unit never takes part: cohort {latest:g} serves as the comparison "
            f"({'treated as never taking part' if control == 'never' else 'not yet'}), "
            f"and periods from {latest - anticipation:g} on are left out, as R did does"
        )
        if not estimated:
            raise EstimationError(
                "only one cohort and no unit that never takes part: nothing to compare with"
            )
    return wide, cohorts, design, estimated, notes


def _balanced(panel, outcome, unit, time, cohort, covariates):
    """Units × periods outcomes, each unit's cohort, per period the covariate design with
    an intercept (``None`` without covariates), and the number of units dropped."""
    data = panel[list(dict.fromkeys([unit, time, outcome, cohort, *covariates]))].copy()
    # 0, missing or infinite (R's code for never) all mean never
    data[cohort] = pd.to_numeric(data[cohort], errors="coerce").replace(np.inf, 0).fillna(0)
    cohort_count = data.groupby(unit)[cohort].nunique()
    if (cohort_count > 1).any():
        bad = cohort_count[cohort_count > 1].index[0]
        raise EstimationError(
            f"{cohort!r} must be constant within a unit; unit {bad} has several values"
        )
    if data.duplicated([unit, time]).any():
        first = data[data.duplicated([unit, time])].iloc[0]
        raise EstimationError(
            f"more than one row for unit {first[unit]} in period {first[time]}; the panel "
            f"needs one row per {unit!r} and {time!r}"
        )
    wide = data.pivot(index=unit, columns=time, values=outcome)
    complete = wide.notna().all(axis=1)
    dummies = None
    if covariates:
        dummies = pd.get_dummies(data[covariates], drop_first=True, dtype=float)
        dummies[[unit, time]] = data[[unit, time]]
        names = [c for c in dummies.columns if c not in (unit, time)]
        by_period = {
            name: dummies.pivot(index=unit, columns=time, values=name).reindex(wide.index)
            for name in names
        }
        for frame in by_period.values():
            complete &= frame.reindex(columns=wide.columns).notna().all(axis=1)
    dropped = int((~complete).sum())
    wide = wide[complete]
    cohorts = data.drop_duplicates(unit).set_index(unit)[cohort].reindex(wide.index)
    design = None
    if covariates:
        design = [
            np.column_stack(
                [np.ones(len(wide))]
                + [by_period[name].loc[wide.index, period].to_numpy(float) for name in names]
            )
            for period in wide.columns
        ]
    return wide, cohorts.to_numpy(float), design, dropped
