"""Key findings: the few sentences every report opens with, written from the numbers with
their uncertainty (catalogue sentences in zh and en), followed by the evaluator's
commentary and recommendations from the parameters file."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ...dataset import funded_projects
from .. import figures
from ..context import Context, Unavailable
from ..writing import Writer
from .common import commentary


def key_findings(ctx: Context, doc: Writer) -> None:
    """The opening summary, by report kind, then the evaluator's own words."""
    lines: list[str | None] = []
    if ctx.kind == "midterm":
        lines += _finding(lambda: midterm_sentences(ctx)) or []
        lines.append(_finding(lambda: risk_sentence(ctx)))
    elif ctx.kind == "annual":
        projects = _finding(lambda: ctx.year_projects)
        if projects is not None and ctx.programme_kind != "partnership":
            rounds = sorted(projects["round"].dropna().unique())
            labels = [ctx.round_label(r, ctx.year) for r in rounds]
            by_year = all(str(ctx.year) in label for label in labels)
            lines.append(
                ctx.t(
                    "finding_scope_fund" if by_year else "finding_scope",
                    year=ctx.year,
                    rounds=ctx.t("list_separator").join(labels),
                    applications=f"{len(projects):,}",
                    funded=f"{len(funded_projects(projects)):,}",
                )
            )
        lines.append(_finding(lambda: leverage_sentence(ctx)))
        lines.append(_finding(lambda: continuation_sentence(ctx)))
        lines.append(_finding(lambda: comparison_sentence(ctx)))
        lines += _finding(lambda: kind_sentences(ctx)) or []
    else:  # compare and explore: the data set as a whole, then each programme
        lines += _finding(lambda: dataset_sentences(ctx)) or []
        lines += _finding(lambda: programme_lines(ctx)) or []
    lines = [line for line in lines if line]
    if not lines:
        raise Unavailable("no_findings")
    doc.bullets(lines, "findings")
    commentary(ctx, doc)


def _finding(compute: Callable):
    """One sentence (or several), or None when the data do not allow it (the section that
    would show it says why)."""
    try:
        return compute()
    except Exception:  # noqa: BLE001 - a finding that cannot be made is left out
        return None


def leverage_sentence(ctx: Context) -> str | None:
    if not figures.records_leverage(ctx.year_data):
        return None
    row = ctx.leverage_overall.table.iloc[0]
    if not row.grant_yuan:
        return None
    no_interval = _is_missing(row.ci_low) or _is_missing(row.ci_high)
    return ctx.t(
        "finding_leverage_point" if no_interval else "finding_leverage",
        n=int(row.n),
        grant=f"{row.grant_yuan:,.0f}",
        leveraged=f"{row.leveraged_yuan:,.0f}",
        ratio=f"{row.leverage:.2f}",
        level=f"{ctx.ci:.0%}",
        low=f"{row.ci_low:.2f}",
        high=f"{row.ci_high:.2f}",
    )


def continuation_sentence(ctx: Context) -> str | None:
    from ...sustainability import project_rounds

    rate = figures.continuation(project_rounds(ctx.history), ci=ctx.ci)
    if rate is None:
        return None
    return ctx.t(
        "finding_continuation",
        continued=rate["continued"],
        known=rate["known"],
        share=f"{rate['share']:.0%}",
        level=f"{ctx.ci:.0%}",
        low=f"{rate['low']:.0%}",
        high=f"{rate['high']:.0%}",
        year=ctx.year or "",
    )


def comparison_sentence(ctx: Context) -> str | None:
    published = ctx.published
    if published is None:
        return None
    others = figures.published_per_project(published.figures, "leveraged_yuan")
    if others.empty or ctx.programme is None:
        return None
    own = figures.own_figures(ctx.year_data)
    if not own.get("funded_projects") or "leveraged_yuan" not in own:
        return None
    names = ctx.names_of(published.programmes) | ctx.names_of(ctx.data.programmes)
    mine = others[others.programme_id == ctx.programme]
    if len(mine):  # the programme's own published figure: does the data agree?
        first = mine.iloc[0]
        return ctx.t(
            "finding_comparison_self",
            own=f"{own['leveraged_yuan'] / own['funded_projects']:,.0f}",
            when=ctx.when(first["round"], first.year),
            published=f"{first.per_project:,.0f}",
            total=f"{first.value:,.0f}",
        )
    first = others.iloc[0]
    return ctx.t(
        "finding_comparison",
        own=f"{own['leveraged_yuan'] / own['funded_projects']:,.0f}",
        other=names.get(first.programme_id, first.programme_id),
        when=ctx.when(first["round"], first.year),
        published=f"{first.per_project:,.0f}",
    )


def midterm_sentences(ctx: Context) -> list[str]:
    frame = ctx.progress.frame
    counts = figures.status_counts(frame.status)
    lines = [ctx.t("status_counts", total=len(frame), **counts)]
    worst = frame[frame.status == "behind"].head(3)
    if len(worst):
        lines.append(
            ctx.t(
                "finding_worst",
                titles=ctx.t("list_separator").join(
                    str(t) for t in worst.get("title", worst.project_id)
                ),
            )
        )
    return lines


def risk_sentence(ctx: Context) -> str | None:
    metrics = ctx.risk.metrics
    quality = figures.auc_quality(metrics.get("auc"))
    return ctx.t(f"finding_risk_{quality}", auc=metrics.get("auc", float("nan")))


def dataset_sentences(ctx: Context) -> list[str]:
    projects = ctx.data.projects
    if projects is None:
        raise Unavailable("no_projects")
    programmes = projects.programme_id.nunique()
    funded = funded_projects(projects)
    return [
        ctx.t(
            "finding_dataset",
            programmes=programmes,
            projects=len(projects),
            funded=len(funded),
            grant=f"{funded.grant_yuan.sum():,.0f}" if len(funded) else "0",
        )
    ]


def programme_lines(ctx: Context) -> list[str]:
    """Per programme of the data (its latest round): funded projects, seed money and
    leverage, the figures the comparison sets beside the published ones."""
    lines = []
    for programme, round_no, year, data in ctx.own_scope():
        own = figures.own_figures(data)
        if not own.get("funded_projects"):
            continue
        key = "finding_programme_leverage" if "leveraged_yuan" in own else "finding_programme"
        lines.append(
            ctx.t(
                key,
                programme=ctx.programme_name(programme),
                when=ctx.when(round_no, year, programme),
                funded=f"{own['funded_projects']:,.0f}",
                grant=f"{own.get('paid_out_yuan', 0):,.0f}",
                leveraged=f"{own.get('leveraged_yuan', 0):,.0f}",
                ratio=f"{own.get('leveraged_yuan', 0) / own['paid_out_yuan']:.2f}"
                if own.get("paid_out_yuan")
                else "–",
            )
        )
    return lines


def kind_sentences(ctx: Context) -> list[str]:
    """Sentences specific to the kind of programme (see ``kinds.py``)."""
    makers = {
        "competition": (matched_sentence,),
        "fund": (tier_sentence,),
        "incubator": (people_sentence, fund_balance_sentence),
        "proposal_contest": (funnel_sentence, organisation_sentence),
        "partnership": (partner_sentence, fund_balance_sentence),
    }.get(ctx.programme_kind or "", ())
    return [line for line in (_finding(lambda m=m: m(ctx)) for m in makers) if line]


def matched_sentence(ctx: Context) -> str | None:
    table = ctx.leverage_by_type.table
    if not {"matched", "standard"} <= set(table.index.astype(str)):
        return None
    return ctx.t(
        "finding_matched",
        matched=f"{table.loc['matched', 'leverage']:.2f}",
        standard=f"{table.loc['standard', 'leverage']:.2f}",
        n_matched=int(table.loc["matched", "n"]),
    )


def tier_sentence(ctx: Context) -> str | None:
    projects = funded_projects(ctx.year_projects)
    if "tier" not in projects or projects.tier.isna().all():
        return None
    counts = projects.tier.astype(str).value_counts()
    parts = ctx.t("list_separator").join(f"{ctx.t(tier)} {count}" for tier, count in counts.items())
    groups = projects.peer_group.nunique() if "peer_group" in projects else 0
    return ctx.t("finding_tiers", tiers=parts, groups=groups)


def people_sentence(ctx: Context) -> str | None:
    rounds = ctx.year_data.tables.get("community_rounds")
    if rounds is None or rounds.empty:
        return None
    total = {
        c: rounds[c].sum()
        for c in rounds
        if c in ("ideas_proposed", "ideas_selected", "active_residents", "leaders")
    }
    return ctx.t(
        "finding_people",
        communities=rounds.community_id.nunique(),
        residents=f"{total.get('active_residents', 0):,.0f}",
        leaders=f"{total.get('leaders', 0):,.0f}",
        ideas=f"{total.get('ideas_proposed', 0):,.0f}",
        selected=f"{total.get('ideas_selected', 0):,.0f}",
    )


def fund_balance_sentence(ctx: Context) -> str | None:
    flows = ctx.to_date_data.tables.get("fund_flows")
    if flows is None or flows.empty:
        return None
    money_in = flows.loc[flows.direction == "in", "amount_yuan"].sum()
    money_out = flows.loc[flows.direction == "out", "amount_yuan"].sum()
    return ctx.t(
        "finding_fund",
        funds=flows.fund_id.nunique(),
        money_in=f"{money_in:,.0f}",
        money_out=f"{money_out:,.0f}",
        balance=f"{money_in - money_out:,.0f}",
    )


def funnel_sentence(ctx: Context) -> str | None:
    from ...dataset import stage_reached
    from ...leverage import funnel

    projects = ctx.year_projects
    result = funnel(projects.assign(stage=stage_reached(projects)), stage="stage")
    reached = result.table.reached
    chain = " → ".join(
        f"{ctx.t(stage)} {int(reached[stage]):,}"
        for stage in ("idea", "shortlisted", "approved", "signed")
        if stage in reached.index
    )
    return ctx.t("finding_funnel", chain=chain)


def organisation_sentence(ctx: Context) -> str | None:
    own = figures.own_figures(ctx.year_data)
    if "organisations_formed" not in own:
        return None
    formed = own["organisations_formed"]
    registered = own.get("organisations_registered", 0)
    return ctx.t(
        "finding_organisations",
        formed=f"{formed:,.0f}",
        registered=f"{registered:,.0f}",
        share=f"{registered / formed:.0%}" if formed else "–",
    )


def partner_sentence(ctx: Context) -> str | None:
    projects = ctx.year_projects
    if "service_income_yuan" not in projects:
        return None
    income = projects.service_income_yuan.sum()
    donated = projects.get("fund_donation_yuan", pd.Series(dtype=float)).sum()
    return ctx.t(
        "finding_partners",
        partners=len(projects),
        earning=int((projects.service_income_yuan.fillna(0) > 0).sum()),
        income=f"{income:,.0f}",
        donated=f"{donated:,.0f}",
        share=f"{donated / income:.0%}" if income else "–",
    )


def _is_missing(value) -> bool:
    return value is None or bool(pd.isna(value))
