"""The workbench's own data: each community's cohort (the year of its first funded
project) and the participation estimators run on a :class:`~impact.dataset.Dataset`."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..dataset import funded_projects
from ..errors import EstimationError
from .point import att
from .results import DidResult, EffectResult
from .staggered import did


def community_cohorts(data) -> pd.Series:
    """Per community, the year it first had a funded project (0 for never): the cohort of
    the workbench's participation analyses.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with projects, rounds and communities.

    Returns
    -------
    pandas.Series
        The cohort year by ``community_id`` (0 for communities never funded).

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> cohorts = community_cohorts(data)
    >>> len(cohorts) == len(data.communities)
    True
    """
    data.require("projects", "rounds", "communities")
    projects = funded_projects(data.projects)
    years = projects.merge(
        data.rounds[["programme_id", "round", "year"]], on=["programme_id", "round"], how="left"
    )
    first = years.groupby("community_id").year.min()
    communities = data.communities.community_id
    return pd.Series(
        first.reindex(communities).fillna(0).astype(int).to_numpy(),
        index=communities,
        name="cohort",
    )


def dataset_did(data, *, outcome: str, **options) -> DidResult:
    """:func:`did` on a :class:`~impact.dataset.Dataset`: the community panel, with each
    community's cohort the year of its first funded project.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with a community panel.
    outcome
        A panel column (``volunteers_per_1000`` …).
    **options
        Passed to :func:`did`; ``covariates`` may name panel columns or columns of the
        communities table (e.g. ``population``).

    Returns
    -------
    DidResult
        As :func:`did`.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> effect = dataset_did(data, outcome="volunteers_per_1000")
    >>> list(effect.table.index)
    ['simple', 'group', 'dynamic', 'calendar']
    """
    data.require("panel")
    cohorts = community_cohorts(data)
    panel = data.panel.assign(cohort=data.panel.community_id.map(cohorts).fillna(0))
    wanted = options.get("covariates") or ()
    from_communities = [c for c in ([wanted] if isinstance(wanted, str) else wanted)]
    from_communities = [c for c in from_communities if c not in panel.columns]
    if from_communities:  # community attributes such as population
        data.require("communities")
        columns = ["community_id", *[c for c in from_communities if c in data.communities]]
        panel = panel.merge(data.communities[columns], on="community_id", how="left")
    return did(panel, outcome=outcome, unit="community_id", time="year", cohort="cohort", **options)


def dataset_att(
    data, *, outcome: str, year: int, covariates: Sequence[str] = ("population",), **options
) -> EffectResult:
    """:func:`att` for communities in one ``year``: the effect of having joined by then (a
    funded project in that year or before) on a panel ``outcome``, adjusting for community
    ``covariates`` (from the communities table, or the panel).

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with a panel and communities.
    outcome
        A panel column.
    year
        The year compared.
    covariates
        Columns of the communities table or the panel.
    **options
        Passed to :func:`att` (``method``, ``estimand``, ``trim`` …).

    Returns
    -------
    EffectResult
        As :func:`att`.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> effect = dataset_att(data, outcome="volunteers_per_1000", year=2024)
    >>> effect.table.index.tolist()
    ['effect']
    """
    data.require("panel", "communities")
    cohorts = community_cohorts(data)
    frame = data.panel[data.panel.year == year].merge(
        data.communities, on="community_id", how="left"
    )
    if frame.empty:
        raise EstimationError(f"the panel has no rows for year {year}")
    cohort = frame.community_id.map(cohorts).fillna(0)
    frame["joined"] = ((cohort > 0) & (cohort <= year)).astype(int)
    return att(frame, outcome=outcome, treatment="joined", covariates=covariates, **options)
