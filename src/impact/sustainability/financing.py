"""Own income, registration and activity of projects in the follow-ups after their grant."""

from __future__ import annotations

import pandas as pd

from ..dataset import Dataset


def self_financing(data: Dataset) -> pd.DataFrame:
    """Per programme and follow-up year: projects followed, share active, share registered
    as an organisation, own income and donations to a community fund, and the
    self-financing share: own income ÷ (own income + the projects' seed grants)."""
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
