"""A plain overview of what a data set holds: per programme, its rounds, applications,
funded projects, money and outputs. Descriptive only: no uncertainty, no causal claims."""

from __future__ import annotations

import pandas as pd

from .dataset import Dataset
from .leverage import project_resources

__all__ = [
    "programme_overview",
    "published_overview",
]


def programme_overview(data: Dataset) -> pd.DataFrame:
    """One row per programme: rounds, years, applications, funded projects, communities,
    total seed grant, total leveraged and the leverage ratio (a ratio of sums).

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.

    Returns
    -------
    pandas.DataFrame
        Indexed by programme_id: name, years, rounds, applications, funded_projects,
        communities, grant_yuan, leveraged_yuan, leverage_ratio.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> overview = programme_overview(data)
    >>> int(overview.applications.sum()) == len(data.projects)
    True
    """
    data.require("projects")
    projects = data.projects
    resources = project_resources(data)
    funded = resources.grant_yuan.fillna(0) > 0
    frame = pd.DataFrame(
        {
            "programme_id": projects.programme_id,
            "round": projects["round"],
            "community_id": projects.get("community_id"),
            "funded": funded,
            "grant_yuan": resources.grant_yuan.where(funded, 0.0),
            "leveraged_yuan": resources.leveraged_yuan.where(funded, 0.0),
        }
    )
    overview = frame.groupby("programme_id", observed=True).agg(
        rounds=("round", "nunique"),
        applications=("round", "size"),
        funded_projects=("funded", "sum"),
        communities=("community_id", "nunique"),
        grant_yuan=("grant_yuan", "sum"),
        leveraged_yuan=("leveraged_yuan", "sum"),
    )
    overview["leverage_ratio"] = overview.leveraged_yuan / overview.grant_yuan
    if data.programmes is not None and "name_zh" in data.programmes:
        names = data.programmes.set_index("programme_id")
        overview.insert(0, "name", names.name_zh.reindex(overview.index))
    if data.rounds is not None and "year" in data.rounds:
        years = data.rounds.groupby("programme_id", observed=True).year.agg(["min", "max"])
        overview.insert(
            1,
            "years",
            years.reindex(overview.index).apply(
                lambda y: f"{y['min']}–{y['max']}" if pd.notna(y["min"]) else "", axis=1
            ),
        )
    return overview


def published_overview(data: Dataset) -> pd.DataFrame:
    """Published figures per programme, with their sources, for a quick look.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with the ``published`` table (such as
        ``data/published``).

    Returns
    -------
    pandas.DataFrame
        One row per published figure: programme_id, round, indicator, category, value,
        unit and qualifier (about, more than …).

    Examples
    --------
    >>> published = impact.load("data/published")  # doctest: +SKIP
    >>> len(published_overview(published)) > 0
    True
    """
    data.require("published")
    published = data.published
    columns = [
        c
        for c in ("programme_id", "round", "indicator", "category", "value", "unit", "qualifier")
        if c in published
    ]
    return published[columns]


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
