"""The numbers a report shows, computed by plain functions that tests can check by hand.

Share of plan reached and its traffic light, per-project progress with the indicators
behind, counts behind / watch / on track, peer medians that leave the project itself out,
the order of need, and what a risk model's AUC means. Sections only display these.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LOWER_IS_BETTER = frozenset({"complaints", "cost_per_person_time"})
HALFWAY = 0.5  # the share of a round gone at its mid-term, where its dates do not say
# Share of plan reached, against the share the time gone would ask for (half, at a
# mid-term halfway through): on track from 90% of it (45% at halfway), watch from 60% (30%).
ON_TRACK_OF_EXPECTED, WATCH_OF_EXPECTED = 0.9, 0.6
ON_TRACK, WATCH = ON_TRACK_OF_EXPECTED * HALFWAY, WATCH_OF_EXPECTED * HALFWAY
# Spending at mid-term, against the time gone: clearly slow below half of it; clearly fast
# when nearly all of the grant is spent with much of the round still to come.
SLOW_OF_EXPECTED, FAST_SPENT, FAST_MARGIN = 0.5, 0.9, 0.3
STATUSES = ("behind", "watch", "on_track")  # codes; the catalogue names them
CHANCE_AUC = 0.6  # a ranking whose AUC is below this is not presented as a ranking


def status(share: float, expected: float = HALFWAY) -> str | None:
    """Traffic light of a share of plan reached, against the share ``expected`` by the
    time gone (half by default): ``on_track`` from 90% of it, ``watch`` from 60%, else
    ``behind``; None when there is no share (no plan or no mid-term value). Judged on the
    whole percent a report shows, so that a project shown at 45% is never "watch"."""
    if share is None or pd.isna(share):
        return None
    share = round(float(share) * 100) / 100
    if share >= round(ON_TRACK_OF_EXPECTED * expected, 2):
        return "on_track"
    return "watch" if share >= round(WATCH_OF_EXPECTED * expected, 2) else "behind"


def time_gone(rounds: pd.DataFrame | None, programme: str, round_no: int) -> float | None:
    """The share of a round's implementation gone at its mid-term, from its start, mid-term
    and end dates; None where they are not all given."""
    if rounds is None or not {"start_date", "midterm_date", "end_date"} <= set(rounds):
        return None
    row = rounds[(rounds.programme_id == programme) & (rounds["round"] == round_no)]
    if row.empty:
        return None
    start, middle, end = (
        pd.Timestamp(row[c].iloc[0]) for c in ("start_date", "midterm_date", "end_date")
    )
    if pd.isna(start) or pd.isna(middle) or pd.isna(end) or end <= start:
        return None
    return float(min(max((middle - start) / (end - start), 0.0), 1.0))


def spending(projects: pd.DataFrame, expected: float, group: str | None = None) -> pd.DataFrame:
    """Per project: the share of its grant spent at mid-term (``spent_midterm_yuan``, else
    ``spent_yuan``), the share the time gone would suggest, its peers' median (the other
    projects of its ``group``), and a ``signal``: ``slow`` (below half of what the time
    suggests), ``fast`` (90% or more spent with more than 30 points of the round to go),
    else ``normal``. Empty without spending or grants."""
    columns = ["project_id", "spend_rate", "expected", "peer_median", "signal"]
    spent = next((c for c in ("spent_midterm_yuan", "spent_yuan") if c in projects), None)
    if spent is None or "grant_yuan" not in projects:
        return pd.DataFrame(columns=columns)
    grant = projects.grant_yuan.astype(float).where(projects.grant_yuan > 0)
    frame = projects.assign(spend_rate=projects[spent].astype(float) / grant)
    frame = frame.dropna(subset=["spend_rate"])
    if frame.empty:
        return pd.DataFrame(columns=columns)
    if group and group in frame and frame[group].notna().sum() >= 2:
        frame = peer_medians(frame, group, "spend_rate")
    else:
        frame = frame.assign(peer_median=np.nan)
    # judged on the figures the page shows (whole percent): 30% spent against 61% due is
    # below half of it (30.5%), as a reader works it out
    shown, due = frame.spend_rate.round(2), round(expected, 2)
    slow = shown < SLOW_OF_EXPECTED * due
    fast = (shown >= FAST_SPENT) & (shown > due + FAST_MARGIN)
    frame["signal"] = np.select([slow, fast], ["slow", "fast"], "normal")
    frame["expected"] = expected
    return frame[columns].reset_index(drop=True)


def indicator_progress(
    indicators: pd.DataFrame, project_ids, expected: float = HALFWAY
) -> pd.DataFrame:
    """Per project and indicator: ``plan``, ``midterm``, ``achieved`` (mid-term ÷ plan, or
    plan ÷ mid-term where lower is better) and ``status``. Indicators without a plan or a
    mid-term value keep a missing share and no status."""
    columns = ["project_id", "indicator", "plan", "midterm", "achieved", "status"]
    if indicators is None or not {"project_id", "indicator", "period", "value"} <= set(
        indicators.columns
    ):
        return pd.DataFrame(columns=columns)
    mine = indicators[indicators.project_id.isin(set(project_ids))]
    mine = mine[mine.period.isin(["plan", "midterm"])]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    wide = (
        mine.assign(period=mine.period.astype(str), indicator=mine.indicator.astype(str))
        .pivot_table(
            index=["project_id", "indicator"], columns="period", values="value", aggfunc="sum"
        )
        .reset_index()
    )
    for period in ("plan", "midterm"):
        if period not in wide:
            wide[period] = np.nan
    plan, value = wide["plan"].astype(float), wide["midterm"].astype(float)
    lower = wide.indicator.isin(lower_is_better())
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(lower, plan / value, value / plan)
    wide["achieved"] = pd.Series(share, index=wide.index).replace([np.inf, -np.inf], np.nan)
    wide["status"] = wide.achieved.map(lambda a: status(a, expected))
    return wide[columns]


def project_progress(progress: pd.DataFrame, expected: float = HALFWAY) -> pd.DataFrame:
    """Per project: median share of plan over its indicators, its status, the number of
    indicators with a share, and the indicators not on track (below 90% of ``expected``:
    45% at halfway) as ``(indicator, plan, midterm, achieved)`` tuples, worst first. A
    project on "watch" or "behind" always has at least one: its median is below the line,
    so half its indicators are."""
    rows = []
    line = round(ON_TRACK_OF_EXPECTED * expected, 2)
    for project, part in progress.dropna(subset=["achieved"]).groupby("project_id", sort=False):
        share = float(part.achieved.median())
        lagging = part[part.achieved.round(2) < line].sort_values("achieved")
        rows.append(
            {
                "project_id": project,
                "achieved": share,
                "status": status(share, expected),
                "indicators": len(part),
                "lagging": [
                    (r.indicator, r.plan, r.midterm, r.achieved) for r in lagging.itertuples()
                ],
            }
        )
    return pd.DataFrame(rows, columns=["project_id", "achieved", "status", "indicators", "lagging"])


def status_counts(statuses: pd.Series) -> dict[str, int]:
    """How many projects are behind, on watch and on track (every status present, zeros
    included), and how many have no status (no plan or no mid-term value)."""
    counts = {s: int((statuses == s).sum()) for s in STATUSES}
    counts["unknown"] = int(statuses.isna().sum())
    return counts


def need_order(frame: pd.DataFrame, risk: str | None = None) -> pd.DataFrame:
    """Projects sorted by need: behind first, then watch, then on track, then unknown;
    within a status by share of plan reached (lowest first), then by risk (highest
    first) where given."""
    rank = {"behind": 0, "watch": 1, "on_track": 2}
    key = frame.status.map(rank).fillna(3)
    order = frame.assign(_rank=key)
    by, ascending = ["_rank", "achieved"], [True, True]
    if risk and risk in frame:
        by, ascending = [*by, risk], [*ascending, False]
    return order.sort_values(by, ascending=ascending, na_position="last").drop(columns="_rank")


def peer_medians(frame: pd.DataFrame, group: str, value: str) -> pd.DataFrame:
    """Each row's peer median of ``value`` within its ``group``, leaving the row itself
    out, and the number of peers (0 when it is alone: then the median is missing)."""
    medians, counts = [], []
    values = frame[value].astype(float)
    groups = frame[group].astype(object)
    for index in frame.index:
        same = (groups == groups[index]) & values.notna()
        same[index] = False
        others = values[same]
        counts.append(int(len(others)))
        medians.append(float(others.median()) if len(others) else np.nan)
    return frame.assign(peer_median=medians, peers=counts)


def auc_quality(auc: float) -> str:
    """``chance`` when a risk model ranks no better than chance (AUC below 0.6 or
    missing), ``modest`` below 0.7, ``useful`` from 0.7."""
    if auc is None or pd.isna(auc) or auc < CHANCE_AUC:
        return "chance"
    return "modest" if auc < 0.7 else "useful"


def reason_parts(reasons: str) -> list[tuple[str, str | None]]:
    """Split a risk model's reasons (``"midterm_progress low (+0.52); application_type_
    standard (+0.31)"``) into ``(feature, direction)`` pairs, direction ``low``/``high`` or
    None for a category."""
    parts = []
    for piece in str(reasons or "").split(";"):
        piece = piece.strip()
        if not piece:
            continue
        piece = piece.split(" (")[0].strip()
        name, _, direction = piece.rpartition(" ")
        if direction in ("low", "high") and name:
            parts.append((name, direction))
        else:
            parts.append((piece, None))
    return parts


def interval_text(low: float, high: float, digits: int = 2) -> str:
    """``low–high`` with the given digits, or an empty string when either is missing."""
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    return f"{low:.{digits}f}–{high:.{digits}f}"


#: Published indicator names that differ from the indicator catalogue's codes.
PUBLISHED_NAMES = {"other_actors": "other_actors_mobilised"}


def indicator_codes(indicators: pd.DataFrame) -> pd.DataFrame:
    """Indicators with office names (服务居民人次 …) replaced by their codes from
    :mod:`impact.indicators` (the loader already does this; data built in memory may not
    have it), names without a code kept as written."""
    from ..indicators import indicator_code

    if indicators is None or "indicator" not in indicators:
        return indicators
    names = indicators.indicator.astype(str)
    codes = {n: indicator_code(n) or n for n in names.unique()}
    return indicators.assign(indicator=names.map(codes))


def lower_is_better() -> frozenset:
    """Indicator codes where less is better (complaints …), from the indicator catalogue."""
    from ..indicators import CATALOGUE

    return LOWER_IS_BETTER | {i.code for i in CATALOGUE if i.direction == "lower"}


#: Indicators a data set can be compared on with the published programmes, and their unit
#: (the published table's unit names): counts of projects, money, and summed outputs.
COMPARABLE_UNITS = {
    "applicants": "applicants",
    "funded_projects": "projects",
    "matched_projects": "projects",
    "leveraged_yuan": "yuan",
    "paid_out_yuan": "yuan",
    "activities": "activities",
    "residents_served": "person-times",
    "volunteer_person_times": "person-times",
    "core_team": "people",
    "issues_solved": "micro-issues",
    "posts": "posts",
    "reads": "reads",
    "videos": "videos",
    "mechanisms": "mechanisms",
    "other_actors_mobilised": "person-times",
    "people_found_jobs": "people",
    "people_started_business": "people",
    "organisations_formed": "organisations",
    "organisations_registered": "organisations",
}
OUTPUT_INDICATORS = (
    "activities",
    "residents_served",
    "volunteer_person_times",
    "core_team",
    "issues_solved",
    "posts",
    "reads",
    "videos",
    "mechanisms",
    "other_actors_mobilised",
    "people_found_jobs",
    "people_started_business",
)


def records_leverage(data) -> bool:
    """Whether the data record leveraged resources at all: funding lines other than the
    organiser's own seed money, or a project ``leveraged_yuan`` total. Without either, a
    leverage of 0 would be a claim the data cannot make."""
    funding = data.funding
    if funding is not None and len(funding):
        own = funding.source.astype(str).eq("seed_grant")
        if "part_of_grant" in funding:
            own |= funding.part_of_grant.fillna(False).astype(bool)
        if (~own).any():
            return True
    projects = data.projects
    return bool(
        projects is not None
        and "leveraged_yuan" in projects
        and projects.leveraged_yuan.notna().any()
    )


def own_figures(data) -> dict[str, float]:
    """Headline figures of a data set in the published programmes' terms: applicants
    (projects at any stage), funded projects (positive seed grant), matched projects,
    seed money paid, leveraged yuan (cash, in-kind and volunteer time from anyone but the
    organiser) and each output indicator summed over funded projects (final values where a
    project has them, else its latest: mid-term). Only figures the data hold are given."""
    from ..dataset import funded_projects
    from ..leverage import project_resources

    figures_: dict[str, float] = {}
    projects = data.projects
    if projects is None:
        return figures_
    figures_["applicants"] = float(len(projects))
    funded = funded_projects(projects)
    if "grant_yuan" in projects and len(funded):
        figures_["funded_projects"] = float(len(funded))
        figures_["paid_out_yuan"] = float(funded.grant_yuan.sum())
        if "application_type" in funded and funded.application_type.notna().any():
            figures_["matched_projects"] = float((funded.application_type == "matched").sum())
        try:
            if not records_leverage(data):
                raise ValueError("no leverage recorded")
            resources = project_resources(data)
            mine = resources[resources.project_id.isin(set(funded.project_id))]
            figures_["leveraged_yuan"] = float(mine.leveraged_yuan.sum())
        except Exception:  # noqa: BLE001 - no funding lines and no leveraged column
            pass
    indicators = indicator_codes(data.indicators)
    if indicators is not None and "period" in indicators:
        ids = set(funded.project_id) if len(funded) else set(projects.project_id)
        mine = indicators[indicators.project_id.isin(ids)]
        mine = mine.assign(period=mine.period.astype(str), indicator=mine.indicator.astype(str))
        rank = {"midterm": 1, "final": 2}
        mine = mine[mine.period.isin(rank)].assign(rank=lambda f: f.period.map(rank))
        latest = mine[
            mine["rank"] == mine.groupby(["project_id", "indicator"])["rank"].transform("max")
        ]
        sums = latest.groupby("indicator").value.sum()
        sums = sums.rename(index=PUBLISHED_NAMES)
        for name in OUTPUT_INDICATORS:
            if name in sums.index:
                figures_[name] = float(sums[name])
    organisations = data.tables.get("organisations")
    if organisations is not None and len(organisations):
        formed = (
            organisations.formed.fillna(False).astype(bool)
            if "formed" in organisations
            else pd.Series(True, index=organisations.index)
        )
        figures_["organisations_formed"] = float(formed.sum())
        if "registered" in organisations:
            registered = organisations.registered.fillna(False).astype(bool)
            figures_["organisations_registered"] = float((formed & registered).sum())
    return figures_


def continuation(project_rounds: pd.DataFrame, ci: float = 0.95) -> dict | None:
    """Share of funded project-rounds whose line continued into the programme's next
    round, among those whose outcome is known, with a Wilson interval; None if none is."""
    from statsmodels.stats.proportion import proportion_confint

    if "ended" not in project_rounds:
        return None
    known = project_rounds.ended.dropna()
    if known.empty:
        return None
    continued = int((known == 0).sum())
    low, high = proportion_confint(continued, len(known), alpha=1 - ci, method="wilson")
    return {
        "continued": continued,
        "known": int(len(known)),
        "share": continued / len(known),
        "low": float(low),
        "high": float(high),
    }


def published_per_project(published: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Per published programme and round: ``indicator`` (headline, no category) divided by
    its funded projects, where both are published."""
    if published is None or published.empty:
        return pd.DataFrame(columns=["programme_id", "round", "year", "value", "per_project"])
    headline = published[published.category.isna()] if "category" in published else published
    keys = ["programme_id", "round", "year"]
    value = headline[headline.indicator == indicator][[*keys, "value"]]
    count = headline[headline.indicator == "funded_projects"][[*keys, "value"]].rename(
        columns={"value": "projects"}
    )
    merged = value.merge(count, on=keys, how="inner")
    merged = merged[merged.projects > 0]
    return merged.assign(per_project=merged.value / merged.projects).drop(columns="projects")


def round_ticks(axis, language: str) -> None:
    """Whole-round ticks on a matplotlib axis counting rounds (a line lasts 1, 2, 3 rounds,
    never 1.5), labelled in the reader's language from the catalogue ("2届" / "2")."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from .catalogue import t

    axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(
        FuncFormatter(lambda value, _: t("round_tick", language, n=f"{round(value):d}"))
    )
