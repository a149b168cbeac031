"""Leverage (撬动) and cost: resources brought in per seed yuan, and yuan per output.

Definitions (DOMAIN.md, "Measures the workbench must define precisely"):

- **leverage ratio** (net leverage) of a set of projects: total leveraged resources ÷ total
  seed grant, a *ratio of sums*. The mean of per-project ratios is reported beside it: it
  weights a 2,000-yuan project like a 50,000-yuan one and is pulled up by small grants.
- **resource multiplier** (gross leverage): (grant + leveraged) ÷ grant = 1 + leverage.
- **match share**: matched funds ÷ all leveraged resources.
- **co-funding leverage** of an organiser: money from other funders ÷ public money.
- **cost per output**: yuan paid ÷ person-times served, ÷ activities, ÷ volunteer person-times.

Intervals resample whole clusters (communities, rounds), see :mod:`impact.resample`.
Every function takes a plain DataFrame and column names; ``dataset_leverage`` knows the
workbench's own tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .dataset import Dataset, project_outputs, stage_reached
from .errors import EstimationError
from .inputs import (
    InputError,
    Note,
    Notes,
    amounts,
    clusters,
    covariates_as_given,
    drop_missing,
    require_columns,
)
from .keys import positions
from .resample import METHODS, cluster_totals, ratio_interval
from .results import ModelResult, Result, axes, check_ci, check_columns, model_table
from .robust import poisson_cr2
from .schema import FUNNEL_STAGES

__all__ = [
    "leverage_ratio",
    "dataset_leverage",
    "project_resources",
    "project_outputs",
    "records_leverage",
    "grant_lines",
    "compare_leverage",
    "reference_group",
    "cost_per_output",
    "funnel",
    "dataset_funnel",
    "funnel_from_counts",
    "cofunding_leverage",
    "dataset_cofunding",
    "fund_donation_share",
    "sroi",
    "LeverageResult",
    "CostResult",
    "FunnelResult",
    "CofundingResult",
    "FundDonationResult",
    "SroiResult",
    "CASH_SOURCES",
    "IN_KIND_SOURCES",
    "VOLUNTEER_SOURCES",
    "RESOURCE_KINDS",
    "SMALL_CELL",
]

SMALL_CELL = 5  # fewer projects than this: the estimate is flagged, not shown as precise

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

    Funding lines are used when present; otherwise the projects' own ``leveraged_yuan``
    total is taken as cash-or-unknown (blank stays missing). The grant is the project's
    ``grant_yuan``, or the sum of its seed-grant lines where that is blank; the
    organiser's own money (``part_of_grant``) is grant, never leverage.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with a projects table (and, if any,
        funding lines).

    Returns
    -------
    pandas.DataFrame
        ``project_id``, ``programme_id``, ``round``, ``grant_yuan``, ``match_yuan`` (the
        matched funds among the cash), ``leveraged_cash_yuan``,
        ``leveraged_in_kind_yuan``, ``leveraged_volunteer_yuan`` and ``leveraged_yuan``
        (their sum). It is the step before :func:`leverage_ratio` on a Dataset's
        projects (what :func:`dataset_leverage` does).

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> resources = project_resources(data)
    >>> funded = resources[resources.grant_yuan > 0]
    >>> float(funded.leveraged_yuan.sum() / funded.grant_yuan.sum()) > 1
    True
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
    match_yuan: np.ndarray | float = 0.0
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

        # the organiser's own money (a foundation and public finance sharing the seed grant)
        # is the grant, not leverage
        seed = (source == "seed_grant") | _part_of_grant(funding)
        volunteer = np.isin(source, VOLUNTEER_SOURCES) & ~seed
        in_kind = (np.isin(source, IN_KIND_SOURCES) | in_kind_form) & ~volunteer & ~seed
        cash = np.isin(source, CASH_SOURCES) & ~in_kind & ~volunteer & ~seed
        match_yuan = total(source == "match")
        parts = {
            "leveraged_cash_yuan": total(cash),
            "leveraged_in_kind_yuan": total(in_kind),
            "leveraged_volunteer_yuan": total(volunteer),
        }
        seed_lines = total(seed)
        has_seed_line = np.bincount(position[known & seed], minlength=len(projects)) > 0
        grant = grant.where(grant.notna() | ~has_seed_line, seed_lines)
    elif "leveraged_yuan" in projects:
        parts["leveraged_cash_yuan"] = projects.leveraged_yuan.astype("float64").fillna(0.0)
    result["grant_yuan"] = grant.to_numpy()
    result["match_yuan"] = match_yuan
    for name, values in parts.items():
        result[name] = values
    result["leveraged_yuan"] = (
        result.leveraged_cash_yuan + result.leveraged_in_kind_yuan + result.leveraged_volunteer_yuan
    )
    return result


def records_leverage(data: Dataset) -> bool:
    """Whether a data set records leveraged resources at all: funding lines other than
    the organiser's own seed money, or a project ``leveraged_yuan`` total. Without
    either, leverage is not recorded: missing, never 0.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.

    Returns
    -------
    bool
        True where some leveraged resource is recorded.

    Examples
    --------
    >>> import impact
    >>> records_leverage(impact.load("data/sample"))  # doctest: +SKIP
    True
    """
    funding = data.funding
    if funding is not None and len(funding):
        own = funding.source.astype(str).eq("seed_grant") | _part_of_grant(funding)
        if (~own).any():
            return True
    projects = data.projects
    return bool(
        projects is not None
        and "leveraged_yuan" in projects
        and projects.leveraged_yuan.notna().any()
    )


def grant_lines(funding: pd.DataFrame) -> pd.Series:
    """Which funding lines are the organiser's own seed money: ``seed_grant`` lines and the
    lines of a seed grant its funders shared (``part_of_grant``: a foundation and public
    finance), which are the grant, not leverage.

    Parameters
    ----------
    funding
        The ``funding`` table (``source``, optionally ``part_of_grant``).

    Returns
    -------
    pandas.Series of bool
        True for each line of the organiser's money, indexed as ``funding``.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> own = grant_lines(data.funding)
    >>> bool(own.any()), bool((~own).any())   # seed grants, and money brought in
    (True, True)
    """
    own = funding["source"].astype(str).eq("seed_grant")
    return own | pd.Series(_part_of_grant(funding), index=funding.index)


def _part_of_grant(funding: pd.DataFrame) -> np.ndarray:
    if "part_of_grant" not in funding:
        return np.zeros(len(funding), bool)
    return funding["part_of_grant"].fillna(False).to_numpy(bool)


def _as_list(columns: str | Sequence[str]) -> list[str]:
    return [columns] if isinstance(columns, str) else list(columns)


@dataclass(frozen=True, repr=False)
class LeverageResult(Result):
    """Leverage per group: ratio of sums with its bootstrap interval, the multiplier, the
    mean of ratios and (if asked) the match share. ``draws`` holds the bootstrap
    replicates of each group's ratio (one column per group) when ``keep_draws=True`` was
    asked, with the seed in ``draws.attrs["seed"]`` and ``inputs["seed"]``."""

    draws: pd.DataFrame | None = None

    def plot(self, ax=None):
        """Each group's leverage with its interval; groups named by every level of
        ``by``."""
        ax = axes(ax)
        table = self.table
        shown = table  # a group without an estimate keeps its line, empty
        labels = group_labels(shown.index) if self.inputs.get("by") else ["all"] * len(shown)
        y = np.arange(len(shown))
        level = self.inputs.get("ci", 0.95)
        value = shown.leverage.to_numpy(dtype=float)
        low, high = shown.ci_low.to_numpy(dtype=float), shown.ci_high.to_numpy(dtype=float)
        ax.errorbar(
            value,
            y,
            xerr=np.vstack([value - low, high - value]),  # arrays: pandas Series warn inside
            fmt="o",
            capsize=3,
            label=f"leverage, {level:.0%} interval",
        )
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        ax.set_xlabel(f"leveraged yuan per seed yuan ({level:.0%} interval)")
        ax.axvline(0, color="grey", linewidth=0.5)
        return ax


def group_labels(index: pd.Index) -> list[str]:
    """One label per group with every level of a (multi-)index: ``"lishui / matched"``."""
    return [" / ".join(map(str, key)) if isinstance(key, tuple) else str(key) for key in index]


def leverage_ratio(
    df: pd.DataFrame,
    *,
    leveraged: str | Sequence[str],
    grant: str,
    by: str | Sequence[str] | None = None,
    cluster: str | None = None,
    match: str | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    method: str = "studentized",
    seed: int = 0,
    min_projects: int = SMALL_CELL,
    keep_draws: bool = False,
) -> LeverageResult:
    """Leverage ratio of sums, with a (cluster) bootstrap confidence interval.

    Leverage of a set of projects is Σ leveraged ÷ Σ seed grant (a ratio of sums; the mean
    of per-project ratios is shown beside it). Amounts are read as the loader reads an
    office's spreadsheet (``2,000``, ``1.2万``, ``2000元``); see :mod:`impact.inputs`.

    Parameters
    ----------
    df
        One row per project.
    leveraged
        Column(s) of leveraged resources in yuan; several are added up (e.g. cash, in-kind
        and valued volunteer time kept apart in the data and combined here). A project
        missing any of them (blank, ``n/a``, NaN) is left out and counted in the notes,
        never read as 0; a group with none recorded has a missing leverage, not 0.
    grant
        Column of seed grants in yuan. Projects with a zero grant are left out and
        counted in the notes; a group with no funded project stays in the table with a
        missing leverage and says why. A negative amount is refused.
    by
        Column(s) to estimate within (tier, application type …).
    cluster
        Column whose values are resampled as wholes (community, round). None resamples
        projects, which understates uncertainty when projects share a community. One
        cluster is refused; fewer than 10 are noted.
    match
        Column of matched funds, for the match share.
    n_boot
        Bootstrap replicates.
    ci
        Confidence level, strictly between 0 and 1.
    method
        The interval: ``"studentized"`` (the default: a bootstrap-t on the log ratio with a
        small-sample expanded level that holds 95% with 12 to 60 communities, see
        :mod:`impact.resample`), ``"bca"`` or ``"percentile"``.
    seed
        Seed of the bootstrap, recorded in ``inputs``.
    min_projects
        Groups with fewer funded projects are flagged ``small``.
    keep_draws
        Keep the bootstrap replicates in ``result.draws``.

    Returns
    -------
    LeverageResult
        ``table`` indexed by group: n, n_clusters, grant_yuan, leveraged_yuan, leverage,
        ci_low, ci_high, se, multiplier, mean_of_ratios, match_share, small (fewer than
        ``min_projects`` projects, 5 by default: a flag reports turn into words);
        ``notes`` say what was left out and why.

    Examples
    --------
    >>> import pandas as pd
    >>> projects = pd.DataFrame({"grant_yuan": ["10,000", "1.2万", "8000元"],
    ...                          "leveraged_yuan": [5000, 12000, 0]})
    >>> result = leverage_ratio(projects, leveraged="leveraged_yuan", grant="grant_yuan",
    ...                         n_boot=200)
    >>> round(float(result.table.leverage.iloc[0]), 4)   # 17,000 ÷ 30,000
    0.5667
    """
    function = "leverage_ratio"
    leveraged = _as_list(leveraged)
    ci = check_ci(ci)
    groups = [] if by is None else _as_list(by)
    require_columns(
        df, function, leveraged=leveraged, grant=grant, by=groups, cluster=cluster, match=match
    )
    notes = Notes()
    frame = pd.DataFrame(index=df.index)
    for g in groups:
        frame[g] = df[g]
    if cluster:
        frame[cluster] = df[cluster]
    frame[grant] = amounts(df, grant, argument="grant", function=function, notes=notes)
    for column in leveraged:
        frame[column] = amounts(df, column, argument="leveraged", function=function, notes=notes)
    if match:
        frame["_match"] = amounts(df, match, argument="match", function=function, notes=notes)
    if not (frame[grant] > 0).any():
        raise InputError(
            f"{function}(grant=...): no row has a positive {grant!r}: no funded project to measure",
            argument="grant",
            column=grant,
        )
    if method not in METHODS:
        raise EstimationError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    # Every group in the data keeps its row, with the reason when it has no estimate.
    all_groups = _group_keys(frame, groups)
    funded_groups = set(_group_keys(frame[frame[grant].fillna(0) > 0], groups))
    unfunded = frame[grant].notna() & (frame[grant] <= 0)
    if unfunded.any():
        notes.add(
            "no_grant",
            f"{int(unfunded.sum())} project(s) with a zero seed grant in {grant!r} left out "
            "(leverage is per seed yuan)",
            column=grant,
            count=int(unfunded.sum()),
        )
    frame = frame[~unfunded]
    nothing = bool(frame[leveraged].isna().all(axis=None)) if len(frame) else True
    needed = [grant, *groups, cluster] + ([] if nothing else leveraged)
    frame = drop_missing(frame, needed, notes, unit="project")
    if nothing:
        notes.add(
            "not_recorded",
            f"no leveraged resources are recorded in {', '.join(map(repr, leveraged))}: "
            "leverage is missing (not recorded), not 0",
            columns=leveraged,
        )
    if cluster and len(frame):
        clusters(
            frame[cluster],
            function=function,
            notes=notes,
            one="note",
            alternative="read the interval as rough, or compare groups with "
            "compare_leverage, whose CR2 interval with t degrees of freedom is built for "
            "few clusters",
        )
    rng = np.random.default_rng(seed)
    total = frame[leveraged].sum(axis=1)
    rows, draws = [], {}
    for key in all_groups:
        part = _group_part(frame, groups, key)
        row = dict(zip(groups, key, strict=True))
        label = " / ".join(map(str, key)) if groups else "all"
        if part.empty or nothing:
            if groups and not nothing:
                reason = "no_grant" if key not in funded_groups else "not_recorded"
                notes.add(
                    "group_without_estimate",
                    f"{label}: "
                    + (
                        "no project with a positive seed grant"
                        if reason == "no_grant"
                        else "no project with its leveraged resources recorded"
                    )
                    + "; its leverage is missing",
                    group=label,
                    reason=reason,
                )
            rows.append(row | _empty_row(match) | {"n": len(part), "grant_yuan": part[grant].sum()})
            continue
        numerator = total.loc[part.index].to_numpy(float)
        denominator = part[grant].to_numpy(float)
        cluster_values = part[cluster].to_numpy() if cluster else None
        interval = ratio_interval(
            *cluster_totals(numerator, denominator, cluster_values),
            n_boot=n_boot,
            ci=ci,
            method=method,
            rng=rng,
        )
        if keep_draws and interval.draws is not None:
            draws[label] = interval.draws
        row |= {
            "n": len(part),
            "n_clusters": interval.n_clusters,
            "grant_yuan": denominator.sum(),
            "leveraged_yuan": numerator.sum(),
            "leverage": interval.estimate,
            "ci_low": interval.ci_low,
            "ci_high": interval.ci_high,
            "se": interval.se,
            "multiplier": 1 + interval.estimate,
            "mean_of_ratios": float(np.mean(numerator / denominator)),
        }
        if match:
            matched = part["_match"].fillna(0).sum()
            row["match_share"] = matched / numerator.sum() if numerator.sum() > 0 else np.nan
        row["small"] = len(part) < min_projects
        rows.append(row)
    table = pd.DataFrame(rows)
    if not match and "match_share" in table:
        table = table.drop(columns="match_share")
    table["small"] = table["small"].fillna(True).astype(bool)
    if groups:
        table = table.set_index(groups)
    if table.small.any() and not nothing:
        notes.add(
            "small_groups",
            f"groups with fewer than {min_projects} projects are flagged 'small': "
            "their intervals are wide or unreliable",
            minimum=min_projects,
        )
    kept = None
    if keep_draws:
        kept = pd.DataFrame({k: pd.Series(v) for k, v in draws.items()})
        kept.attrs["seed"] = seed
        kept.attrs["method"] = method
    return LeverageResult(
        table,
        title="Leverage ratio (leveraged ÷ seed grant, ratio of sums)",
        inputs={
            "n": int(table["n"].fillna(0).sum()),
            "excluded": int(len(df) - table["n"].fillna(0).sum()),
            "leveraged": leveraged,
            "grant": grant,
            "by": groups or None,
            "cluster": cluster,
            "n_clusters": int(frame[cluster].nunique()) if cluster else None,
            "n_boot": n_boot,
            "ci": ci,
            "method": method,
            "seed": seed,
            "min_projects": min_projects,
        },
        notes=tuple(notes),
        draws=kept,
    )


def _group_keys(frame: pd.DataFrame, groups: list[str]) -> list[tuple]:
    """Every group of ``frame`` as a tuple, sorted; ``[()]`` without groups."""
    if not groups:
        return [()]
    keys = frame[groups].dropna().drop_duplicates()
    keys = keys.sort_values(groups) if len(keys) else keys
    return [tuple(row) for row in keys.itertuples(index=False)]


def _group_part(frame: pd.DataFrame, groups: list[str], key: tuple) -> pd.DataFrame:
    if not groups:
        return frame
    mask = np.ones(len(frame), bool)
    for column, value in zip(groups, key, strict=True):
        mask &= (frame[column] == value).to_numpy()
    return frame[mask]


def _empty_row(match: str | None) -> dict:
    row = {
        "n": 0,
        "n_clusters": 0,
        "grant_yuan": 0.0,
        "leveraged_yuan": np.nan,
        "leverage": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "se": np.nan,
        "multiplier": np.nan,
        "mean_of_ratios": np.nan,
        "small": True,
    }
    if match:
        row["match_share"] = np.nan
    return row


#: Kinds of leveraged resources in :func:`project_resources`, by name.
RESOURCE_KINDS = {
    "cash": "leveraged_cash_yuan",
    "in_kind": "leveraged_in_kind_yuan",
    "volunteer": "leveraged_volunteer_yuan",
}


def dataset_leverage(
    data: Dataset,
    *,
    by: str | Sequence[str] | None = None,
    kinds: Sequence[str] = ("cash", "in_kind", "volunteer"),
    cluster: str | None = "community_id",
    **options,
) -> LeverageResult:
    """:func:`leverage_ratio` on a :class:`~impact.dataset.Dataset`: funded projects (a
    positive seed grant), their leveraged resources of the chosen ``kinds``, grouped
    ``by`` any project column, resampling communities.

    A data set that records no leveraged resources at all (no funding line from anyone
    but the organiser, no ``leveraged_yuan``) gets a missing leverage with a note, not 0.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    by
        Project column(s) to estimate within (``application_type``, ``programme_id`` …).
    kinds
        Which leveraged resources count: ``"cash"``, ``"in_kind"``, ``"volunteer"``.
    cluster
        Project column resampled as wholes (communities by default; dropped when the
        projects have no such column).
    **options
        Passed to :func:`leverage_ratio` (``n_boot``, ``ci``, ``method``, ``seed``,
        ``min_projects``, ``keep_draws``).

    Returns
    -------
    LeverageResult
        As :func:`leverage_ratio`; ``notes`` also count the projects not funded.

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> result = dataset_leverage(data, by="application_type", n_boot=200)
    >>> list(result.table.index)
    ['standard', 'matched']
    """
    unknown = [k for k in kinds if k not in RESOURCE_KINDS]
    if unknown:
        raise EstimationError(f"unknown kind(s) {unknown}; kinds are {list(RESOURCE_KINDS)}")
    resources = project_resources(data)
    if not (resources.grant_yuan.fillna(0) > 0).any():
        raise EstimationError(
            "no project has a seed grant (as in a partnership scheme): leverage per seed yuan "
            "is undefined; see project_resources for what the projects brought in and "
            "fund_donation_share for what they gave back"
        )
    frame = data.projects.drop(columns=["grant_yuan", "leveraged_yuan"], errors="ignore")
    frame = frame.join(resources[["grant_yuan", "match_yuan", *RESOURCE_KINDS.values()]])
    if not records_leverage(data):  # nothing recorded is not 0
        frame[list(RESOURCE_KINDS.values())] = np.nan
    if cluster and cluster not in frame:
        cluster = None
    funded = frame.grant_yuan.fillna(0) > 0  # the workbench's one rule (funded_projects)
    result = leverage_ratio(
        frame[funded],
        leveraged=[RESOURCE_KINDS[k] for k in kinds],
        grant="grant_yuan",
        by=by,
        cluster=cluster,
        match="match_yuan",
        **options,
    )
    if (~funded).any():
        unfunded = Note(
            "not_funded",
            f"{int((~funded).sum())} of {len(frame)} projects had no seed grant (not funded) "
            "and are not in the ratio",
            count=int((~funded).sum()),
            total=len(frame),
        )
        excluded = result.inputs["excluded"] + unfunded.values["count"]
        result = replace(
            result, notes=(unfunded, *result.notes), inputs=result.inputs | {"excluded": excluded}
        )
    return result


@dataclass(frozen=True, repr=False)
class CofundingResult(Result):
    """Money from other funders per yuan of public money, per group."""

    def plot(self, ax=None):
        ax = axes(ax)
        table = self.table.reset_index()
        ax.barh(table.iloc[:, 0].astype(str), table.cofunding_leverage)
        ax.set_xlabel("other funders' yuan per public yuan")
        return ax


def cofunding_leverage(
    df: pd.DataFrame, *, other: str, public: str, by: str | None = None
) -> CofundingResult:
    """Money from other funders ÷ public money, a ratio of sums per group.

    Hongshan: a foundation paid 60% and public finance 40%, so 60 ÷ 40 = 1.5. Amounts are
    read as the loader reads them; rows missing either are left out and counted.

    Parameters
    ----------
    df
        One row per funding line or project.
    other
        Column of yuan from funders other than public finance.
    public
        Column of yuan of public money.
    by
        Column to compute within.

    Returns
    -------
    CofundingResult
        ``table``: other_yuan, public_yuan, cofunding_leverage per group.

    Examples
    --------
    >>> lines = pd.DataFrame({"foundation": ["60万"], "public": [400_000]})
    >>> float(cofunding_leverage(lines, other="foundation", public="public")
    ...       .table.cofunding_leverage.iloc[0])
    1.5
    """
    function = "cofunding_leverage"
    require_columns(df, function, other=other, public=public, by=by)
    notes = Notes()
    frame = pd.DataFrame(
        {
            other: amounts(df, other, argument="other", function=function, notes=notes),
            public: amounts(df, public, argument="public", function=function, notes=notes),
        },
        index=df.index,
    )
    if by:
        frame[by] = df[by]
    df = drop_missing(frame, [other, public, by], notes, unit="row")
    grouped = df.groupby(by, observed=True) if by else None
    other_total = grouped[other].sum() if by else pd.Series({"all": df[other].sum()})
    public_total = grouped[public].sum() if by else pd.Series({"all": df[public].sum()})
    table = pd.DataFrame(
        {
            "other_yuan": other_total,
            "public_yuan": public_total,
            "cofunding_leverage": other_total / public_total,
        }
    )
    return CofundingResult(
        table,
        title="Co-funding leverage (other funders ÷ public money)",
        inputs={"n": len(df), "other": other, "public": public, "by": by},
        notes=tuple(notes),
    )


def dataset_cofunding(data: Dataset, *, by: str | None = None) -> CofundingResult:
    """Co-funding leverage of the organiser's own sources on a
    :class:`~impact.dataset.Dataset`: seed-grant lines (``part_of_grant``) from other
    funders ÷ those from public finance, per ``by`` or in all.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` with funding lines marked
        ``part_of_grant``.
    by
        Project column to compute within.

    Returns
    -------
    CofundingResult
        As :func:`cofunding_leverage`.

    Examples
    --------
    >>> hongshan = impact.load("data/programmes/hongshan")  # doctest: +SKIP
    >>> round(float(dataset_cofunding(hongshan).table.cofunding_leverage.iloc[0]), 2)
    1.5
    """
    data.require("projects", "funding")
    funding = data.funding
    own = funding[_part_of_grant(funding)]
    if own.empty:
        raise EstimationError(
            "no funding line is marked part_of_grant: the data do not say who paid the seed grants"
        )
    public = own.source.astype(object).eq("public_finance")
    frame = pd.DataFrame(
        {
            "project_id": own.project_id.astype(object),
            "other_yuan": own.amount_yuan.astype(float).where(~public, 0.0),
            "public_yuan": own.amount_yuan.astype(float).where(public, 0.0),
        }
    )
    if by:
        frame[by] = frame.project_id.map(data.projects.set_index("project_id")[by])
    return cofunding_leverage(frame, other="other_yuan", public="public_yuan", by=by)


@dataclass(frozen=True, repr=False)
class FundDonationResult(Result):
    """Service income and the share of it given to a community fund, per group."""

    def plot(self, ax=None):
        ax = axes(ax)
        table = self.table.reset_index()
        ax.barh(table.iloc[:, 0].astype(str), table.donated_share)
        ax.set_xlabel("share of service income given to the community fund")
        return ax


def fund_donation_share(data: Dataset, *, by: str | None = None) -> FundDonationResult:
    """Share of projects' service income given to a community fund (自我造血, 反哺社区).

    A ratio of sums of ``fund_donation_yuan`` ÷ ``service_income_yuan`` over the projects
    reporting income, per ``by`` (e.g. ``partner_type``) or in all. Gangwan's partners
    give 15%. This is what partners with no seed grant return, where leverage is
    undefined.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset` whose projects have
        ``service_income_yuan`` and ``fund_donation_yuan``.
    by
        Project column to compute within.

    Returns
    -------
    FundDonationResult
        ``table``: n, service_income_yuan, fund_donation_yuan, donated_share per group.

    Examples
    --------
    >>> gangwan = impact.load("data/programmes/gangwan")  # doctest: +SKIP
    >>> round(float(fund_donation_share(gangwan).table.donated_share.iloc[0]), 2)
    0.15
    """
    data.require("projects")
    check_columns(data.projects, "service_income_yuan", "fund_donation_yuan", by)
    projects = data.projects[data.projects.service_income_yuan.fillna(0) > 0]
    if projects.empty:
        raise EstimationError("no project reports service income")
    frame = pd.DataFrame(
        {
            "group": projects[by].astype(object) if by else "all",
            "income": projects.service_income_yuan.astype(float),
            "donated": projects.fund_donation_yuan.astype(float).fillna(0.0),
        }
    )
    grouped = frame.groupby("group", sort=True)
    table = pd.DataFrame(
        {
            "n": grouped.size(),
            "service_income_yuan": grouped.income.sum(),
            "fund_donation_yuan": grouped.donated.sum(),
        }
    )
    table["donated_share"] = table.fund_donation_yuan / table.service_income_yuan
    table.index.name = by or "group"
    return FundDonationResult(
        table,
        title="Service income given to the community fund",
        inputs={"n": len(projects), "by": by},
    )


@dataclass(frozen=True, repr=False)
class CostResult(Result):
    """Yuan per unit of each output, with bootstrap intervals; ``draws`` the replicates
    when ``keep_draws=True`` was asked."""

    money_columns = ("cost_per_unit", "ci_low", "ci_high")
    draws: pd.DataFrame | None = None

    def plot(self, ax=None):
        ax = axes(ax)
        table = self.table.reset_index()
        y = np.arange(len(table))
        ax.errorbar(
            table.cost_per_unit,
            y,
            xerr=[table.cost_per_unit - table.ci_low, table.ci_high - table.cost_per_unit],
            fmt="o",
            capsize=3,
        )
        ax.set_yticks(y, table.output)
        ax.set_xlabel("yuan per unit")
        return ax


def cost_per_output(
    df: pd.DataFrame,
    *,
    cost: str,
    outputs: str | Sequence[str],
    cluster: str | None = None,
    n_boot: int = 2000,
    ci: float = 0.95,
    method: str = "studentized",
    seed: int = 0,
    min_projects: int = SMALL_CELL,
    keep_draws: bool = False,
) -> CostResult:
    """Yuan paid per unit of output (person-time served, activity …), a ratio of sums with
    a (cluster) bootstrap interval per output.

    Hongshan: 686,404.16 yuan ÷ 253,537 person-times covered ≈ 2.71 yuan per person-time.
    The interval is that of :func:`leverage_ratio` (studentised by default); ``small``
    flags fewer than ``min_projects`` rows (5 by default).

    Parameters
    ----------
    df
        One row per project.
    cost
        Column of yuan paid (``2,000``, ``1.2万`` are read as the loader reads them).
    outputs
        Column(s) of output counts (person-times served, activities …). For each output,
        rows missing the cost or that output are left out and counted in the notes.
    cluster
        Column whose values are resampled as wholes (community).
    n_boot, ci, method, seed
        Replicates, level, interval method and seed, as in :func:`leverage_ratio`.
    min_projects
        Fewer rows than this are flagged ``small``.
    keep_draws
        Keep the bootstrap replicates in ``result.draws`` (one column per output).

    Returns
    -------
    CostResult
        ``table`` indexed by output: cost_yuan, units, cost_per_unit, ci_low, ci_high, n,
        small.

    Examples
    --------
    >>> import pandas as pd
    >>> paid = pd.DataFrame({"paid": ["686,404.16"], "covered": [253_537]})
    >>> round(float(cost_per_output(paid, cost="paid", outputs="covered", n_boot=0)
    ...             .table.cost_per_unit.iloc[0]), 2)
    2.71
    """
    function = "cost_per_output"
    outputs = _as_list(outputs)
    ci = check_ci(ci)
    require_columns(df, function, cost=cost, outputs=outputs, cluster=cluster)
    notes = Notes()
    rng = np.random.default_rng(seed)
    spent_all = amounts(df, cost, argument="cost", function=function, notes=notes)
    rows, draws = [], {}
    for output in outputs:
        units_all = amounts(
            df, output, argument="outputs", function=function, kind="count", notes=notes
        )
        frame = pd.DataFrame({cost: spent_all, output: units_all}, index=df.index)
        if cluster:
            frame[cluster] = df[cluster]
        frame = drop_missing(frame, [cost, output, cluster], notes, unit="project")
        if cluster and len(frame) and output == outputs[0]:
            clusters(
                frame[cluster],
                function=function,
                notes=notes,
                one="note",
                alternative="read the interval as rough",
            )
        spent = frame[cost].to_numpy(float)
        units = frame[output].to_numpy(float)
        if units.sum() <= 0:
            raise InputError(
                f"{function}(outputs=...): column {output!r} sums to 0 over the projects "
                "kept: there is no output to divide the cost by",
                argument="outputs",
                column=output,
            )
        interval = ratio_interval(
            *cluster_totals(spent, units, frame[cluster].to_numpy() if cluster else None),
            n_boot=n_boot,
            ci=ci,
            method=method,
            rng=rng,
        )
        if keep_draws and interval.draws is not None:
            draws[output] = interval.draws
        rows.append(
            {
                "output": output,
                "cost_yuan": spent.sum(),
                "units": units.sum(),
                "cost_per_unit": interval.estimate,
                "ci_low": interval.ci_low,
                "ci_high": interval.ci_high,
                "n": len(frame),
                "small": len(frame) < min_projects,
            }
        )
    kept = None
    if keep_draws:
        kept = pd.DataFrame({k: pd.Series(v) for k, v in draws.items()})
        kept.attrs["seed"] = seed
        kept.attrs["method"] = method
    return CostResult(
        pd.DataFrame(rows).set_index("output"),
        title="Cost per output (yuan)",
        inputs={
            "n": len(df),
            "cost": cost,
            "cluster": cluster,
            "n_boot": n_boot,
            "ci": ci,
            "method": method,
            "seed": seed,
            "min_projects": min_projects,
        },
        notes=tuple(notes),
        draws=kept,
    )


def compare_leverage(
    df: pd.DataFrame,
    *,
    leveraged: str | Sequence[str],
    grant: str,
    group: str,
    covariates: Sequence[str] = (),
    cluster: str | None = None,
    reference: str | None = None,
    ci: float = 0.95,
    min_projects: int = SMALL_CELL,
) -> ModelResult:
    """Relative difference in leverage between groups (matched vs standard), adjusted for
    covariates.

    The reference group is ``reference`` if given; otherwise ``standard`` where that is a
    value of ``group``; otherwise the group with the most funded projects, ties broken by
    the first name in sorting order. Never arbitrary: the same data give the same
    reference, and the output names it (title, ``inputs['reference']`` and the
    ``reference`` column). Each group term carries ``n`` (its projects), ``reference_n`` and
    ``small``: True where the group or the reference has fewer than ``min_projects``
    funded projects (5 by default), an estimate a report must not present as precise.

    Fits E[leveraged | x] = grant × exp(β0 + β·group + γ·covariates), a Poisson
    quasi-likelihood GLM with log link and log(grant) as offset (consistent for any
    non-negative outcome whose mean has this form; Santos Silva & Tenreyro 2006), with
    cluster-robust standard errors. exp(β) is the ratio of expected leverage between a
    group and the reference, so exp(β) − 1 is the relative difference.

    Interval: the small-sample "CR2" cluster-robust variance (Bell & McCaffrey 2002;
    Pustejovsky & Tipton 2018) with a working variance proportional to the squared mean
    (leverage varies multiplicatively: the same spread in ratio terms for a 2,000- and a
    50,000-yuan grant), and Student t critical values with each coefficient's
    Satterthwaite degrees of freedom (column ``df``), see :mod:`impact.robust`; without
    ``cluster`` each project is its own cluster (HC2). Why: programmes have 12 to 48
    communities, very unequal in size, and the matched projects sit in a few of them;
    the usual CR1 sandwich with normal critical values then covered the planted ratio
    in 82% of simulated programmes of the sample's design (24 communities, 4 rounds of
    15), this interval in 95.5% (400 replicates, Monte Carlo SE 1%; 96% at 12
    communities, 93% at 48 communities and 40 projects a round; docs/scaling.md). The
    degrees of freedom count how many communities really inform the comparison; with
    few, the interval is honestly wide.

    Parameters
    ----------
    df
        One row per project.
    leveraged
        Column(s) of leveraged yuan, added up; missing values are left out and counted.
    grant
        Column of seed grants in yuan (the offset); zero grants are left out and counted.
    group
        Column of the groups compared (application type …).
    covariates
        Columns adjusted for (numbers, or categories as indicators).
    cluster
        Column of clusters (community) for the CR2 variance.
    reference
        The group others are compared with (see above for the default).
    ci
        Confidence level, strictly between 0 and 1.
    min_projects
        Groups with fewer funded projects are flagged ``small``.

    Returns
    -------
    ModelResult
        One row per term: estimate (log scale), se, ci_low, ci_high, p, ``ratio``,
        ``ratio_low``, ``ratio_high`` on the leverage-ratio scale, and ``df`` (the t
        distribution's degrees of freedom behind the interval and p).

    Examples
    --------
    >>> data = impact.load("data/sample")  # doctest: +SKIP
    >>> projects = project_resources(data).join(
    ...     data.projects[["application_type", "community_id"]])
    >>> fit = compare_leverage(projects, leveraged="leveraged_yuan", grant="grant_yuan",
    ...                        group="application_type", cluster="community_id")
    >>> fit.inputs["reference"]
    'standard'
    """
    # statsmodels.api would also import time series, graphics and datasets (0.26 s)
    from scipy import stats
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.tools import add_constant

    function = "compare_leverage"
    leveraged = _as_list(leveraged)
    covariates = list(covariates)
    ci = check_ci(ci)
    require_columns(
        df,
        function,
        leveraged=leveraged,
        grant=grant,
        group=group,
        covariates=covariates,
        cluster=cluster,
    )
    notes = Notes()
    covariates_as_given(df, covariates, function=function, notes=notes)
    data = df.copy()
    data[grant] = amounts(df, grant, argument="grant", function=function, notes=notes)
    for column in leveraged:
        data[column] = amounts(df, column, argument="leveraged", function=function, notes=notes)
    unfunded = data[grant].notna() & (data[grant] <= 0)
    if unfunded.any():
        notes.add(
            "no_grant",
            f"{int(unfunded.sum())} project(s) with a zero seed grant in {grant!r} left out "
            "(leverage is per seed yuan)",
            column=grant,
            count=int(unfunded.sum()),
        )
    data = drop_missing(
        data[~unfunded], [grant, *leveraged, group, *covariates, cluster], notes, unit="project"
    )
    if cluster and len(data):
        clusters(
            data[cluster],
            function=function,
            notes=notes,
            alternative="the CR2 interval with t degrees of freedom used here allows for "
            "this, but with very few clusters it is wide and its df (column df) small",
        )
    grant_values = data[grant]
    levels = sorted(data[group].dropna().astype(str).unique())
    if len(levels) < 2:
        raise EstimationError(
            f"{group!r} needs at least two groups among funded projects; found {levels}"
        )
    sizes = data[group].dropna().astype(str).value_counts()
    if reference is None:
        reference = reference_group(sizes)
    if reference not in levels:
        raise EstimationError(f"reference {reference!r} is not a value of {group!r}: {levels}")
    outcome = data[leveraged].sum(axis=1)
    design = pd.get_dummies(
        data[group].astype(str), prefix=group, prefix_sep="=", dtype=float
    ).drop(columns=f"{group}={reference}")
    if covariates:
        design = design.join(pd.get_dummies(data[covariates], drop_first=True, dtype=float))
    design = add_constant(design, has_constant="add")
    complete = design.notna().all(axis=1) & outcome.notna()
    if cluster:
        complete &= data[cluster].notna()
    model = GLM(
        outcome[complete],
        design[complete],
        family=families.Poisson(),
        offset=np.log(grant_values.loc[data.index][complete]),
    )
    codes = (
        pd.factorize(data.loc[complete, cluster])[0] if cluster else np.arange(int(complete.sum()))
    )
    if codes.max(initial=-1) < 1:
        raise EstimationError(
            f"the funded projects are all in one {cluster!r}: a clustered interval needs "
            "at least two"
            if cluster
            else "only one funded project: no interval"
        )
    fit = model.fit()
    covariance, df = poisson_cr2(
        design[complete].to_numpy(float),
        outcome[complete].to_numpy(float),
        np.asarray(fit.fittedvalues, float),
        codes,
        variance_power=2.0,
    )
    se = np.sqrt(np.diag(covariance))
    critical = stats.t.ppf(0.5 + ci / 2, df)
    table = model_table(
        fit.params,
        se,
        fit.params - critical * se,
        fit.params + critical * se,
        2 * stats.t.sf(np.abs(fit.params / se), df),
        ratio="ratio",
    )
    table["df"] = df
    counts = data.loc[complete, group].astype(str).value_counts()
    level_of = {f"{group}={level}": level for level in levels}
    table["n"] = [counts.get(level_of[t], 0) if t in level_of else np.nan for t in table.index]
    table["reference"] = [reference if t in level_of else "" for t in table.index]
    table["reference_n"] = int(counts.get(reference, 0))
    table["small"] = [
        t in level_of and min(counts.get(level_of[t], 0), counts.get(reference, 0)) < min_projects
        for t in table.index
    ]
    notes.add(
        "ratio_meaning",
        "ratio = exp(estimate): expected leverage of the group ÷ the reference's "
        f"({group}={reference}), holding covariates fixed",
        group=group,
        reference=reference,
    )
    if table.small.any():
        notes.add(
            "small_groups",
            f"small: the group or the reference has fewer than {min_projects} projects; "
            "the comparison is too thin to read as precise",
            minimum=min_projects,
        )
    return ModelResult(
        table,
        title=f"Leverage relative to {group}={reference} (Poisson QMLE, log link, "
        f"offset log grant)",
        inputs={
            "n": int(complete.sum()),
            "group": group,
            "reference": reference,
            "covariates": covariates or None,
            "cluster": cluster,
            "ci": ci,
            "n_clusters": int(data.loc[complete, cluster].nunique()) if cluster else None,
            "min_projects": min_projects,
        },
        notes=tuple(notes),
    )


def reference_group(sizes: pd.Series) -> str:
    """The reference of a comparison from group sizes.

    Parameters
    ----------
    sizes
        Projects per group, indexed by the group's name.

    Returns
    -------
    str
        ``standard`` where present, else the largest group, ties broken by the first
        name in sorting order.

    Examples
    --------
    >>> reference_group(pd.Series({"matched": 10, "tier_a": 30, "tier_b": 30}))
    'tier_a'
    """
    if "standard" in sizes.index:
        return "standard"
    largest = sizes[sizes == sizes.max()]
    return sorted(map(str, largest.index))[0]


@dataclass(frozen=True, repr=False)
class FunnelResult(Result):
    """Projects reaching each stage and stage-to-stage conversion."""

    def plot(self, ax=None):
        ax = axes(ax)
        table = self.table.reset_index()
        ax.barh(table.stage.astype(str), table.reached)
        ax.invert_yaxis()
        ax.set_xlabel("projects reaching the stage")
        return ax


def funnel(
    df: pd.DataFrame,
    *,
    stage: str,
    by: str | None = None,
    stages: Sequence[str] = FUNNEL_STAGES,
    ci: float = 0.95,
) -> FunnelResult:
    """Counts reaching each stage and conversion from the stage before, with Wilson score
    intervals (Wilson 1927; via statsmodels' ``proportion_confint``).

    A project "reaches" every stage up to the furthest it got. A withdrawn project counts
    at the first stage only, since ``stage`` does not say how far it had got;
    :func:`dataset_funnel` counts it at its ``highest_stage`` where the data give one, which
    is what gives Hongshan's published 376 shortlisted. A blank stage is left out and
    counted in the notes.

    Hongshan: 2,336 ideas → 376 → 190 → 185, conversions 16.1%, 50.5%, 97.4%.

    Parameters
    ----------
    df
        One row per project or idea.
    stage
        Column of the furthest stage reached (one of ``stages``, or ``withdrawn``).
    by
        Column to count within.
    stages
        The funnel's stages in order.
    ci
        Confidence level of the Wilson intervals.

    Returns
    -------
    FunnelResult
        ``table`` indexed by (``by``,) stage: reached, conversion, ci_low, ci_high,
        of_first.

    Examples
    --------
    >>> ideas = pd.DataFrame({"stage": ["idea"] * 6 + ["selected"] * 3 + ["approved"]})
    >>> result = funnel(ideas, stage="stage", stages=("idea", "selected", "approved"))
    >>> result.table.reached.tolist()
    [10, 4, 1]
    """
    from statsmodels.stats.proportion import proportion_confint  # 2 s to import: only here

    require_columns(df, "funnel", stage=stage, by=by)
    notes = Notes()
    df = drop_missing(df, [stage, by], notes, unit="project")
    order = {name: rank for rank, name in enumerate(stages)}
    reached_rank = (
        df[stage].astype(object).map(lambda s: order.get(s, 0 if s == "withdrawn" else np.nan))
    )
    if reached_rank.isna().any():
        bad = sorted(set(df.loc[reached_rank.isna(), stage].astype(str)))
        raise InputError(
            f"funnel(stage=...): {stage!r} has values outside the funnel {list(stages)}: {bad}",
            argument="stage",
            column=stage,
        )
    rows = []
    parts = df.groupby(by, observed=True) if by else [(None, df)]
    for key, part in parts:
        ranks = reached_rank.loc[part.index].to_numpy()
        previous = None
        for rank, name in enumerate(stages):
            reached = int((ranks >= rank).sum())
            row = {"stage": name, "reached": reached}
            if by:
                row = {by: key} | row
            if previous:
                low, high = proportion_confint(reached, previous, alpha=1 - ci, method="wilson")
                row |= {"conversion": reached / previous, "ci_low": low, "ci_high": high}
            else:
                row |= {"conversion": np.nan, "ci_low": np.nan, "ci_high": np.nan}
            row["of_first"] = reached / len(ranks) if len(ranks) else np.nan
            rows.append(row)
            previous = reached
    table = pd.DataFrame(rows).set_index([by, "stage"] if by else "stage")
    return FunnelResult(
        table,
        title="Funnel: projects reaching each stage",
        inputs={"n": len(df), "stage": stage, "by": by, "ci": ci},
        notes=tuple(notes),
    )


def dataset_funnel(
    data: Dataset,
    *,
    by: str | None = None,
    stages: Sequence[str] = FUNNEL_STAGES,
    ci: float = 0.95,
) -> FunnelResult:
    """:func:`funnel` on a :class:`~impact.dataset.Dataset`'s projects, each counted at the
    furthest stage it reached: a withdrawn project at its ``highest_stage`` (see
    :func:`impact.dataset.stage_reached`). Use this form on a Dataset: ``funnel`` on
    ``data.projects`` counts a withdrawn project at the first stage only.

    Parameters
    ----------
    data
        A loaded :class:`~impact.dataset.Dataset`.
    by
        Project column to count within (``programme_id`` …).
    stages
        The funnel's stages in order.
    ci
        Confidence level of the Wilson intervals.

    Returns
    -------
    FunnelResult
        As :func:`funnel`.

    Examples
    --------
    >>> hongshan = impact.load("data/programmes/hongshan")  # doctest: +SKIP
    >>> dataset_funnel(hongshan).table.reached.tolist()[:4]
    [2336, 376, 190, 185]
    """
    data.require("projects")
    frame = data.projects.assign(stage_reached=stage_reached(data.projects))
    return funnel(frame, stage="stage_reached", by=by, stages=stages, ci=ci)


def funnel_from_counts(counts: dict[str, int], ci: float = 0.95) -> FunnelResult:
    """:func:`funnel` for programmes that publish only stage totals (Hongshan).

    Parameters
    ----------
    counts
        Stage name → number reaching it, in funnel order.
    ci
        Confidence level of the Wilson intervals.

    Returns
    -------
    FunnelResult
        As :func:`funnel`.

    Examples
    --------
    >>> result = funnel_from_counts({"idea": 2336, "selected": 376, "approved": 190,
    ...                              "signed": 185})
    >>> round(float(result.table.conversion["selected"]), 3)
    0.161
    """
    stages = list(counts)
    expanded = pd.DataFrame(
        {
            "stage": np.repeat(
                stages,
                [
                    counts[s] - (counts[stages[i + 1]] if i + 1 < len(stages) else 0)
                    for i, s in enumerate(stages)
                ],
            )
        }
    )
    return funnel(expanded, stage="stage", stages=stages, ci=ci)


@dataclass(frozen=True, repr=False)
class SroiResult(Result):
    """Social return on investment, year by year."""

    @property
    def ratio(self) -> float:
        return float(self.table.present_value_yuan.sum() / self.inputs["investment_yuan"])

    def plot(self, ax=None):
        ax = axes(ax)
        ax.bar(self.table.index.astype(str), self.table.present_value_yuan)
        ax.set_xlabel("year")
        ax.set_ylabel("present value (yuan)")
        return ax


def sroi(
    *,
    outcome_value_yuan: float,
    investment_yuan: float,
    deadweight: float,
    displacement: float,
    attribution: float,
    drop_off: float,
    discount_rate: float,
    years: int,
) -> SroiResult:
    """An SROI-style ratio with every judgement explicit; none has a default.

    Year-1 impact = value × (1 − deadweight) × (1 − displacement) × (1 − attribution);
    each later year keeps (1 − drop_off) of the year before; year t is discounted by
    (1 + discount_rate)^t. SROI = Σ present values ÷ investment (Nicholls et al. 2012,
    *A Guide to Social Return on Investment*).

    Parameters
    ----------
    outcome_value_yuan
        Value of the outcome in the first year, in yuan.
    investment_yuan
        What was spent, in yuan.
    deadweight, displacement, attribution, drop_off
        Shares between 0 and 1: what would have happened anyway, what was only moved
        from elsewhere, what others caused, and what fades each year.
    discount_rate
        Yearly discount rate (above −1).
    years
        Years the outcome lasts.

    Returns
    -------
    SroiResult
        ``table`` per year (impact_yuan, present_value_yuan); ``ratio``.

    Examples
    --------
    >>> result = sroi(outcome_value_yuan=100_000, investment_yuan=50_000, deadweight=0.2,
    ...               displacement=0, attribution=0.5, drop_off=0, discount_rate=0,
    ...               years=2)
    >>> result.ratio   # 2 years × 100,000 × 0.8 × 0.5 ÷ 50,000
    1.6
    """
    shares = {
        "deadweight": deadweight,
        "displacement": displacement,
        "attribution": attribution,
        "drop_off": drop_off,
    }
    for name, share in shares.items():
        if not 0 <= share <= 1:
            raise EstimationError(f"{name} must be a share between 0 and 1, not {share}")
    if investment_yuan <= 0 or years < 1 or discount_rate <= -1:
        raise EstimationError(
            "investment_yuan must be positive, years at least 1 and discount_rate above -1"
        )
    impact = outcome_value_yuan * (1 - deadweight) * (1 - displacement) * (1 - attribution)
    year = np.arange(1, years + 1)
    value = impact * (1 - drop_off) ** (year - 1)
    present = value / (1 + discount_rate) ** year
    table = pd.DataFrame(
        {"impact_yuan": value, "present_value_yuan": present}, index=pd.Index(year, name="year")
    )
    return SroiResult(
        table,
        title="SROI-style ratio",
        inputs={
            "investment_yuan": investment_yuan,
            "outcome_value_yuan": outcome_value_yuan,
            **shares,
            "discount_rate": discount_rate,
            "years": years,
        },
    )


def __dir__() -> list[str]:  # tab completion offers the public names only
    return sorted(__all__)
