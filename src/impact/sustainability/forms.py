"""The estimators on a :class:`~impact.dataset.Dataset`: lines, project-rounds and the
model-ready columns they need."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..dataset import Dataset
from ..results import ModelResult
from .coxph import cox
from .hazard import round_hazard
from .km import SurvivalResult, kaplan_meier
from .lines import lineages, project_rounds
from .risk import RiskResult, risk_model


def _with_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """Model-ready columns from the workbench's own: matched as 0/1, team size centred."""
    frame = frame.copy()
    if "application_type" in frame:
        frame["matched"] = (frame.application_type == "matched").astype(float)
    if "team_size" in frame:
        frame["team_size"] = frame.team_size.astype(float)
    return frame


def varying_covariates(
    data: Dataset, candidates: Sequence[str] = ("matched", "team_size", "low_midterm")
) -> list[str]:
    """The ``candidates`` that vary among a data set's funded project-rounds (a factor
    every project shares cannot be estimated: a model would refuse it as singular).

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    candidates
        Columns of :func:`project_rounds` (with ``matched`` added).

    Returns
    -------
    list of str
        The candidates, in their order, that take two values or more.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> varying_covariates(data)
    ['matched', 'team_size', 'low_midterm']
    """
    frame = _with_indicators(project_rounds(data))
    return [c for c in candidates if c in frame and frame[c].dropna().nunique() > 1]


def dataset_survival(
    data: Dataset, *, by: str | None = "programme_id", **options
) -> SurvivalResult:
    """:func:`kaplan_meier` of project lines in rounds, from a :class:`Dataset`.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    by
        Column(s) of :func:`lineages` to compare (the programme by default; None for one
        curve).
    **options
        Passed to :func:`kaplan_meier` (``ci``).

    Returns
    -------
    SurvivalResult
        As :func:`kaplan_meier`, durations in rounds.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> result = dataset_survival(data)
    >>> sorted(result.medians.index)
    ['contest_like', 'fund_like', 'lishui_like']
    """
    return kaplan_meier(lineages(data), duration="duration_rounds", event="ended", by=by, **options)


def dataset_cox(
    data: Dataset, *, covariates: Sequence[str] = ("matched", "team_size"), **options
) -> ModelResult:
    """:func:`cox` on project lines (baseline covariates of a line's first project;
    ``matched`` is 1 for the matched application type), clustered by community.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    covariates
        Columns of :func:`lineages` (with ``matched`` added).
    **options
        Passed to :func:`cox` (``cluster``, ``ties``, ``ci`` …).

    Returns
    -------
    CoxResult
        As :func:`cox`.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> fit = dataset_cox(data)
    >>> list(fit.table.index)
    ['matched', 'team_size']
    """
    frame = _with_indicators(lineages(data))
    options.setdefault("cluster", "community_id" if "community_id" in frame else None)
    return cox(frame, duration="duration_rounds", event="ended", covariates=covariates, **options)


def dataset_round_hazard(
    data: Dataset, *, covariates: Sequence[str] = ("matched", "team_size", "low_midterm"), **options
) -> ModelResult:
    """:func:`round_hazard` on funded project-rounds, clustered by line.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    covariates
        Columns of :func:`project_rounds` (with ``matched`` added).
    **options
        Passed to :func:`round_hazard` (``cluster``, ``ci``).

    Returns
    -------
    ModelResult
        Hazard ratios per round, as :func:`round_hazard`.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> fit = dataset_round_hazard(data)
    >>> "hazard_ratio" in fit.table
    True
    """
    frame = _with_indicators(project_rounds(data))
    options.setdefault("cluster", "lineage_id")
    return round_hazard(frame, event="ended", covariates=covariates, **options)


def dataset_risk(
    data: Dataset,
    *,
    features: Sequence[str] = ("midterm_progress", "application_type", "team_size", "phase"),
    **options,
) -> RiskResult:
    """:func:`risk_model` on funded project-rounds: learnt from rounds whose outcome is
    known, scoring every project including the current round's; grouped by programme.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    features
        Columns of :func:`project_rounds` the model uses (those absent are skipped).
    **options
        Passed to :func:`risk_model` (``model``, ``top``, ``seed``).

    Returns
    -------
    RiskResult
        As :func:`risk_model`, with each project's id, programme, round, title and
        community beside its risk.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> risk = dataset_risk(data)
    >>> bool(risk.table.risk.between(0, 1).all())
    True
    """
    frame = project_rounds(data)
    features = [f for f in features if f in frame]
    result = risk_model(frame, target="ended", features=features, groups="programme_id", **options)
    keep = [
        c for c in ("project_id", "programme_id", "round", "title", "community_id") if c in frame
    ]
    table = frame[keep].join(result.table)
    return RiskResult(
        table,
        title=result.title,
        inputs=result.inputs,
        notes=result.notes,
        metrics=result.metrics,
        calibration=result.calibration,
        pipeline=result.pipeline,
    )
