"""What a year or a round achieved, in the figures an office reports to its superiors: the
money (seed grant, who paid it, what was brought in, cash and in kind, matched funds), the
projects funded and completed, the people served and the main outputs against their
targets, and the programme's own published figures with a verdict.

:func:`money` lists where the money came from, line by line. :func:`annual` gives the
headline figures of an annual report, each with the scope it covers (all applications of
the year's rounds, the funded projects, everything up to the year), so that the first
screen's sentences and the table under them say the same thing about the same projects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..dataset import Dataset, funded_projects
from . import figures
from .context import Context, Unavailable
from .published import check

#: Published figures that state a programme's rules, not what it achieved.
RULES = {"match_ratio", "grant_min_yuan", "grant_max_yuan", "implementation_months"}
#: Published figures of a round that are settled once its projects are chosen: a mid-term
#: checks these (what the projects achieve is published after the round has ended).
AT_SELECTION = {
    "applicants",
    "funded_projects",
    "projects_by_tier",
    "matched_projects",
    "paid_out_yuan",
    "funding_share",
    "cofunding_leverage",
    "peer_groups",
}
MORE_PUBLISHED = 4  # further published figures on the first screen (all are checked below)
#: The outputs a first screen names, in order (others follow in the tracking table).
MAIN_OUTPUTS = (
    "residents_served",
    "activities",
    "volunteer_person_times",
    "issues_solved",
    "core_team",
    "other_actors_mobilised",
)
OUTPUT_UNITS = {  # the unit words of each main output (catalogue keys u_…)
    "residents_served": "person-times",
    "activities": "activities",
    "volunteer_person_times": "person-times",
    "issues_solved": "micro-issues",
    "core_team": "people",
    "other_actors_mobilised": "person-times",
}


@dataclass(frozen=True)
class Headline:
    """One headline figure: what it is (``key``, a catalogue key, and ``category``), its
    value and unit (a unit of :mod:`.format`, and the unit words ``words``), the scope it
    covers, an interval where it has one, a plan it is measured against, and the
    programme's own published figure with the verdict."""

    key: str
    value: float
    unit: str
    scope: str
    words: str = ""
    category: str | None = None
    low: float | None = None
    high: float | None = None
    plan: float | None = None
    published: float | None = None
    qualifier: str | None = None
    verdict: str | None = None


# ---------------------------------------------------------------------- money


def money(data: Dataset) -> pd.DataFrame:
    """Where the money of the funded projects came from, one row per source: ``role``
    (``grant``: the organiser's seed money, by who paid it; ``leveraged``: everything
    else), ``source``, ``form`` (cash, in kind, volunteer time) and ``amount_yuan``, with
    each source's ``share`` of its role. Without funding lines the projects' own grant and
    leveraged totals stand as one line each."""
    from ..leverage import CASH_SOURCES, IN_KIND_SOURCES, VOLUNTEER_SOURCES, grant_lines

    projects = funded_projects(data.projects) if data.projects is not None else None
    if projects is None or projects.empty:
        raise Unavailable("no_seed_grant")
    rows = []
    funding = data.funding
    if funding is not None and len(funding):
        mine = funding[funding.project_id.isin(set(projects.project_id))]
        seed = grant_lines(mine)
        in_kind = (
            mine["form"].astype(str).eq("in_kind")
            if "form" in mine
            else pd.Series(False, index=mine.index)
        )
        for (is_seed, source), part in mine.groupby([seed, mine.source.astype(str)], sort=False):
            if source in VOLUNTEER_SOURCES:
                form = "volunteer_time"
            elif source in IN_KIND_SOURCES or in_kind.loc[part.index].all():
                form = "in_kind"
            elif source in CASH_SOURCES or is_seed:
                form = "cash"
            else:
                form = "cash"
            amount = float(part.amount_yuan.sum())
            if amount:
                rows.append(
                    {
                        "role": "grant" if is_seed else "leveraged",
                        "source": source,
                        "form": form,
                        "amount_yuan": amount,
                    }
                )
    if not any(r["role"] == "grant" for r in rows) and "grant_yuan" in projects:
        rows.insert(
            0,
            {
                "role": "grant",
                "source": "seed_grant",
                "form": "cash",
                "amount_yuan": float(projects.grant_yuan.sum()),
            },
        )
    if not any(r["role"] == "leveraged" for r in rows) and "leveraged_yuan" in projects:
        total = projects.leveraged_yuan.sum(min_count=1)
        if pd.notna(total):
            rows.append(
                {
                    "role": "leveraged",
                    "source": "leveraged_unspecified",
                    "form": "unspecified",
                    "amount_yuan": float(total),
                }
            )
    table = pd.DataFrame(rows, columns=["role", "source", "form", "amount_yuan"])
    order = {"grant": 0, "leveraged": 1}
    table = table.sort_values(
        ["role", "amount_yuan"], key=lambda c: c.map(order) if c.name == "role" else -c
    ).reset_index(drop=True)
    totals = table.groupby("role").amount_yuan.transform("sum")
    table["share"] = table.amount_yuan / totals.where(totals > 0)
    return table


def cofunding(lines: pd.DataFrame) -> dict | None:
    """The organiser's own money split between public finance and other funders (a
    foundation): each part and the co-funding leverage, other ÷ public (Hongshan: 60 ÷ 40
    = 1.5). None unless both are there."""
    grant = lines[lines.role == "grant"]
    public = grant.loc[grant.source == "public_finance", "amount_yuan"].sum()
    other = grant.loc[grant.source != "public_finance", "amount_yuan"].sum()
    if not public or not other or set(grant.source) <= {"seed_grant", "public_finance"}:
        return None
    return {"public": public, "other": other, "ratio": other / public}


# ---------------------------------------------------------------------- headline figures


def annual(ctx: Context) -> list[Headline]:
    """The headline figures of an annual report (see the module's description)."""
    data = ctx.year_data
    projects = ctx.year_projects
    funded = funded_projects(projects)
    year_all, year_funded = ctx.scope_label("year_all"), ctx.scope_label("year_funded")
    rows: list[Headline] = []
    if len(projects) > len(funded) and len(funded):
        rows.append(Headline("applicants", len(projects), "count", year_all, ctx.t("u_applicants")))
    counted = funded if len(funded) else projects
    rows.append(
        Headline("funded_projects", len(counted), "count", year_funded, ctx.t("u_projects"))
    )
    if "completed" in ctx.facts.stages:
        done = int((counted.stage.astype(str) == "completed").sum())
        rows.append(Headline("completed_projects", done, "count", year_funded, ctx.t("u_projects")))
    rows += _money_rows(ctx, data, year_funded)
    rows += _output_rows(ctx, data, counted, year_funded)
    rows += _kind_rows(ctx, data, counted, year_funded)
    return _with_published(ctx, rows, ctx.year_data, own_published(ctx), year_funded)


def midterm(ctx: Context) -> list[Headline]:
    """The headline figures of a mid-term: the round's projects and seed money, what had
    been spent by the mid-term against the time gone, and the programme's published
    figures of the round that are settled at selection (applicants, projects funded, …),
    each with its verdict."""
    from .scope import for_rounds

    funded = ctx.midterm_projects
    data = for_rounds(ctx.data, ctx.programme, [ctx.round_no])
    everyone = data.projects if data.projects is not None else funded
    where = ctx.scope_label("round_funded")
    rows: list[Headline] = []
    if len(everyone) > len(funded):
        rows.append(
            Headline(
                "applicants",
                len(everyone),
                "count",
                ctx.scope_label("round_all"),
                ctx.t("u_applicants"),
            )
        )
    rows.append(Headline("funded_projects", len(funded), "count", where, ctx.t("u_projects")))
    yuan = ctx.t("u_yuan")
    grant = funded.grant_yuan.astype(float) if "grant_yuan" in funded else None
    if grant is not None and grant.notna().any() and grant.sum() > 0:
        rows.append(Headline("paid_out_yuan", grant.sum(), yuan_unit(grant.dropna()), where, yuan))
        spent_column = next((c for c in ("spent_midterm_yuan", "spent_yuan") if c in funded), None)
        if spent_column is not None:
            known = funded[funded[spent_column].notna() & grant.gt(0)]
            if len(known):
                spent = known[spent_column].astype(float)
                rows.append(
                    Headline("spent_midterm_yuan", spent.sum(), yuan_unit(spent), where, yuan)
                )
                share = spent.sum() / known.grant_yuan.astype(float).sum()
                rows.append(Headline("spent_share", share, "percent", where))
    published = round_published(ctx)
    if published is None or published.empty:
        return rows
    published = published[published.indicator.isin(AT_SELECTION)]
    return _with_published(ctx, rows, data, published, where)


def round_published(ctx: Context) -> pd.DataFrame | None:
    """The programme's own published figures for the report's round: those naming the
    round, or naming no round but the round's year."""
    if ctx.published is None or ctx.programme is None or ctx.round_no is None:
        return None
    table = ctx.published.figures
    mine = table[table.programme_id == ctx.programme]
    same = pd.Series(False, index=mine.index)
    if "round" in mine:
        same |= mine["round"] == ctx.round_no
    years = set()
    if ctx.data.rounds is not None and "year" in ctx.data.rounds:
        rounds = ctx.data.rounds
        years = set(
            rounds.loc[
                (rounds.programme_id == ctx.programme) & (rounds["round"] == ctx.round_no), "year"
            ].dropna()
        )
    if "year" in mine and years:
        unnamed = mine["round"].isna() if "round" in mine else pd.Series(True, index=mine.index)
        same |= unnamed & mine.year.isin(years)
    return mine[same]


def _money_rows(ctx: Context, data: Dataset, scope: str) -> list[Headline]:
    try:
        lines = money(data)
    except Unavailable:
        return []
    yuan = ctx.t("u_yuan")
    grant = lines[lines.role == "grant"]
    rows = [
        Headline(
            "paid_out_yuan", grant.amount_yuan.sum(), yuan_unit(grant.amount_yuan), scope, yuan
        )
    ]
    split = cofunding(lines)
    if split:
        for row in grant.itertuples():
            rows.append(
                Headline("funding_share", row.share, "percent", scope, "", category=row.source)
            )
        rows.append(Headline("cofunding_leverage", split["ratio"], "ratio", scope, ""))
    if figures.records_leverage(data):
        leveraged = lines[lines.role == "leveraged"]
        rows.append(Headline("leveraged_yuan", leveraged.amount_yuan.sum(), "yuan", scope, yuan))
        for form in ("cash", "in_kind", "volunteer_time"):
            amount = leveraged.loc[leveraged.form == form, "amount_yuan"].sum()
            if amount and amount < leveraged.amount_yuan.sum():
                rows.append(Headline(f"leveraged_{form}_yuan", amount, "yuan", scope, yuan))
        match = lines.loc[lines.source == "match", "amount_yuan"].sum()
        if match:
            rows.append(Headline("matched_social_money_yuan", match, "yuan", scope, yuan))
        overall = ctx.leverage_overall.table.iloc[0]
        if overall.grant_yuan:
            rows.append(
                Headline(
                    "leverage_ratio",
                    overall.leverage,
                    "ratio",
                    scope,
                    "",
                    low=_number(overall.ci_low),
                    high=_number(overall.ci_high),
                )
            )
    return rows


def _output_rows(ctx: Context, data: Dataset, counted: pd.DataFrame, scope: str) -> list[Headline]:
    indicators = figures.indicator_codes(data.indicators)
    if indicators is None or "period" not in indicators:
        return []
    mine = indicators[indicators.project_id.isin(set(counted.project_id))]
    mine = mine.assign(indicator=mine.indicator.astype(str), period=mine.period.astype(str))
    final = mine[mine.period == "final"].groupby("indicator").value.sum()
    rows = []
    for code in MAIN_OUTPUTS:
        if code not in final.index:
            continue
        plan = _plan(mine, code)
        rows.append(
            Headline(
                code,
                float(final[code]),
                "count",
                scope,
                ctx.t(f"u_{OUTPUT_UNITS[code]}"),
                plan=plan,
            )
        )
    if "residents_served" in final.index and final["residents_served"] and "grant_yuan" in counted:
        paid = counted.grant_yuan.sum()
        if paid:
            rows.append(
                Headline(
                    "cost_per_person_time",
                    paid / final["residents_served"],
                    "yuan_fine",
                    scope,
                    ctx.t("u_yuan_per_person_time"),
                )
            )
    return rows


def _plan(indicators: pd.DataFrame, code: str) -> float | None:
    """The planned total of an output, over the projects that report both a plan and a
    final value (a project without a plan does not count against it)."""
    rows = indicators[indicators.indicator == code]
    wide = rows.pivot_table(index="project_id", columns="period", values="value", aggfunc="sum")
    if not {"plan", "final"} <= set(wide.columns):
        return None
    both = wide.dropna(subset=["plan", "final"])
    return float(both.plan.sum()) if len(both) else None


def _kind_rows(ctx: Context, data: Dataset, counted: pd.DataFrame, scope: str) -> list[Headline]:
    rows = []
    kind = ctx.programme_kind
    if kind == "fund" and "tier" in counted and counted.tier.notna().any():
        for tier, count in counted.tier.astype(str).value_counts().items():
            rows.append(
                Headline("projects_by_tier", count, "count", scope, ctx.t("u_projects"), tier)
            )
        if "peer_group" in counted and counted.peer_group.notna().any():
            groups = counted.peer_group.nunique()
            rows.append(Headline("peer_groups", groups, "count", scope, ctx.t("u_groups")))
    try:
        community_rounds = ctx.community_rounds
    except Unavailable:
        community_rounds = None
    if community_rounds is not None and len(community_rounds):
        people = ctx.t("u_people")
        for column, key in (
            ("active_residents", "active_residents"),
            ("leaders", "community_leaders"),
        ):
            if column in community_rounds and community_rounds[column].notna().any():
                total = community_rounds[column].sum()
                rows.append(Headline(key, total, "count", scope, people))
    organisations = data.tables.get("organisations")
    if organisations is not None and len(organisations):
        own = figures.own_figures(data)
        for key in ("organisations_formed", "organisations_registered"):
            if key in own:
                rows.append(Headline(key, own[key], "count", scope, ctx.t("u_organisations")))
    if "service_income_yuan" in counted and counted.service_income_yuan.notna().any():
        income = counted.service_income_yuan.sum()
        rows.append(Headline("service_income_yuan", income, "yuan", scope, ctx.t("u_yuan")))
        if "fund_donation_yuan" in counted and income:
            donated = counted.fund_donation_yuan.sum()
            rows.append(Headline("fund_donation_yuan", donated, "yuan", scope, ctx.t("u_yuan")))
            rows.append(Headline("income_donated_share", donated / income, "percent", scope))
    return rows


def _with_published(
    ctx: Context, rows: list[Headline], data: Dataset, published: pd.DataFrame | None, scope: str
) -> list[Headline]:
    """Each row beside the programme's own published figure for the same thing (from
    ``published``, checked against ``data``), with the verdict; then the programme's other
    headline published figures the data can check, under ``scope``."""
    if published is None or published.empty:
        return rows
    checked = check(data, published)
    found = {
        (r.indicator, r.category): r for r in checked.itertuples() if r.verdict != "not_recorded"
    }
    done = set()
    out = []
    for row in rows:
        match = found.get((row.key, row.category))
        if match is not None:
            done.add((row.key, row.category))
            row = Headline(
                **{
                    **row.__dict__,
                    "published": match.published,
                    "qualifier": match.qualifier,
                    "verdict": figures_verdict(row.value, match),
                }
            )
        out.append(row)
    extras = [
        (key, match)
        for key, match in found.items()
        if key not in done and match.category is None and match.indicator not in RULES
    ]
    for _, match in extras[:MORE_PUBLISHED]:
        unit = {"share": "percent", "yuan": yuan_unit(pd.Series([match.own]))}.get(
            match.unit, "count"
        )
        words = "" if match.unit == "share" else ctx.t(f"u_{match.unit}")
        out.append(
            Headline(
                match.indicator,
                match.own,
                unit,
                scope,
                words,
                category=match.category,
                published=match.published,
                qualifier=match.qualifier,
                verdict=match.verdict,
            )
        )
    return out


def figures_verdict(own: float, match) -> str:
    """The verdict on the headline's own value (the same as the check's, recomputed in
    case the headline's value is the more exact one)."""
    from .published import verdict

    return verdict(own, match.published, match.qualifier)


def own_published(ctx: Context) -> pd.DataFrame | None:
    """The programme's own published figures for the report's year (or undated)."""
    if ctx.published is None or ctx.programme is None:
        return None
    table = ctx.published.figures
    mine = table[table.programme_id == ctx.programme]
    if ctx.year is not None and "year" in mine:
        rounds = set(ctx.facts.rounds)
        same = mine.year.isna() | (mine.year == ctx.year)
        if "round" in mine:
            same |= mine["round"].isin(rounds)
        mine = mine[same]
    return mine


def yuan_unit(amounts: pd.Series) -> str:
    """Whole yuan, or yuan and fen where the amounts carry them (686,404.16)."""
    values = amounts.astype(float)
    return "yuan" if np.allclose(values, values.round(), rtol=0, atol=1e-6) else "yuan_fine"


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
