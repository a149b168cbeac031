"""Sections chosen by the kind of programme (``programmes.kind``).

- competition: applications by type and who applied, awards;
- fund: tiers and peer groups;
- incubator: ideas to projects, active residents and leaders cultivated, the micro-fund;
- proposal contest: beneficiary categories, organisations formed and registered (its
  funnel is the shared funnel section);
- partnership: partners, service income, the community fund and self-financing.

Each covers the report's year (the rounds of that year); a section whose table the data
lack says so in one sentence. Which kind has which sections is listed in
:mod:`impact.report.sections` (``BY_PROGRAMME_KIND``).
"""

from __future__ import annotations

import pandas as pd

from ...dataset import funded_projects
from ..context import Context, Unavailable
from ..writing import Writer
from .annual import cumulative_note


def table_of(ctx: Context, name: str) -> pd.DataFrame:
    frame = ctx.year_data.tables.get(name)
    if frame is None or frame.empty:
        raise Unavailable(f"no_table_{name}")
    return frame


# ---------------------------------------------------------------------- competition
def applications(ctx: Context, doc: Writer) -> None:
    """Applications and funded projects by application type and by applicant type."""
    projects = ctx.year_projects
    rows = []
    for by in ("application_type", "applicant_type"):
        if by not in projects or projects[by].isna().all():
            continue
        for value, part in projects.groupby(projects[by].astype(str), sort=True):
            funded = len(funded_projects(part))
            rows.append(
                {
                    "by_what": ctx.t(by),
                    "group": ctx.t(value),
                    "applicants": len(part),
                    "funded": funded,
                    "funded_share": funded / len(part) if len(part) else None,
                }
            )
    if not rows:
        raise Unavailable("no_application_type")
    doc.table(
        pd.DataFrame(rows),
        "applications",
        formats={"funded_share": "{:.0%}"},
        n=len(projects),
        unit="applications",
    )


def awards(ctx: Context, doc: Writer) -> None:
    """Awards won this year, with how many projects won each and when."""
    table = ctx.year_data.tables.get("awards")
    projects = ctx.year_projects
    if table is None or table.empty:
        if "award" not in projects or projects.award.isna().all():
            raise Unavailable("no_table_awards")
        table = projects.loc[projects.award.notna(), ["project_id", "award"]]
    titles = projects.set_index("project_id").get("title")
    table = table.assign(
        title=table.project_id.map(titles) if titles is not None else table.project_id
    )
    summary = table.groupby("award", sort=True).agg(projects=("project_id", "nunique"))
    if "date" in table:
        summary["date"] = (
            table.groupby("award")
            .date.max()
            .map(lambda d: "" if pd.isna(d) else pd.Timestamp(d).strftime("%Y-%m-%d"))
        )
    summary["titles"] = table.groupby("award").title.agg(
        lambda s: ctx.t("list_separator").join(str(v) for v in s)
    )
    doc.table(
        summary.reset_index(),
        "awards",
        {"projects": "project_count", "titles": "title"},
        n=int(table.project_id.nunique()),
    )


# ---------------------------------------------------------------------- fund
def tiers_and_groups(ctx: Context, doc: Writer) -> None:
    """Projects and seed money by tier and by peer group."""
    projects = funded_projects(ctx.year_projects)
    if projects.empty:
        projects = ctx.year_projects
    shown = False
    for by in ("tier", "peer_group"):
        if by not in projects or projects[by].isna().all():
            continue
        grouped = projects.groupby(projects[by].astype(str), sort=True)
        table = grouped.agg(projects=("project_id", "size"))
        if "grant_yuan" in projects:
            table["grant_yuan"] = grouped.grant_yuan.sum()
            table["grant_median"] = grouped.grant_yuan.median()
        table = table.reset_index().rename(columns={by: "group"})
        table["group"] = table.group.map(ctx.t)
        doc.heading(ctx.t(by), level=3)
        doc.table(
            table,
            f"projects_by_{by}",
            {"projects": "project_count"},
            formats={"grant_yuan": "{:,.0f}", "grant_median": "{:,.0f}"},
            n=len(projects),
        )
        shown = True
    if not shown:
        raise Unavailable("no_peer_group")


# ---------------------------------------------------------------------- incubator
def ideas_and_people(ctx: Context, doc: Writer) -> None:
    """Per community: ideas proposed and selected, projects, active residents and
    leaders cultivated."""
    rounds = ctx.community_rounds
    columns = [
        c
        for c in ("ideas_proposed", "ideas_selected", "active_residents", "leaders")
        if c in rounds
    ]
    table = rounds.groupby("community_id", sort=True)[columns].sum(min_count=1)
    projects = ctx.year_data.projects
    if projects is not None and "community_id" in projects:
        table["projects"] = projects.groupby("community_id").size().reindex(table.index)
    names = ctx.community_names
    table = table.reset_index()
    table["community_id"] = table.community_id.map(lambda c: names.get(c, c))
    total = {"community_id": ctx.t("overall")} | {
        c: table[c].sum(min_count=1) for c in table.columns if c != "community_id"
    }
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    doc.table(
        table,
        "ideas_and_people",
        {"community_id": "community", "projects": "project_count"},
        formats={c: "{:,.0f}" for c in table.columns if c != "community_id"},
        n=len(table) - 1,
        unit="communities",
    )


def community_fund(ctx: Context, doc: Writer) -> None:
    """Money into and out of the community funds up to this year, and what projects
    gave to them."""
    data = ctx.to_date_data
    flows = data.tables.get("fund_flows")
    projects = data.projects
    rows = []
    if flows is not None and not flows.empty:
        funds = data.tables.get("community_funds")
        names = (
            dict(zip(funds.fund_id, funds.get("name", funds.fund_id), strict=True))
            if funds is not None
            else {}
        )
        for fund, part in flows.groupby("fund_id", sort=True):
            money_in = part.loc[part.direction == "in", "amount_yuan"].sum()
            money_out = part.loc[part.direction == "out", "amount_yuan"].sum()
            rows.append(
                {
                    "fund": names.get(fund, fund),
                    "money_in_yuan": money_in,
                    "money_out_yuan": money_out,
                    "balance_yuan": money_in - money_out,
                }
            )
    if rows:
        table = pd.DataFrame(rows)
        if len(table) > 1:
            total = {"fund": ctx.t("total_row")} | {
                c: table[c].sum() for c in table.columns if c.endswith("_yuan")
            }
            table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
        doc.table(
            table,
            "community_fund",
            formats={c: "{:,.0f}" for c in table.columns if c.endswith("_yuan")},
            n=len(rows),
            unit="funds",
        )
        cumulative_note(ctx, doc)
    donations = None
    if projects is not None and "fund_donation_yuan" in projects:
        donations = projects.fund_donation_yuan.sum(min_count=1)
    if donations is not None and pd.notna(donations):
        doc.note(ctx.t("fund_donations", amount=f"{donations:,.0f}"))
    if not rows and (donations is None or pd.isna(donations)):
        raise Unavailable("no_table_community_funds")


# ---------------------------------------------------------------------- proposal contest
def beneficiaries(ctx: Context, doc: Writer) -> None:
    """Funded projects by beneficiary category (the theme column)."""
    projects = funded_projects(ctx.year_projects)
    if projects.empty:
        projects = ctx.year_projects
    by = next(
        (c for c in ("beneficiary", "theme") if c in projects and projects[c].notna().any()),
        None,
    )
    if by is None:
        raise Unavailable("no_beneficiary")
    table = projects.groupby(projects[by].astype(str)).size().rename("projects")
    table = table.sort_values(ascending=False).reset_index().rename(columns={by: "group"})
    table["group"] = table.group.map(ctx.t)
    table["share"] = table.projects / table.projects.sum()
    doc.table(
        table,
        "beneficiaries",
        {"projects": "project_count"},
        formats={"share": "{:.0%}"},
        n=len(projects),
    )


def organisations(ctx: Context, doc: Writer) -> None:
    """Community organisations formed through the programme and registered."""
    table = table_of(ctx, "organisations")
    formed = (
        table.formed.fillna(False).astype(bool)
        if "formed" in table
        else pd.Series(True, index=table.index)
    )
    registered = (
        table.registered.fillna(False).astype(bool)
        if "registered" in table
        else pd.Series(False, index=table.index)
    )
    counts = pd.DataFrame(
        {
            "measure": [
                ctx.t("organisations_all"),
                ctx.t("organisations_formed"),
                ctx.t("organisations_registered"),
            ],
            "value": [len(table), int(formed.sum()), int((formed & registered).sum())],
            "share_of_formed": [
                None,
                None,
                (formed & registered).sum() / formed.sum() if formed.sum() else None,
            ],
        }
    )
    doc.table(
        counts,
        "organisations",
        formats={"share_of_formed": "{:.0%}"},
        n=len(table),
        unit="organisations",
    )
    if formed.sum():
        doc.note(
            ctx.t(
                "registered_share_note",
                share=f"{(formed & registered).sum() / formed.sum():.0%}",
            )
        )


# ---------------------------------------------------------------------- partnership
def partners(ctx: Context, doc: Writer) -> None:
    """Partners by type, their service income and what they gave to the community
    fund: the scheme's self-financing."""
    projects = ctx.year_projects
    if "partner_type" in projects and projects.partner_type.notna().any():
        key = projects.partner_type.astype(str)
    else:
        key = pd.Series("all", index=projects.index)
    grouped = projects.groupby(key, sort=True)
    table = grouped.agg(partners=("project_id", "size"))
    for column in ("service_income_yuan", "fund_donation_yuan", "grant_yuan"):
        if column in projects:
            table[column] = grouped[column].sum(min_count=1)
    table = table.reset_index().rename(columns={table.index.name or "index": "group"})
    table.columns = ["group", *table.columns[1:]]
    table["group"] = table.group.map(ctx.t)
    if {"service_income_yuan", "fund_donation_yuan"} <= set(table.columns):
        table["donated_share"] = table.fund_donation_yuan / table.service_income_yuan
    doc.table(
        table,
        "partners",
        formats={
            "service_income_yuan": "{:,.0f}",
            "fund_donation_yuan": "{:,.0f}",
            "grant_yuan": "{:,.0f}",
            "donated_share": "{:.0%}",
        },
        n=len(projects),
        unit="partners",
    )
