"""A programme's own published figures against what its data give: the same figure
computed from the project records, and a verdict (agrees / differs by how much / not in
these data).

A published figure is matched by its indicator and category: counts of applications,
funded projects and the funnel's stages; money paid, leveraged and matched; output
indicators summed over the funded projects (final values, else the latest); projects by
tier, theme or beneficiary category; organisations formed and registered; people
cultivated per community; partners by type; shares of money by payer and of income given
to the community fund. A figure about the organiser's own work (trainings held, visits
paid) is not in project records: it is said so, never guessed.

How a verdict is reached: an exact figure agrees when the data give it at the precision
it was published with; a lower bound (“100余”) when the data give at least as much; an
approximation (“约300”) when the data are within 10% of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd

from ..dataset import Dataset, funded_projects, stage_reached
from . import figures
from .catalogue import TEXT

Verdict = Literal["agrees", "differs", "not_recorded"]
ABOUT = 0.10  # an approximate figure agrees within 10%


def own_value(data: Dataset, indicator: str, category: str | None) -> float | None:
    """The published figure ``indicator`` (``category``) as ``data`` give it, or None when
    the data do not hold it."""
    make = _MAKERS.get(indicator)
    if make is None:
        found = figures.own_figures(data).get(indicator)
        return found if found is not None else _indicator_total(data, indicator)
    try:
        value = make(data, category)
    except (KeyError, AttributeError, TypeError, ValueError, ZeroDivisionError):
        return None
    if value is None or pd.isna(value):
        return None
    return float(value)


def verdict(own: float | None, published: float, qualifier: str | None) -> Verdict:
    """Whether the data agree with a published figure (see the module's description)."""
    if own is None or pd.isna(own):
        return "not_recorded"
    if qualifier == "at_least":
        return "agrees" if own >= published else "differs"
    if qualifier == "about":
        return "agrees" if abs(own - published) <= ABOUT * abs(published) else "differs"
    places = _decimals(published)
    return "agrees" if round(own, places) == round(float(published), places) else "differs"


def check(data: Dataset, published: pd.DataFrame) -> pd.DataFrame:
    """Each published row with the data's own value, the verdict and the difference
    (own − published, where they differ)."""
    rows = []
    for row in published.itertuples():
        category = row.category if isinstance(row.category, str) and row.category else None
        own = own_value(data, row.indicator, category)
        qualifier = getattr(row, "qualifier", "exact")
        found = verdict(own, row.value, qualifier)
        rows.append(
            {
                "indicator": row.indicator,
                "category": category,
                "unit": row.unit,
                "qualifier": qualifier,
                "published": float(row.value),
                "own": own,
                "verdict": found,
                "difference": own - row.value if found == "differs" else np.nan,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "category",
            "unit",
            "qualifier",
            "published",
            "own",
            "verdict",
            "difference",
        ],
    )


def _decimals(value: float) -> int:
    """The places a figure was published with (686404.16: 2; 0.6: 1; 2336: 0)."""
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


# ---------------------------------------------------------------------- what the data give


def _names(code: str) -> set[str]:
    """A code and its catalogue names (elderly: 老年人服务类; Heao: 荷坳社区)."""
    entry = TEXT.get(code, {})
    return {code, *entry.values()}


def _matches(values: pd.Series, code: str) -> pd.Series:
    """Values that name ``code``: the code itself or its catalogue names, written whole or
    inside a longer name (老年人 in 老年人服务类, 最佳人气奖 in 最佳人气奖获奖项目)."""
    names = _names(code)
    return values.astype(str).map(
        lambda value: any(name in value or value in name for name in names if value and name)
    )


def _count_where(column: str):
    def count(data: Dataset, category: str | None) -> float | None:
        projects = funded_projects(data.projects)
        if category is None or column not in projects:
            return None
        return float(_matches(projects[column], category).sum())

    return count


def _indicator_total(data: Dataset, indicator: str) -> float | None:
    """An output the catalogue does not know, summed under the name the office wrote it
    (带动创业人数): final values of the funded projects."""
    indicators = data.indicators
    if indicators is None or data.projects is None:
        return None
    funded = set(funded_projects(data.projects).project_id)
    rows = indicators[
        indicators.project_id.isin(funded)
        & (indicators.period.astype(str) == "final")
        & indicators.indicator.astype(str).isin(_names(indicator))
    ]
    return float(rows.value.sum()) if len(rows) else None


def _awards(data: Dataset, indicator: str) -> float | None:
    awards = data.tables.get("awards")
    if awards is None or awards.empty:
        return None
    return float(_matches(awards.award, indicator).sum())


def _community_rows(data: Dataset, category: str | None) -> pd.DataFrame:
    from ..dataset import community_round_counts

    rounds = community_round_counts(data)
    return rounds if category is None else rounds[rounds.community_id.isin(_names(category))]


def _projects_by_theme(data: Dataset, category: str | None) -> float | None:
    for column in ("beneficiary", "theme"):
        found = _count_where(column)(data, category)
        if found:
            return found
    return None


def _funnel(data: Dataset, category: str | None) -> float | None:
    """Projects that reached the stage ``category`` (a withdrawn one at its highest)."""
    from ..schema import FUNNEL_STAGES

    reached = stage_reached(data.projects).astype(object)
    order = {stage: rank for rank, stage in enumerate(FUNNEL_STAGES)}
    return float((reached.map(order) >= order[category]).sum())


def _grant_share(data: Dataset, category: str | None) -> float | None:
    from ..leverage import grant_lines

    funding = data.funding
    own = funding[grant_lines(funding) & ~funding.source.astype(str).eq("seed_grant")]
    if own.empty or category is None:
        return None
    amounts = own.groupby(own.source.astype(str)).amount_yuan.sum()
    return float(amounts.get(category, 0.0) / amounts.sum())


def _partners(data: Dataset, category: str | None) -> float | None:
    projects = data.projects
    mine = projects if category is None else projects[projects.community_id.isin(_names(category))]
    return float((mine.partner_type.astype(str) == "business").sum())


def _donated_share(data: Dataset, category: str | None) -> float | None:
    projects = data.projects
    return float(projects.fund_donation_yuan.sum() / projects.service_income_yuan.sum())


def _months(data: Dataset, category: str | None) -> float | None:
    rounds = data.rounds
    return float(round((rounds.end_date - rounds.start_date).dt.days.iloc[0] / 30.4))


_MAKERS: dict[str, Callable[[Dataset, str | None], float | None]] = {
    "applicants": lambda data, _: len(data.projects),
    "projects": lambda data, _: len(data.projects),
    "projects_signed_intent": lambda data, _: len(data.projects),
    "funnel": _funnel,
    "projects_by_beneficiary": _projects_by_theme,
    "projects_by_tier": _count_where("tier"),
    "peer_groups": lambda data, _: funded_projects(data.projects).peer_group.nunique(),
    "organisations_running_projects": lambda data, _: funded_projects(
        data.projects
    ).applicant_name.nunique(),
    "matched_social_money_yuan": lambda data, _: _match(data),
    "popularity_vote_winners": lambda data, _: _awards(data, "popularity_vote_winners"),
    "most_effective_awards": lambda data, _: _awards(data, "most_effective_awards"),
    "funding_share": _grant_share,
    "pilot_communities": lambda data, _: len(data.communities),
    "active_residents": lambda data, c: _community_rows(data, c).active_residents.sum(),
    "community_leaders": lambda data, c: _community_rows(data, c).leaders.sum(),
    "resident_ideas": lambda data, c: _community_rows(data, c).ideas_proposed.sum(),
    "business_partners": _partners,
    "income_donated_share": _donated_share,
    "match_ratio": lambda data, _: data.rounds.match_ratio.iloc[0],
    "grant_min_yuan": lambda data, _: data.rounds.grant_min_yuan.iloc[0],
    "grant_max_yuan": lambda data, _: data.rounds.grant_max_yuan.iloc[0],
    "implementation_months": _months,
}


def _match(data: Dataset) -> float | None:
    from ..leverage import project_resources

    if data.funding is None:
        return None
    return float(project_resources(data).match_yuan.sum())
