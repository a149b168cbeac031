"""Project lines across rounds: which project continues which, and how long each lasted.

A project's *line* (lineage) is the chain of projects linked by ``predecessor_id`` across
rounds of one programme. Its duration is the number of rounds it was funded; it *ended* if
the programme ran a later round without it, and is *censored* if it is still funded in the
programme's latest round.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd

from ..dataset import Dataset, funded_projects
from ..results import check_columns

TITLE_SIMILARITY = 0.8  # difflib ratio above which two titles name the same project
LOW_PROGRESS = 0.4  # mid-term progress below this share of plan counts as lagging
_PHASE = re.compile(r"[（(]第?[0-9一二三四五六七八九十]+期[）)]$")


# ---------------------------------------------------------------------------- lineages


def _base_title(title) -> str:
    return _PHASE.sub("", str(title or "")).strip()


def infer_predecessors(projects: pd.DataFrame) -> pd.Series:
    """Predecessors for funded projects that have none, by the documented matching rule.

    A funded project of the previous round of the same programme, in the same community,
    by the same type of applicant, whose title (without a "（第2期）" suffix) is at least
    80% similar (``difflib`` ratio), and that no other project continues. The best match
    wins.

    Parameters
    ----------
    projects
        The projects table of a :class:`~impact.dataset.Dataset`.

    Returns
    -------
    pandas.Series
        The inferred ``predecessor_id`` per project (missing where none), on the
        projects' index.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> guessed = infer_predecessors(data.projects)
    >>> len(guessed) == len(data.projects)
    True
    """
    funded = funded_projects(projects)
    needed = ["project_id", "programme_id", "round", "community_id", "title"]
    if any(c not in funded for c in needed):
        return pd.Series(pd.NA, index=projects.index, dtype="object")
    has_link = funded.get("predecessor_id", pd.Series(pd.NA, index=funded.index)).notna()
    taken = set(funded.loc[has_link, "predecessor_id"]) if "predecessor_id" in funded else set()
    inferred = pd.Series(pd.NA, index=projects.index, dtype="object")
    keys = ["programme_id", "community_id"] + (
        ["applicant_type"] if "applicant_type" in funded else []
    )
    # Plain Python over the rows (pandas indexing per row cost ~0.4 s a report): the
    # projects of each place and round in table order; a place with a missing key matches
    # nothing.
    columns = [funded[k].tolist() for k in keys]
    places: dict[tuple, list[tuple[object, str]]] = {}
    for position, (project_id, round_, title) in enumerate(
        zip(
            funded.project_id.tolist(), funded["round"].tolist(), funded.title.tolist(), strict=True
        )
    ):
        place = tuple(column[position] for column in columns)
        if not any(pd.isna(v) for v in place) and not pd.isna(round_):
            places.setdefault((place, round_), []).append((project_id, _base_title(title)))
    unlinked = funded.assign(_position=np.arange(len(funded)))[~has_link.to_numpy()]
    for index, i in unlinked.sort_values("round")["_position"].items():
        place, round_ = tuple(column[i] for column in columns), funded["round"].iat[i]
        if any(pd.isna(v) for v in place) or pd.isna(round_):
            continue
        title = _base_title(funded.title.iat[i])
        best, best_score = None, TITLE_SIMILARITY
        for candidate, candidate_title in places.get((place, round_ - 1), ()):
            if candidate in taken:
                continue
            score = difflib.SequenceMatcher(None, title, candidate_title).ratio()
            if score >= best_score:
                best, best_score = candidate, score
        if best is not None:
            inferred.loc[index] = best
            taken.add(best)
    return inferred


def project_rounds(data: Dataset, infer: bool = True) -> pd.DataFrame:
    """One row per funded project-round, with whether its line ended after that round.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    infer
        Link projects that name no predecessor by :func:`infer_predecessors`.

    Returns
    -------
    pandas.DataFrame
        project_id, programme_id, round, lineage_id, phase (1 for a line's first round),
        continued (a later project names it as predecessor), ended (1 if the programme ran
        a later round and the line did not continue; 0 if it continued; missing in the
        programme's latest round, which is censored), inferred_link, and the project's own
        columns (application_type, team_size …), plus midterm_progress and low_midterm
        where indicators are present. The input of :func:`round_hazard`.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> rounds = project_rounds(data)
    >>> sorted(rounds.ended.dropna().unique().tolist())
    [0.0, 1.0]
    """
    data.require("projects")
    projects = data.projects
    check_columns(projects, "project_id", "programme_id", "round", "grant_yuan")
    funded = funded_projects(projects).copy()
    links = funded.get("predecessor_id", pd.Series(pd.NA, index=funded.index)).astype(object)
    funded["inferred_link"] = False
    if infer:
        guessed = infer_predecessors(projects).loc[funded.index]
        use = links.isna() & guessed.notna()
        links = links.where(~use, guessed)
        funded["inferred_link"] = use.to_numpy()
    funded["predecessor_id"] = links.where(links.isin(set(funded.project_id)))
    parent = dict(zip(funded.project_id, funded.predecessor_id, strict=True))

    def root(project_id):
        seen = 0
        while isinstance(parent.get(project_id), str) and seen < 1000:
            project_id, seen = parent[project_id], seen + 1
        return project_id

    funded["lineage_id"] = funded.project_id.map(root)
    funded = funded.sort_values(["lineage_id", "round"])
    funded["phase"] = funded.groupby("lineage_id").cumcount() + 1
    funded["continued"] = funded.project_id.isin(set(funded.predecessor_id.dropna()))
    latest = projects.groupby("programme_id", observed=True)["round"].max()
    last_round = funded.programme_id.map(latest).astype(float)
    funded["ended"] = np.where(
        funded["round"].astype(float) >= last_round, np.nan, (~funded.continued).astype(float)
    )
    funded["line_inferred"] = funded.groupby("lineage_id").inferred_link.transform("any")
    if data.indicators is not None:
        progress = midterm_progress(data)
        funded["midterm_progress"] = funded.project_id.map(progress)
        funded["low_midterm"] = (
            (funded.midterm_progress < LOW_PROGRESS)
            .astype(float)
            .where(funded.midterm_progress.notna())
        )
    return funded.reset_index(drop=True)


def lineages(data: Dataset, infer: bool = True) -> pd.DataFrame:
    """One row per project line: duration in rounds and whether it ended (else censored).

    Covariates are those of the line's first project (baseline). ``inferred`` marks lines
    joined by the fallback rule of :func:`infer_predecessors` rather than by data.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    infer
        Link projects that name no predecessor by :func:`infer_predecessors`.

    Returns
    -------
    pandas.DataFrame
        lineage_id, duration_rounds, ended (1 or 0), last_round, inferred and the first
        project's columns: the input of :func:`kaplan_meier` and :func:`cox`.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> lines = lineages(data)
    >>> fit = kaplan_meier(lines, duration="duration_rounds", event="ended")
    >>> int(fit.medians.n.iloc[0]) == len(lines)
    True
    """
    rounds = project_rounds(data, infer=infer)
    first = rounds.groupby("lineage_id").head(1).set_index("lineage_id")
    last = rounds.groupby("lineage_id").tail(1).set_index("lineage_id")
    table = first.drop(columns=["ended", "phase", "continued", "project_id"])
    table.insert(0, "duration_rounds", rounds.groupby("lineage_id").size())
    table.insert(1, "ended", last.ended.fillna(0).astype(int))
    table.insert(2, "last_round", last["round"])
    table.insert(3, "inferred", rounds.groupby("lineage_id").inferred_link.any())
    return table.reset_index()


def midterm_progress(data: Dataset) -> pd.Series:
    """Per project: the median over its indicators of mid-term value ÷ plan.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with indicators in long form (a
        ``period`` of ``plan`` and ``midterm``).

    Returns
    -------
    pandas.Series
        The share of plan reached at mid-term, by ``project_id`` (empty without plans or
        mid-term values).

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> progress = midterm_progress(data)
    >>> bool(progress.between(0, 5).all())
    True
    """
    indicators = data.indicators
    check_columns(indicators, "project_id", "indicator", "period", "value")
    wide = indicators.pivot_table(
        index=["project_id", "indicator"],
        columns="period",
        values="value",
        aggfunc="sum",
        observed=True,
    )
    if not {"plan", "midterm"} <= set(wide.columns):
        return pd.Series(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = (wide["midterm"] / wide["plan"]).replace([np.inf, -np.inf], np.nan)
    return share.groupby(level="project_id").median()
