"""Leverage (撬动): resources other than the organiser's seed grant brought in per seed yuan.

Definitions (``docs/data-model.md`` and DOMAIN.md): the **leverage ratio** of a set of
projects is total leveraged resources ÷ total seed grant, a ratio of sums; the **resource
multiplier** is (grant + leveraged) ÷ grant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .dataset import Dataset
from .keys import positions

#: Funding sources that count as leveraged, by kind. The seed grant is the denominator.
CASH_SOURCES = (
    "match",
    "donation",
    "public_finance",
    "foundation",
    "business",
    "crowdfunding",
    "service_income",
)
IN_KIND_SOURCES = ("in_kind",)
VOLUNTEER_SOURCES = ("volunteer_time",)


def project_resources(data: Dataset) -> pd.DataFrame:
    """One row per project with its seed grant and leveraged resources in yuan.

    Columns: ``project_id``, ``programme_id``, ``round``, ``grant_yuan``,
    ``leveraged_cash_yuan``, ``leveraged_in_kind_yuan``, ``leveraged_volunteer_yuan`` and
    ``leveraged_yuan`` (their sum). Funding lines are used when present; otherwise the
    projects' own ``leveraged_yuan`` total is taken as cash-or-unknown. The grant is the
    project's ``grant_yuan``, or the sum of its seed-grant lines where that is blank.
    """
    data.require("projects")
    projects = data.projects
    keep = [c for c in ("project_id", "programme_id", "round") if c in projects]
    result = projects[keep].copy()
    grant = (
        projects["grant_yuan"]
        if "grant_yuan" in projects
        else pd.Series(np.nan, index=projects.index)
    ).astype("float64")
    parts = {
        "leveraged_cash_yuan": 0.0,
        "leveraged_in_kind_yuan": 0.0,
        "leveraged_volunteer_yuan": 0.0,
    }
    if data.funding is not None:
        funding = data.funding
        position = positions(projects.project_id, funding.project_id)
        known = position >= 0
        amount = funding.amount_yuan.to_numpy(dtype=float, na_value=0.0)
        source = funding.source.astype("object").to_numpy()
        in_kind_form = (
            (funding["form"] == "in_kind").fillna(False).to_numpy(bool)
            if ("form" in funding)
            else np.zeros(len(funding), bool)
        )

        def total(mask: np.ndarray) -> np.ndarray:
            chosen = known & mask
            return np.bincount(position[chosen], weights=amount[chosen], minlength=len(projects))

        volunteer = np.isin(source, VOLUNTEER_SOURCES)
        in_kind = (np.isin(source, IN_KIND_SOURCES) | in_kind_form) & ~volunteer
        cash = np.isin(source, CASH_SOURCES) & ~in_kind & ~volunteer
        parts = {
            "leveraged_cash_yuan": total(cash),
            "leveraged_in_kind_yuan": total(in_kind),
            "leveraged_volunteer_yuan": total(volunteer),
        }
        seed_lines = total(source == "seed_grant")
        has_seed_line = (
            np.bincount(position[known & (source == "seed_grant")], minlength=len(projects)) > 0
        )
        grant = grant.where(grant.notna() | ~has_seed_line, seed_lines)
    elif "leveraged_yuan" in projects:
        parts["leveraged_cash_yuan"] = projects.leveraged_yuan.astype("float64").fillna(0.0)
    result["grant_yuan"] = grant.to_numpy()
    for name, values in parts.items():
        result[name] = values
    result["leveraged_yuan"] = (
        result.leveraged_cash_yuan + result.leveraged_in_kind_yuan + result.leveraged_volunteer_yuan
    )
    return result
