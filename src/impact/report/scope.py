"""What a report may look at: one programme, the rounds of one year, or what was known at
one round's mid-term.

Every section takes its data through one of these functions, so an annual report of 2019
and one of 2022 cannot show the same numbers unless their rounds do, a mid-term's risk
model never learns from follow-ups of later rounds, and a participation effect compares a
programme's own communities.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..dataset import Dataset

PROJECT_TABLES = ("funding", "indicators", "followups", "awards")
PROGRAMME_TABLES = ("organisations", "community_rounds", "community_funds", "people")
ROUND_TABLES = ("organisations", "community_rounds", "people")


def _keys(frame: pd.DataFrame) -> list[tuple]:
    """(programme, round) per row."""
    return list(zip(frame.programme_id, frame["round"], strict=True))


def _replace(data: Dataset, **tables) -> Dataset:
    current = dict(data.tables) | tables
    current = {k: v for k, v in current.items() if v is not None}
    return Dataset(**current, origin=data.origin, warnings=data.warnings)


def _with_projects(data: Dataset, projects: pd.DataFrame) -> dict:
    """The project table and every table keyed by project, restricted to ``projects``."""
    ids = set(projects.project_id)
    tables = {"projects": projects}
    for name in PROJECT_TABLES:
        frame = data.tables.get(name)
        if frame is not None and "project_id" in frame:
            tables[name] = frame[frame.project_id.isin(ids)]
    return tables


def programme_communities(data: Dataset, programme: str) -> set:
    """The communities a programme serves: those named by any of its projects (funded or
    not) and those of the programme's region in the community table."""
    found: set = set()
    if data.projects is not None and "community_id" in data.projects:
        mine = data.projects[data.projects.programme_id == programme]
        found |= set(mine.community_id.dropna())
    communities = data.communities
    if communities is None:
        return found
    if "programme_id" in communities:
        found |= set(communities.loc[communities.programme_id == programme, "community_id"])
    elif "region" in communities and data.programmes is not None:
        region = data.programmes.loc[data.programmes.programme_id == programme, "region"]
        if len(region) and pd.notna(region.iloc[0]):
            found |= set(communities.loc[communities.region == region.iloc[0], "community_id"])
    return found


def for_programme(data: Dataset, programme: str | None) -> Dataset:
    """One programme's projects, the tables keyed by them, its rounds, communities and
    panel rows. ``None`` keeps everything."""
    if programme is None or data.projects is None:
        return data
    projects = data.projects[data.projects.programme_id == programme]
    tables = _with_projects(data, projects)
    if data.rounds is not None:
        tables["rounds"] = data.rounds[data.rounds.programme_id == programme]
    if data.programmes is not None:
        tables["programmes"] = data.programmes[data.programmes.programme_id == programme]
    places = programme_communities(data, programme)
    if data.communities is not None:
        tables["communities"] = data.communities[data.communities.community_id.isin(places)]
    if data.panel is not None:
        tables["panel"] = data.panel[data.panel.community_id.isin(places)]
    for name in ("published", *PROGRAMME_TABLES):
        frame = data.tables.get(name)
        if frame is not None and "programme_id" in frame:
            tables[name] = frame[frame.programme_id == programme]
    funds = tables.get("community_funds")
    flows = data.tables.get("fund_flows")
    if funds is not None and flows is not None and "fund_id" in flows:
        tables["fund_flows"] = flows[flows.fund_id.isin(set(funds.fund_id))]
    return _replace(data, **tables)


def rounds_of_year(data: Dataset, programme: str, year: int) -> list[int]:
    """The rounds of ``programme`` that ran in ``year`` (by the rounds table; a programme
    without one is taken to number its rounds by year)."""
    rounds = data.rounds
    if rounds is None or "year" not in rounds:
        return [year]
    chosen = rounds[(rounds.programme_id == programme) & (rounds.year == year)]
    return sorted(int(r) for r in chosen["round"])


def for_rounds(data: Dataset, programme: str | None, rounds: Iterable[int]) -> Dataset:
    """One programme's data limited to the given rounds (projects and everything keyed by
    them, the rounds table)."""
    data = for_programme(data, programme)
    rounds = set(rounds)
    if data.projects is None:
        return data
    projects = data.projects[data.projects["round"].isin(rounds)]
    tables = _with_projects(data, projects)
    if data.rounds is not None:
        tables["rounds"] = data.rounds[data.rounds["round"].isin(rounds)]
    for name in ROUND_TABLES:
        frame = data.tables.get(name)
        if frame is not None and "round" in frame:
            tables[name] = frame[frame["round"].isin(rounds) | frame["round"].isna()]
    return _replace(data, **tables)


def for_year(data: Dataset, programme: str, year: int, cumulative: bool = False) -> Dataset:
    """The rounds of ``year`` (``cumulative``: every round up to and including it), with
    follow-ups and panel years no later than ``year``: what an annual report of that year
    may show."""
    data = for_programme(data, programme)
    if data.rounds is not None and "year" in data.rounds:
        years = data.rounds.set_index("round")["year"]
        wanted = years[(years <= year) if cumulative else (years == year)].index
    else:
        wanted = [year]
    data = for_rounds(data, programme, wanted)
    tables = {}
    if data.followups is not None and "year" in data.followups:
        tables["followups"] = data.followups[data.followups.year <= year]
    if data.panel is not None and "year" in data.panel:
        tables["panel"] = data.panel[data.panel.year <= year]
    flows = data.tables.get("fund_flows")
    if flows is not None and "date" in flows:
        dates = pd.to_datetime(flows.date, errors="coerce")
        tables["fund_flows"] = flows[dates.isna() | (dates.dt.year <= year)]
    return _replace(data, **tables)


def midterm_date(data: Dataset, programme: str, round_no: int) -> pd.Timestamp | None:
    rounds = data.rounds
    if rounds is None or "midterm_date" not in rounds:
        return None
    row = rounds[(rounds.programme_id == programme) & (rounds["round"] == round_no)]
    if not len(row) or pd.isna(row.midterm_date.iloc[0]):
        return None
    return pd.Timestamp(row.midterm_date.iloc[0])


def as_of_midterm(data: Dataset, programme: str, round_no: int) -> Dataset:
    """What was known at the mid-term of ``round_no``: rounds (of any programme) that had
    started by then, final indicator values only of rounds that had ended, follow-ups and
    panel years before the mid-term's year, and the current round's projects still in
    implementation (a later "completed" or "withdrawn" is not yet known).

    Without dates, rounds up to ``round_no`` of this programme are kept."""
    if data.projects is None:
        return data
    when = midterm_date(data, programme, round_no)
    projects = data.projects
    rounds = data.rounds
    if when is None or rounds is None:
        same = projects.programme_id == programme
        keep = ~same | (projects["round"] <= round_no)
        ended_rounds = None
        year = None
    else:
        start = pd.to_datetime(rounds.get("start_date", rounds.get("call_date")))
        started = rounds[start.isna() | (start <= when)]
        end = pd.to_datetime(rounds.get("end_date"))
        ended_rounds = set(_keys(rounds[end < when]))
        known = set(_keys(started))
        known.add((programme, round_no))
        keep = pd.Series(
            [key in known for key in _keys(projects)],
            index=projects.index,
        )
        year = when.year
    projects = projects[keep].copy()
    current = (projects.programme_id == programme) & (projects["round"] == round_no)
    if "stage" in projects:
        later = current & projects.stage.isin(["completed", "withdrawn"])
        projects["stage"] = projects.stage.astype(object).where(~later, "signed")
    tables = _with_projects(data, projects)
    indicators = tables.get("indicators")
    if indicators is not None and "period" in indicators:
        if ended_rounds is None:
            open_ids = set(projects.project_id[current])
        else:
            open_ids = {
                pid
                for pid, key in zip(projects.project_id, _keys(projects), strict=True)
                if key not in ended_rounds
            }
        final = (indicators.period == "final") & indicators.project_id.isin(open_ids)
        tables["indicators"] = indicators[~final]
    if year is not None:
        if tables.get("followups") is not None and "year" in tables["followups"]:
            tables["followups"] = tables["followups"][tables["followups"].year < year]
        if data.panel is not None and "year" in data.panel:
            tables["panel"] = data.panel[data.panel.year < year]
    if rounds is not None:
        kept = set(_keys(projects)) | {(programme, round_no)}
        tables["rounds"] = rounds[[key in kept for key in _keys(rounds)]]
    return _replace(data, **tables)
