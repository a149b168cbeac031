"""Own income, registration and activity of projects in the follow-ups after their grant."""

from __future__ import annotations

import pandas as pd

from ..dataset import Dataset


def self_financing(data: Dataset) -> pd.DataFrame:
    """Per programme and follow-up year: projects followed, share active, share registered
    as an organisation, own income and donations to a community fund, and the
    self-financing share: own income ÷ (own income + the projects' seed grants).

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with follow-ups.

    Returns
    -------
    pandas.DataFrame
        Indexed by programme_id and year: projects, active_share, registered_share,
        own_income_yuan, fund_donation_yuan, grant_yuan, self_financing_share.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> table = self_financing(data)
    >>> bool(table.self_financing_share.between(0, 1).all())
    True
    """
    data.require("followups", "projects")
    followups = data.followups.merge(
        data.projects[["project_id", "programme_id", "grant_yuan"]], on="project_id", how="left"
    )
    grouped = followups.groupby(["programme_id", "year"], observed=True)
    table = grouped.agg(
        projects=("project_id", "nunique"),
        active_share=("status", lambda s: (s == "active").mean()),
        registered_share=("registered", "mean"),
        own_income_yuan=("own_income_yuan", "sum"),
        fund_donation_yuan=("fund_donation_yuan", "sum"),
        grant_yuan=("grant_yuan", "sum"),
    )
    table["self_financing_share"] = table.own_income_yuan / (
        table.own_income_yuan + table.grant_yuan
    )
    return table
