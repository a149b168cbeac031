"""Key findings: the few sentences every report opens with, written from the numbers with
their uncertainty (catalogue sentences in zh and en), followed by the evaluator's
commentary and recommendations from the parameters file."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ...dataset import funded_projects
from .. import figures, headline
from ..context import Context, Unavailable
from ..format import number_text
from ..headline import yuan_unit
from ..writing import Writer
from .common import commentary


def key_findings(ctx: Context, doc: Writer) -> None:
    """The opening summary, by report kind, then the evaluator's own words."""
    lines: list[str | None] = []
    if ctx.kind == "midterm":
        midterm_first_screen(ctx, doc)
        commentary(ctx, doc)
        return
    if ctx.kind == "annual":
        annual_first_screen(ctx, doc)
        commentary(ctx, doc)
        return
    else:  # compare and explore: the data set as a whole, then each programme
        lines += _finding(lambda: dataset_sentences(ctx)) or []
        lines += _finding(lambda: programme_lines(ctx)) or []
    lines = [line for line in lines if line]
    if not lines:
        raise Unavailable("no_findings")
    doc.bullets(lines, "findings")
    commentary(ctx, doc)


def annual_first_screen(ctx: Context, doc: Writer) -> None:
    """What the year achieved, in sentences, then the same figures in one table with the
    scope each covers and the programme's own published figure beside it."""
    rows = headline.annual(ctx)
    lines = [
        _finding(lambda: scope_sentence(ctx, rows)),
        _finding(lambda: money_sentence(ctx, rows)),
        _finding(lambda: outputs_sentence(ctx, rows)),
        *(_finding(lambda: kind_sentences(ctx)) or []),
        _finding(lambda: published_sentence(ctx, rows)),
        _finding(lambda: continuation_sentence(ctx)),
    ]
    lines = [line for line in lines if line]
    if not lines:
        raise Unavailable("no_findings")
    doc.bullets(lines, "findings")
    headline_table(ctx, doc, rows)


def midterm_first_screen(ctx: Context, doc: Writer) -> None:
    """The round at its mid-term: its projects and money (spent against the time gone),
    how its projects are progressing, the risk model's reading, the published figures of
    the round checked; then those figures in one table with their scope."""
    rows = _finding(lambda: headline.midterm(ctx)) or []
    lines = [
        _finding(lambda: round_money_sentence(ctx, rows)),
        *(_finding(lambda: midterm_sentences(ctx)) or []),
        _finding(lambda: risk_sentence(ctx)),
        _finding(lambda: published_sentence(ctx, rows)),
    ]
    lines = [line for line in lines if line]
    if not lines:
        raise Unavailable("no_findings")
    doc.bullets(lines, "findings")
    if rows:
        headline_table(ctx, doc, rows)


def round_money_sentence(ctx: Context, rows: list[headline.Headline]) -> str | None:
    """The round's projects and seed money, and what had been spent by the mid-term."""
    found = {r.key: r for r in rows}
    funded = found.get("funded_projects")
    if funded is None:
        return None
    parts = []
    if "applicants" in found:
        parts.append(ctx.t("first_applications", n=_count(found["applicants"].value)))
    parts.append(ctx.t("first_funded", n=_count(funded.value)))
    paid = found.get("paid_out_yuan")
    if paid is not None:
        parts.append(ctx.t("first_seed", amount=number_text(paid.value, paid.unit)))
    spent, share = found.get("spent_midterm_yuan"), found.get("spent_share")
    if spent is not None and share is not None:
        parts.append(
            ctx.t(
                "first_spent",
                amount=number_text(spent.value, spent.unit),
                share=number_text(share.value, "percent"),
                expected=f"{ctx.expected:.0%}",
            )
        )
    return ctx.t("first_scope", period=ctx.period_label, what=ctx.t("clause_separator").join(parts))


def headline_table(ctx: Context, doc: Writer, rows: list[headline.Headline]) -> None:
    """The first screen's figures, each with its scope and the published figure."""
    table = pd.DataFrame(
        {
            "indicator": [_name(ctx, r) for r in rows],
            "value": [_value(ctx, r) for r in rows],
            "unit": [r.words for r in rows],
            "plan_total": [r.plan for r in rows],
            "achieved_share": [r.value / r.plan if r.plan else None for r in rows],
            "scope": [r.scope for r in rows],
            "published_value": [
                _written(ctx, r.published, r.unit, r.qualifier) if r.published is not None else None
                for r in rows
            ],
            "check": [_verdict(ctx, r) for r in rows],
        }
    )
    units = [r.unit for r in rows]
    if table.published_value.isna().all():
        table = table.drop(columns=["published_value", "check"])
    if table.plan_total.isna().all():
        table = table.drop(columns=["plan_total", "achieved_share"])
    doc.table(
        table,
        "headline",
        formats={"achieved_share": "{:.0%}"},
        units={"value": units, "published_value": units, "plan_total": units},
        sheet=ctx.t("headline_sheet"),
    )


def _name(ctx: Context, row: headline.Headline) -> str:
    name = ctx.t(row.key)
    return (
        f"{name}（{ctx.t(row.category)}）"
        if row.category and ctx.language == "zh"
        else (f"{name} ({ctx.t(row.category)})" if row.category else name)
    )


def _value(ctx: Context, row: headline.Headline):
    """A headline value; with its interval, as words beside the number."""
    from ..blocks import Written

    if row.low is None or row.high is None:
        return row.value
    text = ctx.t(
        "value_interval",
        value=number_text(row.value, row.unit),
        low=number_text(row.low, row.unit),
        high=number_text(row.high, row.unit),
        level=f"{ctx.ci:.0%}",
    )
    return Written(float(row.value), text)


def _written(ctx: Context, value: float, unit: str, qualifier: str | None):
    from ..blocks import Written

    if qualifier in ("at_least", "about"):
        return Written(float(value), ctx.t(f"written_{qualifier}", number=number_text(value, unit)))
    return value


def _verdict(ctx: Context, row: headline.Headline) -> str:
    if row.verdict == "agrees":
        return ctx.t("verdict_agrees")
    if row.verdict == "differs":
        difference = row.value - row.published
        share = f"{difference / row.published:+.0%}" if row.published else ""
        return ctx.t(
            "verdict_differs", difference=number_text(abs(difference), row.unit), share=share
        )
    return ""


def scope_sentence(ctx: Context, rows: list[headline.Headline]) -> str | None:
    found = {r.key: r for r in rows}
    funded = found.get("funded_projects") or found.get("partner_projects")
    if funded is None:
        return None
    parts = []
    if "applicants" in found:
        parts.append(ctx.t("first_applications", n=_count(found["applicants"].value)))
    which = "first_funded" if funded.key == "funded_projects" else "first_partners"
    parts.append(ctx.t(which, n=_count(funded.value)))
    if "completed_projects" in found:
        parts.append(ctx.t("first_completed", n=_count(found["completed_projects"].value)))
    return ctx.t("first_scope", period=ctx.period_label, what=ctx.t("clause_separator").join(parts))


def money_sentence(ctx: Context, rows: list[headline.Headline]) -> str | None:
    found = {(r.key, r.category): r for r in rows}
    paid = found.get(("paid_out_yuan", None))
    if paid is None:
        return None
    parts = [ctx.t("first_seed", amount=number_text(paid.value, paid.unit))]
    payers = [r for r in rows if r.key == "funding_share"]
    ratio = found.get(("cofunding_leverage", None))
    if payers and ratio is not None:
        shares = ctx.t("enumeration").join(
            ctx.t("first_payer", payer=ctx.t(r.category), share=number_text(r.value, "percent"))
            for r in payers
        )
        parts.append(ctx.t("first_cofunding", shares=shares, ratio=f"{ratio.value:.2f}"))
    leveraged = found.get(("leveraged_yuan", None))
    if leveraged is not None:
        forms = [
            ctx.t(f"form_amount_{form}", amount=number_text(r.value, "yuan"))
            for form in ("cash", "in_kind", "volunteer_time")
            if (r := found.get((f"leveraged_{form}_yuan", None))) is not None
        ]
        detail = ctx.t("bracketed", text=ctx.t("enumeration").join(forms)) if forms else ""
        parts.append(
            ctx.t("first_leveraged", amount=number_text(leveraged.value, "yuan"), forms=detail)
        )
        match = found.get(("matched_social_money_yuan", None))
        if match is not None:
            parts.append(ctx.t("first_match", amount=number_text(match.value, "yuan")))
        ratio_row = found.get(("leverage_ratio", None))
        if ratio_row is not None:
            interval = (
                ctx.t(
                    "interval_words",
                    level=f"{ctx.ci:.0%}",
                    low=f"{ratio_row.low:.2f}",
                    high=f"{ratio_row.high:.2f}",
                )
                if ratio_row.low is not None and ratio_row.high is not None
                else ""
            )
            parts.append(ctx.t("first_ratio", ratio=f"{ratio_row.value:.2f}", interval=interval))
    return ctx.t("sentence", text=ctx.t("clause_separator").join(parts))


def outputs_sentence(ctx: Context, rows: list[headline.Headline]) -> str | None:
    outputs = [r for r in rows if r.key in headline.MAIN_OUTPUTS]
    if not outputs:
        return None
    parts = []
    for row in outputs:
        text = ctx.t(f"output_phrase_{row.key}", value=_count(row.value))
        if row.plan:
            text += ctx.t(
                "first_against_plan",
                plan=_count(row.plan),
                unit=row.words,
                share=f"{row.value / row.plan:.0%}",
            )
        parts.append(text)
    cost = next((r for r in rows if r.key == "cost_per_person_time"), None)
    if cost is not None:
        parts.append(ctx.t("first_cost", cost=f"{cost.value:.2f}"))
    return ctx.t("first_outputs", text=ctx.t("enumeration").join(parts))


def published_sentence(ctx: Context, rows: list[headline.Headline]) -> str | None:
    """The programme's own published figures against the data: how many agree (in an
    annual, all of them, as the check below lists them; in a mid-term, those of the first
    screen), naming the first screen's, and the ones that differ, by how much."""
    from ..published import check

    if ctx.kind == "midterm":
        verdicts = pd.Series([r.verdict for r in rows if r.verdict], dtype=object)
    else:
        published = headline.own_published(ctx)
        if published is None or published.empty:
            return None
        verdicts = check(ctx.year_data, published).verdict
    checked = [r for r in rows if r.verdict in ("agrees", "differs")]
    agree = [r for r in checked if r.verdict == "agrees"]
    differ = [r for r in checked if r.verdict == "differs"]
    if not (verdicts == "agrees").any() and not differ:
        return None
    named = ctx.t("enumeration").join(
        ctx.t("figure_named", name=_name(ctx, r), value=_shown(ctx, r)) for r in agree[:3]
    )
    agreeing = int((verdicts == "agrees").sum())
    text = ctx.t("first_published_agree", n=agreeing, named=named) if agreeing else ""
    if differ:
        listed = ctx.t("list_separator").join(
            ctx.t(
                "first_published_differs_item",
                name=_name(ctx, r),
                published=_shown(ctx, r, r.published),
                own=_shown(ctx, r),
            )
            for r in differ
        )
        text += ctx.t("first_published_differ", n=len(differ), listed=listed)
    return ctx.t("first_published", text=text)


def _shown(ctx: Context, row: headline.Headline, value: float | None = None) -> str:
    value = row.value if value is None else value
    space = " " if ctx.language == "en" and row.words else ""
    return number_text(value, row.unit) + space + (row.words or "")


def _count(value: float) -> str:
    return f"{value:,.0f}"


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
    """How many projects are behind, by indicators (or, without them, by spending, said
    so), the ones furthest behind with why, and spending as a second signal."""
    from .midterm import lagging_text, spending_counts

    progress = ctx.progress
    frame = progress.frame
    if progress.basis == "spending":
        lines = [spending_counts(ctx) + ctx.t("progress_by_spending")]
    else:
        counts = figures.status_counts(frame.status)
        lines = [ctx.t("status_counts", total=len(frame), **counts)]
        worst = frame[frame.status == "behind"].head(3)
        if worst.empty:
            worst = frame[frame.status == "watch"].head(3)
        if len(worst):
            items = [
                ctx.t(
                    "finding_worst_item",
                    title=row.title if isinstance(row.title, str) else row.project_id,
                    why=lagging_text(ctx, row.lagging[:1]),
                )
                for row in worst.itertuples()
            ]
            lines.append(ctx.t("finding_worst", titles=ctx.t("list_separator").join(items)))
    spent = ctx.spending
    flagged = spent[spent.signal != "normal"] if not spent.empty else spent
    if len(flagged):
        names = [
            ctx.t("finding_spent_item", title=row.title, spent=f"{row.spend_rate:.0%}")
            for row in flagged.sort_values("spend_rate").head(3).itertuples()
        ]
        examples = ctx.t("finding_examples", names=ctx.t("enumeration").join(names))
        if progress.basis == "spending":  # the counts are already the first line
            lines.append(ctx.t("finding_flagged", names=ctx.t("enumeration").join(names)))
        else:
            lines.append(
                ctx.t(
                    "finding_spending",
                    slow=int((flagged.signal == "slow").sum()),
                    fast=int((flagged.signal == "fast").sum()),
                    expected=f"{ctx.expected:.0%}",
                    examples=examples,
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
    if programmes == 1 and funded.empty:  # a scheme without seed grants (partners)
        name = ctx.programme_name(projects.programme_id.iloc[0])
        return [
            ctx.t("finding_one_programme_no_grant", programme=name, projects=f"{len(projects):,}")
        ]
    grant = (
        number_text(funded.grant_yuan.sum(), yuan_unit(funded.grant_yuan)) if len(funded) else "0"
    )
    if programmes == 1:
        return [
            ctx.t(
                "finding_one_programme",
                programme=ctx.programme_name(projects.programme_id.iloc[0]),
                projects=f"{len(projects):,}",
                funded=f"{len(funded):,}",
                grant=grant,
            )
        ]
    return [
        ctx.t(
            "finding_dataset",
            programmes=programmes,
            projects=len(projects),
            funded=len(funded),
            grant=grant,
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
    """Raw leverage of matched and standard applications; where the adjusted comparison
    below points the other way, the sentence says so."""
    table = ctx.leverage_by_type.table
    if not {"matched", "standard"} <= set(table.index.astype(str)):
        return None
    sentence = ctx.t(
        "finding_matched",
        matched=f"{table.loc['matched', 'leverage']:.2f}",
        standard=f"{table.loc['standard', 'leverage']:.2f}",
        n_matched=int(table.loc["matched", "n"]),
    )
    if _adjusted_disagrees(ctx):
        sentence += ctx.t("finding_matched_adjusted")
    return sentence


def _adjusted_disagrees(ctx: Context) -> bool:
    from .annual import adjusted_comparison, raw_and_adjusted

    try:
        return raw_and_adjusted(ctx, adjusted_comparison(ctx)[0]) is not None
    except Exception:  # noqa: BLE001 - no adjusted comparison: nothing to disagree with
        return False


def tier_sentence(ctx: Context) -> str | None:
    projects = funded_projects(ctx.year_projects)
    if "tier" not in projects or projects.tier.isna().all():
        return None
    counts = projects.tier.astype(str).value_counts()
    parts = ctx.t("enumeration").join(
        ctx.t("tier_count", tier=ctx.t(tier), n=count) for tier, count in counts.items()
    )
    groups = projects.peer_group.nunique() if "peer_group" in projects else 0
    if not groups:
        return ctx.t("finding_tiers_only", tiers=parts)
    return ctx.t("finding_tiers", tiers=parts, groups=groups)


def people_sentence(ctx: Context) -> str | None:
    rounds = ctx.community_rounds
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
    reached = ctx.funnel.table.reached
    chain = " → ".join(
        f"{ctx.stage_name(stage)} {int(count):,}" for stage, count in reached.items()
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
